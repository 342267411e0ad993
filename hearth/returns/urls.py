"""Statutory returns: CIN census, SSDA903 and Ofsted Annex A, run as background jobs with their findings."""

from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
]
