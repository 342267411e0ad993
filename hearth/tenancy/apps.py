from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "hearth.tenancy"
    label = "tenancy"
    verbose_name = "Local authorities"
