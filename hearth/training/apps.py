from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "hearth.training"
    label = "training"
    verbose_name = "Training and apprenticeships"

    def ready(self) -> None:
        from . import rules  # noqa: F401  registers the permissions
