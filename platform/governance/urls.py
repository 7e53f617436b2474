from django.urls import path

from governance import views

app_name = "governance"
urlpatterns = [
    path("charter/", views.charter, name="charter"),
    path("charter/versions/", views.charter_versions, name="charter_versions"),
    path("charter/versions/new/", views.charter_edit, name="charter_new"),
    path("charter/versions/<int:charter_id>/", views.charter_edit, name="charter_edit"),
    path(
        "charter/versions/<int:charter_id>/publish/",
        views.charter_publish,
        name="charter_publish",
    ),
]
