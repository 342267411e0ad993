from __future__ import annotations

from django.db import models


class PlantedDuplicate(models.Model):
    """Ground truth for the synthetic council: a record planted as a duplicate of another.

    Only the generator writes it; the duplicate-detection benchmark reads it to measure
    precision and recall. A real council's database has none.
    """

    class Kind(models.TextChoices):
        TYPO = "typo", "Typing error in a name"
        TRANSPOSED_DATE = "transposed_date", "Day and month swapped"
        NICKNAME = "nickname", "Nickname instead of legal name"
        SURNAME_CHANGE = "surname_change", "Changed surname"
        MISSING_IDENTIFIERS = "missing_identifiers", "Identifiers not recorded"
        COMBINED = "combined", "More than one difference"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    original = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What differs, in words: "typo in first name; no NHS number or UPN".
    detail = models.CharField(max_length=200, blank=True)


class PlantedError(models.Model):
    """Ground truth for data-quality checks: a recording mistake the generator made on purpose.

    Written only when ``seed_demo --error-rate`` is above 0; ``detail`` says what was changed.
    """

    class Kind(models.TextChoices):
        MISSING_ETHNICITY = "missing_ethnicity", "Ethnicity not recorded (NOBT)"
        MISSING_SEX = "missing_sex", "Sex not recorded for a born child"
        MISSING_DATE_OF_BIRTH = "missing_date_of_birth", "Date of birth missing"
        ALLOCATION_BEFORE_BIRTH = "allocation_before_birth", "Allocation starts before the date of birth"
        RELATIONSHIP_BEFORE_BIRTH = "relationship_before_birth", "Relationship starts before the date of birth"
        MISSING_UPN_REASON = "missing_upn_reason", "School-age child with no UPN and no reason"
        INVALID_UPN = "invalid_upn", "UPN with the wrong check letter"
        INVALID_NHS_NUMBER = "invalid_nhs_number", "NHS number failing Modulus 11"
        ADDRESS_MISSING_DATE = "address_missing_date", "Current address with no moved-in date"
        INVALID_POSTCODE = "invalid_postcode", "Postcode not in Royal Mail's format"
        # Casework (CIN census and Working Together rules the database itself does not enforce).
        CHILD_NOT_SEEN_RECORDED = "assessment_child_not_seen", "Assessment authorised with no date the child was seen"
        FACTOR_21_WITH_OTHERS = "factor_21_with_others", "Factor 21 (no factors) recorded with other factors"
        RETIRED_FACTOR = "retired_factor", "Retired assessment factor (18A or 19A) recorded"
        ICPC_ON_WEEKEND = "icpc_on_weekend", "Initial conference dated on a weekend"
        PLAN_START_NOT_CONFERENCE = "plan_start_not_conference", "CP plan start is not a conference date"
        RC8_WITHOUT_ASSESSMENT = "rc8_without_assessment", "Closed RC8 with no assessment in the episode"
        # Children in care (SSDA903 rules on records the services accept as they stand).
        SDQ_NOT_RECORDED = "sdq_not_recorded", "No SDQ score or reason recorded in a year looked after throughout"
        OC2_NOT_RECORDED = "oc2_not_recorded", "Convictions and substance misuse not recorded for a year's OC2"
        PLACEMENT_URN_MISSING = "placement_urn_missing", "Placement with a registered provider recorded with no URN"
        PLACEMENT_POSTCODE_MISSING = "placement_postcode_missing", "Placement recorded with no postcode"
        MISSING_NOT_CLOSED = "missing_not_closed", "Missing episode never closed, the child since left care"

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    detail = models.CharField(max_length=200, blank=True)
    # The casework record the mistake is in ("cin.Assessment", "42"); blank for a person's own details.
    source_label = models.CharField(max_length=80, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    # For a mistake in one collection year's items (an SDQ, an OC2, a period that ended): that year, by the
    # year it ends (2026 is 1 April 2025 to 31 March 2026). Blank when it shows wherever its record does.
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["local_authority", "kind"])]
