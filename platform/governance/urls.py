"""The kernel's pages: the charter and the audit log. Mounted with the console's under the one
"governance" namespace by `ruche.urls` (the top layer assembles both lists)."""

from django.urls import path

from governance.views import audit, charter

urlpatterns = [
    path("", charter.index, name="index"),
    path("charter/", charter.charter, name="charter"),
    path("charter/versions/", charter.charter_versions, name="charter_versions"),
    path("charter/versions/new/", charter.charter_edit, name="charter_new"),
    path("charter/versions/<int:charter_id>/", charter.charter_edit, name="charter_edit"),
    path(
        "charter/versions/<int:charter_id>/publish/",
        charter.charter_publish,
        name="charter_publish",
    ),
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit/export.csv", audit.audit_log_csv, name="audit_log_csv"),
]
