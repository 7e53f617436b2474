from django.urls import path

from roi import views

app_name = "roi"
urlpatterns = [
    path("", views.worksheet, name="worksheet"),
    path("edit/", views.edit, name="edit"),
    path("history/", views.history, name="history"),
    path("print/", views.printable, name="print"),
    path("worksheet.csv", views.export_csv, name="export"),
]
