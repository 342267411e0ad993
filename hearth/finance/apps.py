from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "hearth.finance"
    label = "finance"
    verbose_name = "Finance"

    def ready(self) -> None:
        from . import rules  # noqa: F401  registers the permissions
