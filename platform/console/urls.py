"""The console's pages. Their paths and names are the governance ones (/governance/...,
"governance:report"): `ruche.urls` mounts this list with the kernel's under the "governance"
namespace, so templates and links did not change when the console became an app."""

from django.urls import path

from console.views import calendar, directory, moderation, questionnaire, reports, rights

urlpatterns = [
    path("report/<str:kind>/<int:object_id>/", reports.report_content, name="report"),
    path("moderation/", moderation.moderation_queue, name="moderation_queue"),
    path(
        "moderation/<int:report_id>/<str:decision>/",
        moderation.moderation_decide,
        name="moderation_decide",
    ),
    path("moderation/mine/", moderation.my_moderation, name="my_moderation"),
    path("rights/", rights.rights_map, name="rights_map"),
    path("rights/role/", rights.rights_role, name="rights_role"),
    path("calendar/", calendar.calendar_month, name="calendar"),
    path("calendar/week/", calendar.calendar_week, name="calendar_week"),
    path("calendar/subscribe/", calendar.calendar_subscribe, name="calendar_subscribe"),
    path("calendar/feed/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("directory/import/", directory.directory_import, name="directory_import"),
    path(
        "directory/import/confirm/",
        directory.directory_import_confirm,
        name="directory_import_confirm",
    ),
    path("questionnaire/", questionnaire.questionnaire_summary, name="questionnaire_summary"),
    path("questionnaire/answer/", questionnaire.questionnaire_fill, name="questionnaire_fill"),
    path(
        "questionnaire/<int:response_id>/",
        questionnaire.questionnaire_response,
        name="questionnaire_response",
    ),
]
