from django.urls import URLPattern

app_name = "missing_service"

urlpatterns: list[URLPattern] = []
