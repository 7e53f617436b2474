"""SCIM 2.0 endpoints, mounted at /scim/v2/ (ruche.urls). Resource ids are digits; the
schema ids are URNs, hence the `path:` converter for them."""

from django.urls import path

from provisioning import views

app_name = "provisioning"

urlpatterns = [
    path("", views.service_provider_config_view, name="root"),
    path("ServiceProviderConfig", views.service_provider_config_view, name="config"),
    path("ResourceTypes", views.resource_types_view, name="resource_types"),
    path("ResourceTypes/<str:pk>", views.resource_types_view, name="resource_type"),
    path("Schemas", views.schemas_view, name="schemas"),
    path("Schemas/<path:pk>", views.schemas_view, name="schema"),
    path(".search", views.search_view, {"kind": "all"}, name="search"),
    path("Users/.search", views.search_view, {"kind": "Users"}, name="users_search"),
    path("Groups/.search", views.search_view, {"kind": "Groups"}, name="groups_search"),
    path("Users", views.users_view, name="users"),
    path("Users/<str:pk>", views.user_view, name="user"),
    path("Groups", views.groups_view, name="groups"),
    path("Groups/<str:pk>", views.group_view, name="group"),
    path("<path:rest>", views.not_found_view, name="not_found"),
]
