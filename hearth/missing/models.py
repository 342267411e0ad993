"""Missing and away episodes, return home interviews, and exploitation risk screening.

An episode is the SSDA903 ``Missing`` row: ``MISSING`` (M or A, never merged), ``MIS_START`` (when the
child left or was last seen by a responsible adult) and ``MIS_END`` (when found or returned). It is
recorded for children at home as well as in care; whether the child was looked after when it began
is fixed at the start, so the 903 and Annex A List 8 read it straight off the row.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from hearth.audit.models import AuditedModel
from hearth.care.codes import MissingType

from .codes import RISK_ORDER, HowReturned, InterviewResponse, PoliceRisk, RiskLevel


class MissingEpisode(AuditedModel):
    """One missing (M) or away (A) episode. Episodes of one child never overlap; an unresolved one stays open."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="missing_episodes")
    missing_type = models.CharField(max_length=1, choices=MissingType.choices)
    # Looked after on the day the episode began (hearth.care.selectors.looked_after_on), set by the service.
    from_care = models.BooleanField(default=False)
    started_at = models.DateTimeField(help_text="When the child left, or was last seen by a responsible adult")
    reported_at = models.DateTimeField(null=True, blank=True, help_text="When the council or police were told")
    reported_to_police = models.BooleanField(default=False)
    police_reference = models.CharField(max_length=40, blank=True)
    police_risk = models.CharField(max_length=10, choices=PoliceRisk.choices, blank=True)
    missing_from = models.CharField(max_length=200, blank=True, help_text="Where they went missing from")
    circumstances = models.TextField(blank=True)
    # People with them who have no record here (an adult, a friend from another area).
    others_with_them = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When the child was found or returned")
    found_where = models.CharField(max_length=200, blank=True)
    found_postcode = models.CharField(max_length=8, blank=True)
    # The postcode's outward code ("NG1"), kept so patterns can be grouped by district in the database.
    found_district = models.CharField(max_length=4, blank=True)
    how_returned = models.CharField(max_length=20, choices=HowReturned.choices, blank=True)
    return_notes = models.TextField(blank=True)
    # Places the child was while missing: [{"place": ..., "postcode": ..., "district": ...}].
    locations = models.JSONField(default=list, blank=True)
    strategy_discussion = models.ForeignKey(
        "protection.StrategyDiscussion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "started_at"]),
            models.Index(fields=["local_authority", "ended_at"]),
            models.Index(fields=["child", "started_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_at__isnull=True), name="one_open_missing_episode_per_child"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gt=models.F("started_at")),
                name="missing_episode_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_missing_type_display().split(':')[0]} from {self.started_at:%d %b %Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def type_label(self) -> str:
        return "Missing" if self.missing_type == MissingType.MISSING else "Away"

    @property
    def duration(self) -> timedelta | None:
        return self.ended_at - self.started_at if self.ended_at else None


class MissingEpisodeLink(AuditedModel):
    """Another child recorded as missing with this one. Unlinking keeps the row (marked removed)."""

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(MissingEpisode, on_delete=models.PROTECT, related_name="links")
    linked_child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="missing_with")
    removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "linked_child"], name="one_link_per_child_per_episode"),
        ]


class ReturnInterview(AuditedModel):
    """The independent return home interview after one return: offered, accepted or declined, completed.

    Made when the child is found or returned, with ``due_at`` 72 elapsed hours later (the
    ``return_home_interview`` clock's due time, kept here so "offered or completed within 72 hours"
    is a column comparison in one query).
    """

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="return_interviews")
    episode = models.OneToOneField(MissingEpisode, on_delete=models.PROTECT, related_name="interview")
    due_at = models.DateTimeField()
    offered_at = models.DateTimeField(null=True, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.CharField(max_length=10, choices=InterviewResponse.choices, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    declined_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    push_factors = models.JSONField(default=list, blank=True)
    pull_factors = models.JSONField(default=list, blank=True)
    child_account = models.TextField(blank=True, help_text="What the child said, in their words where possible")
    risks_identified = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    late_reason = models.TextField(blank=True, help_text="Why it was not held within 72 hours")

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["local_authority", "completed_at", "due_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(offered_at__isnull=False),
                name="return_interview_completed_after_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"Return home interview due {self.due_at:%d %b %Y %H:%M}"

    @property
    def is_done(self) -> bool:
        """Nothing more to do: held, or declined."""
        return self.completed_at is not None or self.response == InterviewResponse.DECLINED

    @property
    def offered_in_time(self) -> bool:
        return self.offered_at is not None and self.offered_at <= self.due_at

    @property
    def completed_in_time(self) -> bool:
        return self.completed_at is not None and self.completed_at <= self.due_at

    @property
    def status(self) -> str:
        if self.completed_at is not None:
            return "Held within 72 hours" if self.completed_in_time else "Held after 72 hours"
        if self.response == InterviewResponse.DECLINED:
            return "Declined"
        if self.response == InterviewResponse.ACCEPTED:
            return "Accepted, not yet held"
        if self.offered_at is not None:
            return "Offered, waiting for an answer"
        return "Not yet offered"


class ExploitationScreening(AuditedModel):
    """A screening of the risk of child sexual (CSE) and criminal (CCE) exploitation.

    A review is a new screening pointing at the one it reviews, so the history is every row.
    """

    local_authority = models.ForeignKey("tenancy.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="exploitation_screenings")
    screened_on = models.DateField()
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cse_risk = models.CharField("risk of sexual exploitation", max_length=6, choices=RiskLevel.choices)
    cce_risk = models.CharField("risk of criminal exploitation", max_length=6, choices=RiskLevel.choices)
    indicators = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    episode = models.ForeignKey(
        MissingEpisode, null=True, blank=True, on_delete=models.PROTECT, related_name="screenings",
        help_text="The missing episode that prompted this screening, if any",
    )
    reviews = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_by",
        help_text="The earlier screening this one reviews",
    )
    # From the exploitation_screening_review clock; empty when no risk was found (no review needed).
    next_review_on = models.DateField(null=True, blank=True)
    strategy_discussion = models.ForeignKey(
        "protection.StrategyDiscussion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-screened_on", "-id"]
        indexes = [models.Index(fields=["child", "screened_on"]), models.Index(fields=["local_authority", "cse_risk"]),
                   models.Index(fields=["local_authority", "cce_risk"])]

    def __str__(self) -> str:
        return f"Exploitation screening {self.screened_on:%d %b %Y}"

    @property
    def highest_risk(self) -> str:
        return max((self.cse_risk, self.cce_risk), key=lambda level: RISK_ORDER.get(level, 0))

    @property
    def any_risk(self) -> bool:
        return self.highest_risk != RiskLevel.NONE
