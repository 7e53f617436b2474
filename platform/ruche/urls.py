from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import home as wagtail_home
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from blogs.admin_views import ADMIN_URL_OVERRIDES as BLOGS_ADMIN_URL_OVERRIDES
from console import urls as console_urls
from core import views as core_views
from core.http import ids_or_404
from governance import urls as governance_urls
from operations import views as operations_views
from people import oidc as people_oidc
from people import views as people_views

# The governance kernel (charter, audit) and its console (moderation, rights, calendar,
# questionnaire) are two apps but one section of the site: one namespace, "governance".
governance_patterns = ([*governance_urls.urlpatterns, *console_urls.urlpatterns], "governance")

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("manifest.webmanifest", core_views.web_manifest, name="web_manifest"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # Prometheus scrape, behind RUCHE_METRICS_TOKEN ("/metrics/" is the metrics dashboards).
    path("metrics", operations_views.metrics, name="prometheus_metrics"),
    # SCIM 2.0 provisioning for the identity provider (bearer token per client).
    path("scim/v2/", include("provisioning.urls")),
    path("accounts/login/", people_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", people_views.LogoutView.as_view(), name="logout"),
    # Single sign-on (OpenID Connect): 404 unless RUCHE_OIDC_ISSUER is set (people.oidc).
    path(
        "accounts/oidc/authenticate/",
        people_oidc.AuthenticationRequestView.as_view(),
        name="oidc_authentication_init",
    ),
    path(
        "accounts/oidc/callback/",
        people_oidc.CallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by e-mail: Django's views, Ruche's templates (core/templates/registration).
    path(
        "accounts/password/reset/",
        people_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        people_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # Two-factor authentication: the code after the password, set-up, recovery codes (twofactor).
    path("accounts/two-factor/", include("twofactor.urls")),
    re_path(r"^media/(?P<path>.+)$", core_views.media, name="media"),
    path("people/", include("people.urls")),
    path("blogs/", include("blogs.urls")),
    path("leadership/me/", include("blogs.leadership_urls")),
    path("communities/", include("communities.urls")),
    path("announcements/", include("announcements.urls")),
    path("ama/", include("ama.urls")),
    path("notifications/", include("notifications.urls")),
    path("governance/", include(governance_patterns)),
    path("metrics/", include("metrics.urls")),
    path("roi/", include("roi.urls")),
    path("interactions/", include("interactions.urls")),
    path("privacy/", include("privacy.urls")),
    path("search/", include("search.urls")),
    # Wagtail's page-types report names the last edited page of each type, which can be a
    # colleague's draft: only administrators may see it (employees can add pages to their blog).
    path(
        "admin/reports/page-types-usage/",
        core_views.administrators_only(PageTypesUsageReportView.as_view()),
    ),
    path(
        "admin/reports/page-types-usage/results/",
        core_views.administrators_only(PageTypesUsageReportView.as_view(results_only=True)),
    ),
    # Wagtail admin views with no visibility hook, wrapped by blogs (issue 14): before the admin.
    *BLOGS_ADMIN_URL_OVERRIDES,
    # Wagtail's deliberate error page (to test error reporting) is a 500 by design: for
    # administrators only, a 404 for everyone else.
    path("admin/failwhale/", core_views.administrators_only(wagtail_home.error_test)),
    # Wagtail's admin, with its text ids checked first (core.http.ids_or_404).
    path("admin/", include(decorate_urlpatterns(wagtailadmin_urls.urlpatterns, ids_or_404))),
    # One login page for the whole intranet: the Django admin's own login redirects there.
    path("django-admin/login/", core_views.login_redirect),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    # Wagtail serves the page tree (home page, blogs, posts) last.
    path("", include(decorate_urlpatterns(wagtail_urls.urlpatterns, core_views.with_cached_site))),
]
