from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "hearth.protection"
    label = "protection"
