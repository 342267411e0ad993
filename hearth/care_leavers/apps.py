from django.apps import AppConfig


class CareLeaversConfig(AppConfig):
    name = "hearth.care_leavers"
    label = "care_leavers"
