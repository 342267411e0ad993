from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "hearth.matching"
    label = "matching"
