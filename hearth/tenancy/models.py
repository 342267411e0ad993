from django.core.validators import RegexValidator
from django.db import models


class LocalAuthority(models.Model):
    """A council. Every other table points here, so one deployment can host several."""

    name = models.CharField(max_length=120)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^E0[6-9]\d{6}$|^E10\d{6}$", "Enter an English ONS code such as E06000018")],
    )
    dfe_la_number = models.CharField(
        "DfE LA number",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter the three-digit DfE LA number, such as 892")],
    )
    population_0_17 = models.PositiveIntegerField(
        "children aged 0 to 17", null=True, blank=True, help_text="ONS mid-year estimate, for rates per 10,000"
    )

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantQuerySet(models.QuerySet):
    def for_la(self, local_authority: LocalAuthority | int) -> "TenantQuerySet":
        return self.filter(local_authority=local_authority)
