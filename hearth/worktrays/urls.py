from django.urls import path

from . import views

app_name = "worktrays"
urlpatterns = [
    path("mine/", views.worker, name="worker"),
    path("team/", views.team, name="team"),
    path("team/<int:pk>/", views.team_detail, name="team_detail"),
    path("service/", views.service, name="service"),
]
