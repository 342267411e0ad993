"""Statutory returns: CIN census, SSDA903 and Ofsted Annex A, run as background jobs with their findings."""

from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/run/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/again/", views.run_again, name="run_again"),
    path("runs/<int:pk>/submitted/", views.run_submitted, name="run_submitted"),
    path("runs/<int:pk>/download/", views.run_download, name="run_download"),
]
