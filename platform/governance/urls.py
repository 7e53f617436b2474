from django.urls import path

from governance import views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("charter/", views.charter, name="charter"),
    path("charter/versions/", views.charter_versions, name="charter_versions"),
    path("charter/versions/new/", views.charter_edit, name="charter_new"),
    path("charter/versions/<int:charter_id>/", views.charter_edit, name="charter_edit"),
    path(
        "charter/versions/<int:charter_id>/publish/",
        views.charter_publish,
        name="charter_publish",
    ),
    path(
        "report/<str:kind>/<int:object_id>/",
        views.report_content,
        name="report",
    ),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path(
        "moderation/<int:report_id>/<str:decision>/",
        views.moderation_decide,
        name="moderation_decide",
    ),
    path("moderation/mine/", views.my_moderation, name="my_moderation"),
    path("rights/", views.rights_map, name="rights_map"),
    path("rights/grant-manager/", views.rights_grant_manager, name="rights_grant_manager"),
    path("rights/role/", views.rights_role, name="rights_role"),
    path(
        "rights/<int:user_id>/community-role/",
        views.rights_community_role,
        name="rights_community_role",
    ),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar/week/", views.calendar_week, name="calendar_week"),
    path("calendar/subscribe/", views.calendar_subscribe, name="calendar_subscribe"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("questionnaire/", views.questionnaire_summary, name="questionnaire_summary"),
    path("questionnaire/answer/", views.questionnaire_fill, name="questionnaire_fill"),
    path(
        "questionnaire/<int:response_id>/",
        views.questionnaire_response,
        name="questionnaire_response",
    ),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_log_csv, name="audit_log_csv"),
]
