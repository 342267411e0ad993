from django.urls import URLPattern

app_name = "care_plans"

urlpatterns: list[URLPattern] = []
