from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "hearth.missing"
    label = "missing"
