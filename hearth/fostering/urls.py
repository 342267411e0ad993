from django.urls import URLPattern

app_name = "fostering"

urlpatterns: list[URLPattern] = []
