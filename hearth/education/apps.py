from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "hearth.education"
    label = "education"
