from django.urls import URLPattern

app_name = "care_leavers_service"

urlpatterns: list[URLPattern] = []
