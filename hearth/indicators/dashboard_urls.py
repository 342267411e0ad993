"""The dashboards' URLs, included by ``hearth.indicators.urls`` at the prefix ""."""

from django.urls import path

from . import views_dashboards as views

urlpatterns = [
    path("", views.index, name="index"),
    path("board/", views.director, name="director"),
    path("service/", views.service, name="service"),
    path("teams/<int:team_pk>/", views.team, name="team"),
]
