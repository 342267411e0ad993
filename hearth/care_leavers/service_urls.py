from django.urls import path

from . import views

app_name = "care_leavers_service"

urlpatterns = [
    path("", views.tray, name="tray"),
]
