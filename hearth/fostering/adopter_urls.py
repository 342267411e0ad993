from django.urls import URLPattern

app_name = "adopters"

urlpatterns: list[URLPattern] = []
