from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.people, name="people"),
    path("export.csv", views.export, name="export"),
]
