from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "hearth.portal"
    label = "portal"
