from django.urls import path

from twofactor import views

app_name = "twofactor"
urlpatterns = [
    path("", views.security, name="security"),
    path("setup/", views.setup, name="setup"),
    path("setup/start/", views.setup_start, name="setup_start"),
    path("verify/", views.verify, name="verify"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("remove/", views.remove, name="remove"),
    path("people/<str:username>/", views.person, name="person"),
]
