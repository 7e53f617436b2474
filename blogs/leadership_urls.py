"""The executive's cockpit, under /leadership/me/ (mounted before Wagtail's page serving; the
Leadership space has no child pages, so no page can take these addresses)."""

from django.urls import path

from blogs import views

app_name = "leadership"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("answer/<int:pk>/", views.cockpit_answer, name="answer"),
    path("drafts/<int:pk>/ready/", views.draft_ready, name="draft_ready"),
    path("<str:username>/", views.cockpit_for, name="cockpit_for"),
]
