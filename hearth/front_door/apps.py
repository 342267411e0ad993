from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "hearth.front_door"
    label = "front_door"

    def ready(self) -> None:
        # Registers the contact decision dates with the clocks' recompute after a calendar change.
        from . import services  # noqa: F401
