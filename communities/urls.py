from django.urls import path

from communities import views

app_name = "communities"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    # Posted by governance's publishing-rights map (administrators).
    path("rights/manager/", views.rights_manager_set, name="rights_manager_set"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path(
        "<slug:slug>/members/<int:membership_id>/<str:action>/",
        views.member_action,
        name="member_action",
    ),
    path("<slug:slug>/threads/new/", views.thread_create, name="thread_create"),
    path("<slug:slug>/threads/<int:thread_id>/", views.thread, name="thread"),
    path("<slug:slug>/threads/<int:thread_id>/edit/", views.thread_edit, name="thread_edit"),
    path("<slug:slug>/threads/<int:thread_id>/hide/", views.thread_hide, name="thread_hide"),
    path(
        "<slug:slug>/threads/<int:thread_id>/<str:action>/",
        views.thread_action,
        name="thread_action",
    ),
]
