from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "hearth.indicators"
    label = "indicators"
    verbose_name = "Performance indicators"

    def ready(self) -> None:
        from . import (
            definitions,  # noqa: F401  registers every indicator
            rules,  # noqa: F401  registers the permissions
        )
