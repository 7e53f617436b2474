"""People pages: profile, edit your own profile, directory, departments, language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import safe_next
from core.refusals import REFUSALS, form_refusal, refusal_status
from core.rendering import code_digest
from core.types import AuthenticatedRequest
from people import ldap, oidc, selectors, services
from people.auth import client_ip, two_factor_exempt
from people.demo import DEMO_LOGINS, DEMO_PASSWORD
from people.forms import PeopleSearchForm, ProfileForm
from people.forms_auth import LoginForm
from people.generation import people_generation
from people.models import Department, Language
from people.permissions import access_profile, access_profile_for_edit, can_edit_profile

PEOPLE_PER_PAGE = 30


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """The intranet's one login page; in demo mode it lists the demo log-ins."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if oidc.oidc_enabled():
            context["oidc_provider_name"] = oidc.provider_name()
        context["password_login"] = settings.RUCHE_PASSWORD_LOGIN
        context["ldap_login"] = ldap.ldap_enabled()
        if settings.DEMO_MODE:
            context.update(demo_logins=DEMO_LOGINS, demo_password=DEMO_PASSWORD)
        return context


@method_decorator(two_factor_exempt, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """Django's logout; after a single sign-on, the browser goes on to the provider's own
    logout, which comes back to the login page (people.oidc.provider_logout_url)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if id_token and oidc.oidc_enabled():
            return_to = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
            url = oidc.provider_logout_url(id_token=id_token, return_to=return_to)
            if url:
                return HttpResponseRedirect(url)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request page; the sending and its rate limit are the service's."""

    def form_valid(self, form):
        try:
            services.password_reset_request(
                email=form.cleaned_data["email"], client_address=client_ip(self.request)
            )
        except REFUSALS as error:
            form_refusal(self.request, form, error)
            return self.render_to_response(
                self.get_context_data(form=form), status=refusal_status(error)
            )
        # The same page whether or not the e-mail is anyone's: no enumeration.
        return redirect(self.get_success_url())


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_confirmed(user=form.user)
        return response


def profile(request: AuthenticatedRequest, username: str) -> HttpResponse:
    person = access_profile(username)
    return render(
        request,
        "people/profile.html",
        {"person": person, "can_edit": can_edit_profile(request.user, person)},
    )


def profile_edit_own(request: AuthenticatedRequest) -> HttpResponse:
    return redirect("people:profile_edit", username=request.user.username)


def profile_edit(request: AuthenticatedRequest, username: str) -> HttpResponse:
    person = access_profile_for_edit(request.user, username)
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=person, editor=request.user
    )
    if request.method == "POST" and form.is_valid():
        services.profile_update(editor=request.user, profile=person, data=form.cleaned_data)
        messages.success(request, _("Profile saved."))
        return redirect(person)
    if request.method == "POST":
        messages.error(request, _("The profile was not saved: please correct the errors below."))
        # The form validated against the instance in memory: reload what is really stored.
        person.refresh_from_db()
    return render(request, "people/profile_edit.html", {"person": person, "form": form})


# The directory without a search is the same for every employee: its list, pagination and
# departments are kept as rendered (the template's `{% cache %}`) under the people generation,
# which any change of a person or a department bumps (people.generation). Searches are not kept.
DIRECTORY_CACHE_SECONDS = 60 * 60
DIRECTORY_CACHED_PAGES = 1000
DIRECTORY_TEMPLATES = (
    "people/directory.html",
    "people/includes/person_row.html",
    "core/includes/avatar.html",
    "core/includes/pagination.html",
)


def directory(request: AuthenticatedRequest) -> HttpResponse:
    form = PeopleSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    number = request.GET.get("page") or "1"
    cached = not query and number.isdigit() and 0 < int(number) <= DIRECTORY_CACHED_PAGES
    people = selectors.people_list(query=query)
    return render(
        request,
        "people/directory.html",
        {
            "form": form,
            "query": query,
            # Read only when the fragment is not in the cache.
            "page": SimpleLazyObject(lambda: Paginator(people, PEOPLE_PER_PAGE).get_page(number)),
            "departments": selectors.department_list(),
            "directory_cache": {
                "seconds": DIRECTORY_CACHE_SECONDS if cached else 0,
                "generation": people_generation() if cached else 0,
                "page": number if cached else "",
                "code": code_digest(*DIRECTORY_TEMPLATES),
            },
        },
    )


def department(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    dept = get_object_or_404(Department.objects.select_related("head", "parent"), slug=slug)
    page = Paginator(selectors.department_people(dept), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/department.html",
        {"department": dept, "page": page, "children": dept.children.all()},
    )


@require_GET
def pick(request: AuthenticatedRequest) -> JsonResponse:
    """The people picker's suggestions (`core/people-picker.js`): at most 10 active employees
    matching `q` in their name, job title or department. Login required, like every page."""
    people = selectors.people_pick(query=request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {
                    "username": person.username,
                    "name": person.name,
                    "job_title": person.job_title,
                    "department": person.department.name if person.department else "",
                    "avatar_url": person.photo.url if person.photo else "",
                }
                for person in people
            ]
        }
    )


@two_factor_exempt
@require_POST
def set_language(request: AuthenticatedRequest) -> HttpResponse:
    """Switch the interface language and remember it on the profile."""
    language = request.POST.get("language", "")
    if language not in Language.values:
        return HttpResponseBadRequest(_("Unknown language."))
    services.language_set(user=request.user, language=language)
    translation.activate(language)
    response = redirect(safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response
