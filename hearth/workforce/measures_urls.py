"""The CSWW measures page, its CSV and the census download (``hearth.workforce.views_measures``)."""

from django.urls import URLPattern, path

from . import views_measures

urlpatterns: list[URLPattern] = [
    path("measures/", views_measures.measures, name="measures"),
    path("measures.csv", views_measures.measures_csv, name="measures_csv"),
    path("measures/census/", views_measures.csww_download, name="csww_download"),
]
