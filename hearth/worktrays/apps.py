from django.apps import AppConfig


class WorktraysConfig(AppConfig):
    name = "hearth.worktrays"
    label = "worktrays"
