from django.urls import URLPattern

app_name = "care_service"

urlpatterns: list[URLPattern] = []
