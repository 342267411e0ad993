from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "hearth.care"
    label = "care"

    def ready(self) -> None:
        from . import merging  # noqa: F401  registers the merge check
