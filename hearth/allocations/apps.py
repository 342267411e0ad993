from django.apps import AppConfig


class AllocationsConfig(AppConfig):
    name = "hearth.allocations"
    label = "allocations"
    verbose_name = "Allocations"
