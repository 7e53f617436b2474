from django.urls import path

from interactions import views

app_name = "interactions"
urlpatterns = [
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("comments/<int:pk>/restore/", views.comment_restore, name="comment_restore"),
    path("<slug:key>/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("<slug:key>/<int:pk>/reactions/", views.reaction_toggle, name="reaction_toggle"),
]
