from django.urls import path

from metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("criteria/", views.criteria_edit, name="criteria"),
    path("refresh/", views.refresh, name="refresh"),
    path("objective/<int:department_id>/", views.objective_edit, name="objective"),
    path("<slug:scope>/", views.report_page, name="report"),
    path("<slug:scope>/<slug:table>.csv", views.export_csv, name="export"),
]
