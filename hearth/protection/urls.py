from django.urls import path

from . import views

app_name = "protection"
urlpatterns: list = []
