from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "hearth.clocks"
    label = "clocks"
    verbose_name = "Statutory clocks and calendar"
