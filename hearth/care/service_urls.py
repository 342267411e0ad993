from django.urls import path

from . import views

app_name = "care_service"

urlpatterns = [
    path("", views.index, name="index"),
]
