from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "hearth.care"
    label = "care"
