from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("read/", views.mark_read, name="mark_read"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
    path("settings/", views.preferences, name="settings"),
    path("digest/preview/", views.content_digest_preview, name="content_digest_preview"),
    path("settings/mutes/<int:mute_id>/delete/", views.unmute, name="unmute"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
