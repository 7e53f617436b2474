from django.urls import path

from announcements import views

app_name = "announcements"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:announcement_id>/", views.detail, name="detail"),
    path("<int:announcement_id>/edit/", views.edit, name="edit"),
    path("<int:announcement_id>/cancel/", views.cancel, name="cancel"),
    path("<int:announcement_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:announcement_id>/acknowledgements/", views.rates, name="rates"),
    path("<int:announcement_id>/remind/", views.remind, name="remind"),
]
