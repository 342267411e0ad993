from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "hearth.returns"
    label = "returns"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  registers the returns permissions
