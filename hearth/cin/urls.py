from django.urls import path

from . import views

app_name = "cin"
urlpatterns = [
    path("", views.overview, name="overview"),
]
