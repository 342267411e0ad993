from django.apps import AppConfig


class CaseAuditsConfig(AppConfig):
    name = "hearth.case_audits"
    label = "case_audits"
    verbose_name = "Case audits"

    def ready(self) -> None:
        from . import rules  # noqa: F401  registers the permissions
