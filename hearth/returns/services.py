"""Writes for returns: starting a run, doing it (usually in the background), marking an export as the one sent
to DfE, downloading its file, and the access log of every export (a return holds every child in it)."""

from __future__ import annotations

import io
import logging
import re
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.access.services import access_record_many
from hearth.allocations.models import Allocation
from hearth.people.models import Person
from hearth.tenancy.models import LocalAuthority

from .links import fix_url
from .models import STALLED_AFTER, ReturnFinding, ReturnRun
from .years import CIN_YEARS, SSDA903_YEARS, collection_period, year_title

if TYPE_CHECKING:
    from hearth.accounts.models import User

    from .rules.base import Finding, Return903

logger = logging.getLogger(__name__)

SUPPORTED_YEARS = {ReturnRun.Kind.CIN: CIN_YEARS, ReturnRun.Kind.SSDA903: SSDA903_YEARS}
ZIP_TYPE = "application/zip"
XML_TYPE = "application/xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Runs a council may have waiting or running at once: each holds a background worker while it runs.
MAX_UNDER_WAY = 4
_HEAVY = ("output", "person_pks")


def log_export(*, local_authority_id: int, person_pks: Iterable[int], user: User | None, system: str = "",
               page: str) -> int:
    """One access event per child in an exported return, against the user or (command line) the job.
    ``page`` says which return, e.g. "SSDA903 2025/26 export"."""
    pks = sorted(set(person_pks))
    with transaction.atomic():
        people = Person.objects.filter(local_authority_id=local_authority_id, pk__in=pks).only(
            "pk", "local_authority_id")
        return access_record_many(user=user, people=people.iterator(chunk_size=2000), action=AccessEvent.Action.EXPORT,
                                  page=page, system=system)


# ------------------------------------------------------------------------------------------- starting a run


class RunAlreadyUnderWay(ValidationError):
    """The same return is already waiting or running: the person is sent to that run instead."""

    def __init__(self, run: ReturnRun):
        super().__init__(f"{run.title} is already being run.")
        self.run = run


def supported_years_text(kind: str) -> str:
    years = SUPPORTED_YEARS[ReturnRun.Kind(kind)]
    return ", ".join(year_title(y) for y in years[:-1]) + f" and {year_title(years[-1])}"


def _check_arguments(*, kind: str, year: int | None, start: date | None, end: date | None) -> None:
    today = timezone.localdate()
    if kind in SUPPORTED_YEARS:
        label = ReturnRun.Kind(kind).label
        if year is None:
            raise ValidationError({"year": "Select the collection year"})
        if year not in SUPPORTED_YEARS[ReturnRun.Kind(kind)]:
            raise ValidationError({"year": f"Hearth can make the {label} for {supported_years_text(kind)} only"})
        first_day = collection_period(year)[0]
        if first_day > today:
            raise ValidationError({"year": f"The {year_title(year)} collection year starts on "
                                           f"{first_day:%-d %B %Y}, which is in the future"})
        return
    if start is None:
        raise ValidationError({"start": "Enter the start date"})
    if end is None:
        raise ValidationError({"end": "Enter the end date"})
    if end > today:
        raise ValidationError({"end": "The end date must be today or in the past"})
    if start > end:
        raise ValidationError({"end": "The end date must be the same as or after the start date"})


def return_run_start(*, local_authority: LocalAuthority, kind: str, action: str, year: int | None = None,
                     start: date | None = None, end: date | None = None, by: User) -> ReturnRun:
    """Record that a return has been asked for; ``return_run_execute`` (the background task) then makes it.

    Refuses a year Hearth has no specification for, a collection year not yet begun, an Annex A period
    that ends in the future or before it starts, a second identical run while one is waiting or running,
    and any run while the council already has ``MAX_UNDER_WAY`` under way (each holds a worker).
    """
    if not by.has_perm("returns.run_returns") or by.local_authority_id != local_authority.pk:
        raise PermissionDenied
    if kind not in ReturnRun.Kind.values or action not in ReturnRun.Action.values:
        raise ValidationError("Choose a return and whether to validate or export it")
    _check_arguments(kind=kind, year=year, start=start, end=end)
    if kind == ReturnRun.Kind.ANNEX_A:
        year = None
    else:
        start = end = None
    with transaction.atomic():
        # One start at a time per council (a row lock where the database has them), so two clicks or two
        # people cannot both pass the checks below.
        LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).first()
        _stop_stalled(local_authority_id=local_authority.pk)
        under_way = list(ReturnRun.objects.filter(
            local_authority=local_authority, status__in=[ReturnRun.Status.QUEUED, ReturnRun.Status.RUNNING],
        ).defer(*_HEAVY).order_by("requested_at", "id"))
        for same in under_way:
            if (same.kind, same.action, same.year, same.period_start, same.period_end) == (
                    kind, action, year, start, end):
                raise RunAlreadyUnderWay(same)
        if len(under_way) >= MAX_UNDER_WAY:
            raise ValidationError(f"{len(under_way)} returns are already being run for the council. Wait for "
                                  f"one of them to finish, then try again.")
        return ReturnRun.objects.create(local_authority=local_authority, kind=kind, action=action, year=year,
                                        period_start=start, period_end=end, requested_by=by,
                                        stage="Waiting to start")


STALLED_MESSAGE = ("This run stopped without finishing, probably because Hearth was restarted while it ran. "
                   "Nothing was lost: run it again.")


def _stop_stalled(*, local_authority_id: int) -> int:
    """Mark as failed the council's runs that have been under way far longer than any return takes: their
    worker has gone, and they would otherwise refuse the same return for ever."""
    cutoff = timezone.now() - STALLED_AFTER
    stalled = ReturnRun.objects.filter(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True, requested_at__lt=cutoff),
        local_authority_id=local_authority_id, status__in=[ReturnRun.Status.QUEUED, ReturnRun.Status.RUNNING])
    return stalled.update(status=ReturnRun.Status.FAILED, stage="Stopped", error=STALLED_MESSAGE,
                          finished_at=timezone.now())


def return_run_stop_if_stalled(*, run: ReturnRun) -> ReturnRun:
    """A run page looked at long after its worker died says so, instead of polling for ever."""
    if run.is_stalled:
        with transaction.atomic():
            _stop_stalled(local_authority_id=run.local_authority_id)
        run.refresh_from_db(fields=["status", "stage", "error", "finished_at"])
    return run


def return_run_again(*, run: ReturnRun, by: User) -> ReturnRun:
    """A new validation of the same return ("Check again", after a fix)."""
    local_authority = run.local_authority
    return return_run_start(local_authority=local_authority, kind=run.kind, action=ReturnRun.Action.VALIDATE,
                            year=run.year, start=run.period_start, end=run.period_end, by=by)


def return_run_mark_submitted(*, run: ReturnRun, by: User) -> ReturnRun:
    """Record that this export is the one sent to DfE: next year's SSDA903 checks read last year from it."""
    if not by.has_perm("returns.submit_return") or by.local_authority_id != run.local_authority_id:
        raise PermissionDenied
    if run.has_file and run.is_provisional and run.collection_end is not None:
        raise ValidationError(f"This export was made before the {year_title(run.year or 0)} year ended on "
                              f"{run.collection_end:%-d %B %Y}, so it cannot be the return sent to DfE. "
                              f"Export the return again after that date.")
    if not run.can_be_submitted:
        raise ValidationError("Only a finished export of the CIN census or the SSDA903 can be marked as submitted")
    if run.submitted:
        return run
    with transaction.atomic():
        run.submitted = True
        run.submitted_by = by
        run.submitted_at = timezone.now()
        run.save(update_fields=["submitted", "submitted_by", "submitted_at"])
    logger.info("Return run %s marked as submitted", run.pk)
    return run


def return_download(*, run: ReturnRun, user: User) -> tuple[bytes, str, str]:
    """The export's file, as (content, file name, content type). Every download is logged against every
    child in the file, as the file holds each of their records."""
    if not user.has_perm("returns.download_return") or user.local_authority_id != run.local_authority_id:
        raise PermissionDenied
    if not run.has_file or run.output is None:
        raise ValidationError("This run has no file to download")
    log_export(local_authority_id=run.local_authority_id, person_pks=run.person_pks, user=user,
               page=f"{run.title} export (download)")
    return bytes(run.output), run.output_name, run.output_content_type


# ------------------------------------------------------------------------------------------- doing a run


@dataclass
class _Made:
    """What a run made, before it is stored."""

    children: int = 0
    person_pks: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    child_pks: dict[str, int] = field(default_factory=dict)
    rules_run: list[str] = field(default_factory=list)
    rules_not_run: dict[str, str] = field(default_factory=dict)
    output: bytes | None = None
    output_name: str = ""
    output_content_type: str = ""
    previous_source: str = ""


class _Progress:
    """Writes the run's progress at most about once a second, so a big return is not slowed by its own bar."""

    interval = 1.0  # seconds between writes

    def __init__(self, run: ReturnRun) -> None:
        self.run = run
        self.last = 0.0

    def __call__(self, percent: float, stage: str, *, force: bool = False) -> None:
        now = time.monotonic()
        percent = int(max(0, min(99, percent)))
        if not force and now - self.last < self.interval:
            return
        self.last = now
        self.run.progress = max(self.run.progress, percent)
        self.run.stage = stage[:100]
        self.run.save(update_fields=["progress", "stage"])

    def part(self, low: float, high: float) -> Callable[[float, str], None]:
        """A builder's progress (a fraction of its own work) as a slice of the whole run."""
        return lambda done, stage: self(low + (high - low) * max(0.0, min(1.0, done)), stage)


def previous_903(*, local_authority: LocalAuthority, year: int) -> tuple[Return903 | None, str]:
    """Last year's SSDA903 for the cross-year rules: the export marked as submitted to DfE when there is one,
    as DfE will compare with what it received; otherwise (None) the builder makes it from the live record."""
    from .ssda903 import read_903_csv

    submitted = (ReturnRun.objects.filter(local_authority=local_authority, kind=ReturnRun.Kind.SSDA903,
                                          action=ReturnRun.Action.EXPORT, status=ReturnRun.Status.DONE,
                                          submitted=True, year=year - 1)
                 .order_by("-submitted_at", "-id").first())
    if submitted is None or submitted.output is None:
        return None, "the live record"
    described = f"the {year_title(year - 1)} export submitted to DfE (run {submitted.pk})"
    try:
        with tempfile.TemporaryDirectory() as folder:
            with zipfile.ZipFile(io.BytesIO(bytes(submitted.output))) as archive:
                archive.extractall(folder)
            return read_903_csv(Path(folder), year=year - 1), described
    except (ValueError, KeyError, zipfile.BadZipFile) as error:
        logger.warning("Submitted SSDA903 run %s could not be read: %s", submitted.pk, type(error).__name__)
        return None, f"the live record ({described} could not be read)"


# xsd_errors names the child a schema error is inside: "line 40, child 0001234: Element 'Sex': ...".
_SCHEMA_CHILD = re.compile(r"^(line \d+), child (\S+): (.*)$", re.DOTALL)


def _schema_finding(message: str, table: str) -> Finding:
    from .rules.base import ERROR, Finding

    child = ""
    matched = _SCHEMA_CHILD.match(message) if table == "Schema" else None
    if matched and matched.group(2) != "?":
        # About one child: filed against them, so it is shown only to those who may see that record, and
        # the message itself no longer names them.
        child, message = matched.group(2), f"{matched.group(1)}: {matched.group(3)}"
    return Finding(rule="Schema" if table == "Schema" else "Annex A", severity=ERROR, message=message, child=child,
                   table=table, fields=())


def _make_903(run: ReturnRun, local_authority: LocalAuthority, progress: _Progress) -> _Made:
    from .rules import base
    from .ssda903 import build_903, zip_903

    assert run.year is not None
    progress(1, "Reading last year's return", force=True)
    previous, source = previous_903(local_authority=local_authority, year=run.year)
    ret = build_903(local_authority=local_authority, year=run.year, previous=previous, with_previous=True,
                    progress=progress.part(2, 65))
    progress(65, "Checking the DfE validation rules", force=True)
    result = base.validate_903(ret, progress=lambda n, total: progress(65 + 25 * n / max(total, 1),
                                                                       "Checking the DfE validation rules"))
    made = _Made(children=len(ret.table("Header")), person_pks=sorted(set(ret.child_pks.values())),
                 findings=result.findings, child_pks=dict(ret.child_pks), rules_run=result.rules_run,
                 rules_not_run=result.not_run, previous_source=source)
    if run.action == ReturnRun.Action.EXPORT:
        progress(90, "Writing the CSV files", force=True)
        made.output = zip_903(ret)
        made.output_name = f"ssda903_{local_authority.dfe_la_number}_{year_title(run.year).replace('/', '_')}.zip"
        made.output_content_type = ZIP_TYPE
    return made


def _make_cin(run: ReturnRun, local_authority: LocalAuthority, progress: _Progress) -> _Made:
    from .cin_census import build_cin, cin_xml, xsd_errors
    from .rules import base

    assert run.year is not None
    census = build_cin(local_authority=local_authority, year=run.year, progress=progress.part(1, 65))
    progress(65, "Checking the DfE validation rules", force=True)
    result = base.validate_cin(census, progress=lambda n, total: progress(65 + 20 * n / max(total, 1),
                                                                          "Checking the DfE validation rules"))
    child_pks = {c.la_child_id: c.person_pk for c in census.children if c.person_pk is not None}
    made = _Made(children=len(census.children), person_pks=sorted(set(child_pks.values())),
                 findings=list(result.findings), child_pks=child_pks, rules_run=result.rules_run,
                 rules_not_run=result.not_run)
    if run.action == ReturnRun.Action.EXPORT:
        progress(85, "Writing the XML and checking it against the schema", force=True)
        xml = cin_xml(census)
        made.findings.extend(_schema_finding(message, "Schema") for message in xsd_errors(xml, year=run.year))
        made.output = xml
        made.output_name = f"cin_census_{local_authority.dfe_la_number}_{year_title(run.year).replace('/', '_')}.xml"
        made.output_content_type = XML_TYPE
    return made


def _make_annex_a(run: ReturnRun, local_authority: LocalAuthority, progress: _Progress) -> _Made:
    from .annex_a import annex_a_xlsx, build_annex_a

    assert run.period_start is not None and run.period_end is not None
    annex = build_annex_a(local_authority=local_authority, start=run.period_start, end=run.period_end,
                          progress=progress.part(1, 85))
    made = _Made(children=len(annex.person_pks), person_pks=sorted(annex.person_pks),
                 findings=[_schema_finding(problem, "Annex A") for problem in annex.problems],
                 rules_run=["Annex A headers and labels"])
    if run.action == ReturnRun.Action.EXPORT:
        progress(85, "Writing the workbook", force=True)
        made.output = annex_a_xlsx(annex)
        made.output_name = f"annex_a_{run.period_start:%Y-%m-%d}_to_{run.period_end:%Y-%m-%d}.xlsx"
        made.output_content_type = XLSX_TYPE
    return made


MAKERS: dict[str, Callable[[ReturnRun, Any, _Progress], _Made]] = {
    ReturnRun.Kind.SSDA903: _make_903,
    ReturnRun.Kind.CIN: _make_cin,
    ReturnRun.Kind.ANNEX_A: _make_annex_a,
}


def _person_pks_for(local_authority_id: int, made: _Made) -> dict[str, int]:
    """CHILD -> person for every finding: the return's own map, then (a child only in last year's return) the
    Hearth ID itself, checked against the council's records in one query."""
    found = dict(made.child_pks)
    unknown = {f.child for f in made.findings if f.child and f.child not in found and f.child.isdigit()}
    if unknown:
        for pk in Person.objects.filter(local_authority_id=local_authority_id,
                                        pk__in=[int(c) for c in unknown]).values_list("pk", flat=True):
            found[f"{pk:07d}"] = pk
            found[str(pk)] = pk
    return found


def _store(run: ReturnRun, made: _Made, started: float) -> None:
    kind = run.kind
    pks = _person_pks_for(run.local_authority_id, made)
    rows = []
    for finding in made.findings:
        person_pk = pks.get(finding.child) if finding.child else None
        rows.append(ReturnFinding(
            local_authority_id=run.local_authority_id, run=run, rule=finding.rule[:20], severity=finding.severity,
            message=finding.message, child=finding.child[:20], person_id=person_pk, table=finding.table[:40],
            fields=", ".join(finding.fields)[:300], value=str(finding.value)[:200], location=finding.location[:300],
            fix_url=fix_url(kind=kind, finding=finding, person_pk=person_pk, year=run.year)[:300],
        ))
    with transaction.atomic():
        ReturnFinding.objects.bulk_create(rows, batch_size=500)
        if rows:
            # Who holds each child now (or last held them), in one statement, so the team can fix it.
            holder = (Allocation.objects.filter(child_id=OuterRef("person_id"), kind=Allocation.Kind.SOCIAL_WORKER)
                      .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-id"))
            ReturnFinding.objects.filter(run=run, person__isnull=False).update(
                team_id=Subquery(holder.values("team_id")[:1]), worker_id=Subquery(holder.values("worker_id")[:1]))
        run.children = made.children
        run.person_pks = made.person_pks
        run.errors = sum(1 for f in made.findings if f.severity == "error")
        run.queries = sum(1 for f in made.findings if f.severity == "query")
        run.rules_run = made.rules_run
        run.rules_not_run = made.rules_not_run
        run.previous_source = made.previous_source
        run.output = made.output
        run.output_name = made.output_name
        run.output_content_type = made.output_content_type
        run.status = ReturnRun.Status.DONE
        run.progress = 100
        run.stage = "Finished"
        run.finished_at = timezone.now()
        run.seconds = time.perf_counter() - started
        run.save()


def return_run_execute(*, run: ReturnRun) -> ReturnRun:
    """Make the return a run asked for: build it from the live record, check it against the year's DfE rules
    (and, for the CIN census export, the schema), store what was found and, for an export, the file."""
    started = time.perf_counter()
    run.status = ReturnRun.Status.RUNNING
    run.started_at = timezone.now()
    run.stage = "Starting"
    run.save(update_fields=["status", "started_at", "stage"])
    progress = _Progress(run)
    try:
        local_authority = run.local_authority
        made = MAKERS[run.kind](run, local_authority, progress)
        progress(95, "Saving the findings", force=True)
        _store(run, made, started)
    except Exception as error:
        # The reason in plain words, never the exception's message or traceback: they could quote a record.
        run.status = ReturnRun.Status.FAILED
        run.error = (f"The {run.title} could not be made because of a fault in Hearth. Try again; if it fails "
                     f"again, tell your system administrator, quoting run {run.pk}.")
        run.stage = "Failed"
        run.finished_at = timezone.now()
        run.seconds = time.perf_counter() - started
        run.save(update_fields=["status", "error", "stage", "finished_at", "seconds"])
        logger.error("Return run %s failed: %s", run.pk, type(error).__name__)
        return run
    logger.info("Return run %s: %s children, %s errors, %s queries in %.1fs", run.pk, run.children, run.errors,
                run.queries, run.seconds)
    return run
