from django.urls import path

from . import views

app_name = "front_door"
urlpatterns: list = []
