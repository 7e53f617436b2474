from django.urls import path

from ama import views

app_name = "ama"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:session_id>/", views.detail, name="detail"),
    path("<int:session_id>/questions/<int:question_id>/upvote/", views.upvote, name="upvote"),
    path("<int:session_id>/questions/<int:question_id>/answer/", views.answer, name="answer"),
]
