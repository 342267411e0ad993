"""Reads for returns: the council's runs, and a run's findings as the reader may see them.

A finding names a child only by the Hearth ID, never by name, and only where the reader may see that the
record exists: a restricted record they cannot open is "a restricted record" with no link, and a sealed one
is left out, as the work trays do (``hearth.access.policy.countable_unseen_filter``). Performance analysts
work from pseudonymised lists, so they see the Hearth IDs of open records and open none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from hearth.access.policy import countable_unseen_filter, visible_people_filter
from hearth.accounts.models import Team
from hearth.people.models import Person

from .models import ReturnFinding, ReturnRun

if TYPE_CHECKING:
    from hearth.accounts.models import User
    from hearth.tenancy.models import LocalAuthority

# The stored file and the list of everyone in it are large; pages never need them.
_HEAVY = ("output", "person_pks")


def runs_for(*, user: User) -> QuerySet[ReturnRun]:
    """The runs of the reader's council, newest first."""
    return (ReturnRun.objects.filter(local_authority_id=user.local_authority_id)
            .select_related("requested_by").defer(*_HEAVY))


def runs_listed_for(*, user: User) -> QuerySet[ReturnRun]:
    """The runs of the reader's council, newest first, each with ``seen_errors`` and ``seen_queries``: the
    findings the reader may see (so a sealed record's finding is not counted, and a team manager counts
    their team's), not the run's own totals."""
    def seen(severity: str) -> Coalesce:
        found = (ReturnFinding.objects.filter(_seen(user), run=OuterRef("pk"), severity=severity).order_by()
                 .values("run").annotate(n=Count("pk")).values("n")[:1])
        return Coalesce(Subquery(found, output_field=IntegerField()), 0)

    return runs_for(user=user).annotate(seen_errors=seen("error"), seen_queries=seen("query"))


def run_for(*, user: User, pk: int) -> ReturnRun:
    """One run of the reader's council, or 404 (another council's runs do not exist for them)."""
    run = runs_for(user=user).select_related("submitted_by").filter(pk=pk).first()
    if run is None or not user.has_perm("returns.view_run", run):
        raise Http404
    return run


def latest_submitted(*, local_authority: LocalAuthority, kind: str, year: int) -> ReturnRun | None:
    return (ReturnRun.objects.filter(local_authority=local_authority, kind=kind, year=year, submitted=True,
                                     action=ReturnRun.Action.EXPORT, status=ReturnRun.Status.DONE)
            .defer(*_HEAVY).order_by("-submitted_at", "-id").first())


def _identity_rules(user: User) -> tuple[Q, Q]:
    """(whose Hearth ID the reader may see, which records they may count as "a restricted record")."""
    if user.has_case_access:
        shown = visible_people_filter(user, "person__")
        counted = countable_unseen_filter(user, "person__")
        return shown or Q(pk__in=[]), counted or Q(pk__in=[])
    same_council = Q(person__local_authority_id=user.local_authority_id, person__merged_into__isnull=True)
    return (same_council & Q(person__access_level=Person.AccessLevel.OPEN),
            same_council & Q(person__access_level=Person.AccessLevel.RESTRICTED))


def team_only(user: User) -> bool:
    """A team manager reads only the findings about children their team holds."""
    return not user.has_perm("returns.run_returns")


def _seen(user: User) -> Q:
    """Which findings the reader may see at all (named, or as "a restricted record")."""
    shown, counted = _identity_rules(user)
    if team_only(user):
        # Findings about the whole return are council work, not the team's.
        return (shown | counted) & Q(team_id=user.team_id or 0, person__isnull=False)
    return Q(person__isnull=True) | shown | counted


def findings_for(*, user: User, run: ReturnRun, rule: str = "", severity: str = "",
                 team_id: int | None = None) -> QuerySet[ReturnFinding]:
    """The run's findings the reader may see, errors first, each with ``identified``: may the child's Hearth ID
    (and the link to the record, for staff who work with records) be shown."""
    if run.local_authority_id != user.local_authority_id:
        return ReturnFinding.objects.none()
    shown, _ = _identity_rules(user)
    found = ReturnFinding.objects.filter(_seen(user), run=run, local_authority_id=user.local_authority_id)
    if rule:
        found = found.filter(rule=rule)
    if severity:
        found = found.filter(severity=severity)
    if team_id:
        found = found.filter(team_id=team_id)
    identified = Case(When(shown, then=Value(True)), default=Value(False), output_field=BooleanField())
    return (found.annotate(identified=identified)
            .select_related("team", "worker")
            .order_by("severity", "rule", "child", "id"))


def finding_counts(*, user: User, run: ReturnRun) -> dict[str, int]:
    """Errors and queries among the findings the reader may see: the run's own totals would count sealed
    records (and, for a team manager, other teams' children)."""
    counts = dict(findings_for(user=user, run=run).order_by().values_list("severity").annotate(n=Count("pk")))
    return {"error": counts.get("error", 0), "query": counts.get("query", 0)}


def finding_rules(*, user: User, run: ReturnRun) -> list[str]:
    """The rule codes among the findings the reader may see, for the filter."""
    return sorted(set(findings_for(user=user, run=run).order_by().values_list("rule", flat=True).distinct()))


def finding_teams(*, user: User) -> QuerySet[Team]:
    return Team.objects.filter(local_authority_id=user.local_authority_id, closed_on__isnull=True).order_by("name")
