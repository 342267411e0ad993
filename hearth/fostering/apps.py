from django.apps import AppConfig


class FosteringConfig(AppConfig):
    name = "hearth.fostering"
    label = "fostering"
