from django.apps import AppConfig


class CinConfig(AppConfig):
    name = "hearth.cin"
    label = "cin"
