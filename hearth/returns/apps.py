from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "hearth.returns"
    label = "returns"
