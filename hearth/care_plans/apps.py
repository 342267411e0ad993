from django.apps import AppConfig


class CarePlansConfig(AppConfig):
    name = "hearth.care_plans"
    label = "care_plans"
