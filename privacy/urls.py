from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/export/", views.export_own, name="export_own"),
    path("<str:username>/export/", views.export, name="export"),
    path("<str:username>/erase/", views.erase, name="erase"),
]
