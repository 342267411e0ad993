from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "hearth.workspace"
    label = "workspace"
    verbose_name = "Workspace"
