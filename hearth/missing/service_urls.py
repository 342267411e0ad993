from django.urls import path

from . import views

app_name = "missing_service"
urlpatterns = [
    path("", views.tray, name="tray"),
    path("patterns/", views.patterns, name="patterns"),
]
