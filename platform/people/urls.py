from django.urls import path

from people import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/edit/", views.profile_edit_own, name="profile_edit_own"),
    path("departments/<slug:slug>/", views.department, name="department"),
    path("language/", views.set_language, name="set_language"),
    path("pick/", views.pick, name="pick"),
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/edit/", views.profile_edit, name="profile_edit"),
]
