from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "hearth.improvement"
    label = "improvement"
    verbose_name = "Improvement programme"

    def ready(self) -> None:
        from . import rules  # noqa: F401  registers the permissions
