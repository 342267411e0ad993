from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "hearth.supervision"
    label = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        from . import rules  # noqa: F401  registers the permissions
