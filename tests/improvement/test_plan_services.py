"""The improvement plan's services: what they record, and what they refuse (with the field each refusal is about)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.improvement import services
from hearth.improvement.models import (
    ActionEvidence,
    ActionIndicator,
    Grade,
    ImprovementAction,
    Inspection,
    InspectionJudgement,
)
from hearth.improvement.services import IndicatorLink
from hearth.people.models import Person
from tests.factories import make_la, make_person, make_user
from tests.improvement.factories import make_area, make_inspection, make_visit
from tests.improvement.plan_world import PlanWorld

Area = InspectionJudgement.Area
Status = ImprovementAction.Status
Rag = ImprovementAction.Rag
Kind = ActionEvidence.Kind
ALL_RI = {a: Grade.REQUIRES_IMPROVEMENT for a in Area.values}


def refused(call, *fields: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    assert set(fields) <= set(caught.value.message_dict), caught.value.message_dict
    return caught.value


# ---------------------------------------------------------------- inspections


def test_a_standard_inspection_needs_every_judgement_and_care_leavers_only_from_2023(w: PlanWorld):
    def create(on: date, judgements: dict[str, str], kind: str = Inspection.Kind.STANDARD) -> Inspection:
        return services.inspection_create(local_authority=w.la, kind=kind, on_site_from=on, on_site_to=on,
                                          judgements=judgements, by=w.improvement)

    missing = dict(ALL_RI)
    del missing[Area.LEADERS]
    error = refused(lambda: create(date(2024, 5, 1), missing), "judgement_leaders")
    assert "impact of leaders" in error.message_dict["judgement_leaders"][0]
    # From January 2023 care leavers are judged on their own: required.
    no_leavers = {a: g for a, g in ALL_RI.items() if a != Area.CARE_LEAVERS}
    refused(lambda: create(date(2023, 1, 9), no_leavers), "judgement_care_leavers")
    # Before: empty is right, and a separate judgement is refused.
    early = create(date(2022, 7, 4), no_leavers)
    assert {j.area for j in early.judgements.all()} == set(Area.values) - {Area.CARE_LEAVERS}
    refused(lambda: create(date(2022, 7, 4), ALL_RI), "judgement_care_leavers")
    # A focused visit gives no judgements.
    refused(lambda: create(date(2024, 2, 1), {Area.OVERALL: Grade.GOOD}, Inspection.Kind.FOCUSED_VISIT),
            "judgement_overall")
    visit = create(date(2024, 2, 1), {}, Inspection.Kind.FOCUSED_VISIT)
    assert visit.judgements.count() == 0
    # A grade that is not Ofsted's, and days the wrong way round.
    refused(lambda: create(date(2024, 5, 1), {**ALL_RI, Area.OVERALL: "brilliant"}), "judgement_overall")
    refused(lambda: services.inspection_create(local_authority=w.la, kind=Inspection.Kind.STANDARD,
                                               on_site_from=date(2024, 5, 10), on_site_to=date(2024, 5, 1),
                                               judgements=ALL_RI, by=w.improvement), "on_site_to")


def test_an_inspection_is_regraded_never_stripped_and_a_stale_edit_is_refused(w: PlanWorld):
    inspection = w.inspection
    judgements = {j.area: j.grade for j in inspection.judgements.all()}
    judgements[Area.OVERALL] = Grade.REQUIRES_IMPROVEMENT
    saved = services.inspection_update(
        inspection=inspection, kind=inspection.kind, on_site_from=inspection.on_site_from,
        on_site_to=inspection.on_site_to, published_on=inspection.published_on, summary="Corrected.",
        judgements=judgements, expected_version=inspection.version, by=w.improvement)
    assert saved.judgements.get(area=Area.OVERALL).grade == Grade.REQUIRES_IMPROVEMENT
    assert ChangeRecord.objects.filter(model_label="improvement.InspectionJudgement", action="update").exists()
    stripped = dict(judgements)
    stripped[Area.LEADERS] = ""
    refused(lambda: services.inspection_update(
        inspection=saved, kind=saved.kind, on_site_from=saved.on_site_from, on_site_to=saved.on_site_to,
        published_on=None, summary="", judgements=stripped, expected_version=saved.version, by=w.improvement),
        "judgement_leaders")
    with pytest.raises(StaleVersionError):
        services.inspection_update(
            inspection=saved, kind=saved.kind, on_site_from=saved.on_site_from, on_site_to=saved.on_site_to,
            published_on=None, summary="", judgements=judgements, expected_version=saved.version - 1,
            by=w.improvement)


def test_areas_for_improvement_are_numbered_and_a_number_is_used_once(w: PlanWorld):
    third = services.area_for_improvement_create(inspection=w.inspection, text="Care leavers in touch.",
                                                 by=w.improvement)
    assert third.number == 3
    refused(lambda: services.area_for_improvement_create(inspection=w.inspection, number=2, text="Again",
                                                         by=w.improvement), "number")
    refused(lambda: services.area_for_improvement_create(inspection=w.inspection, text="  ", by=w.improvement),
            "text")
    # Another inspection may have its own number 1.
    other = make_inspection(w.la, on_site_from=date(2019, 3, 4), judgements={})
    assert services.area_for_improvement_create(inspection=other, number=1, text="Old", by=w.improvement).number == 1


# ---------------------------------------------------------------- actions


def test_an_action_links_indicators_with_targets_and_takes_the_latest_figure_as_its_baseline(
        w: PlanWorld, monkeypatch: pytest.MonkeyPatch):
    asked: list[str] = []

    def figure(*, local_authority, code, today=None):
        asked.append(code)
        return 61.5, date(2026, 10, 31)

    monkeypatch.setattr(services, "current_figure", figure)
    action = services.action_create(
        local_authority=w.la, reference="1.3", title="Front door triage", owner=w.manager, due_on=date(2027, 6, 30),
        area_for_improvement=w.area_1, indicators=[
            IndicatorLink("assessments_45wd", target=85, target_by=date(2027, 3, 31)),
            IndicatorLink("re_referrals_12m", target=18, target_by=date(2027, 3, 31), baseline=24.0,
                          baseline_on=date(2025, 1, 31)),
        ], by=w.improvement)
    links = {link.indicator: link for link in ActionIndicator.objects.filter(action=action)}
    assert (links["assessments_45wd"].baseline, links["assessments_45wd"].baseline_on) == (61.5, date(2026, 10, 31))
    # A typed baseline stands: the figure is not even asked for.
    assert (links["re_referrals_12m"].baseline, links["re_referrals_12m"].baseline_on) == (24.0, date(2025, 1, 31))
    assert asked == ["assessments_45wd"]
    assert action.status == Status.NOT_STARTED and action.rag == Rag.GREEN


def test_an_action_is_refused_with_an_unknown_indicator_a_missing_target_or_a_reference_in_use(w: PlanWorld):
    def create(reference: str = "9.1", links: list[IndicatorLink] | None = None) -> ImprovementAction:
        return services.action_create(local_authority=w.la, reference=reference, title="T", owner=w.manager,
                                      due_on=date(2027, 1, 1), indicators=links or [], by=w.improvement)

    refused(lambda: create(links=[IndicatorLink("not_an_indicator", 1, date(2027, 1, 1))]), "ind_0_indicator")
    refused(lambda: create(links=[IndicatorLink("assessments_45wd", None, date(2027, 1, 1))]), "ind_0_target")
    refused(lambda: create(links=[IndicatorLink("assessments_45wd", 80, None, baseline=50)]), "ind_0_target_by")
    refused(lambda: create(links=[IndicatorLink("assessments_45wd", 80, date(2027, 1, 1), baseline=50),
                                  IndicatorLink("assessments_45wd", 90, date(2027, 1, 1), baseline=50)]),
            "ind_1_indicator")
    refused(lambda: create(reference="1.1"), "reference")
    refused(lambda: create(reference="1 1; drop"), "reference")
    outsider = make_user(make_la(name="Elsewhere"))
    refused(lambda: services.action_create(local_authority=w.la, reference="9.2", title="T", owner=outsider,
                                           due_on=date(2027, 1, 1), by=w.improvement), "owner")
    assert not ImprovementAction.objects.filter(reference__startswith="9.").exists()


def test_editing_an_action_repoints_and_retargets_links_but_never_removes_one(w: PlanWorld):
    def link(code: str, target: float, baseline: float | None = None) -> IndicatorLink:
        return IndicatorLink(code, target, date(2027, 3, 31), baseline=baseline, baseline_on=date(2025, 1, 31))

    action = services.action_create(local_authority=w.la, reference="3.1", title="Reduce repeat plans",
                                    owner=w.head, due_on=date(2027, 3, 31), indicators=[
                                        link("cpp_second", 20, 28.0), link("re_referrals_12m", 18, 24.0)],
                                    by=w.improvement)

    def edit(links: list[IndicatorLink], version: int) -> ImprovementAction:
        return services.action_edit(action=action, reference="3.1", title="Reduce repeat plans", owner=w.head,
                                    due_on=date(2027, 3, 31), area_for_improvement=None, description="",
                                    indicators=links, expected_version=version, by=w.improvement)

    # The two links swap indicators (a slip when they were made), and a third is added.
    saved = edit([link("re_referrals_12m", 18, 24.0), link("cpp_second", 19, 28.0), link("icpc_15wd", 90, 70.0)],
                 action.version)
    rows = list(ActionIndicator.objects.filter(action=action).order_by("pk"))
    assert [(r.indicator, r.target) for r in rows] == [("re_referrals_12m", 18), ("cpp_second", 19),
                                                       ("icpc_15wd", 90)]
    error = refused(lambda: edit([link("re_referrals_12m", 18, 24.0)], saved.version), "__all__")
    assert "stays linked" in error.messages[0]
    with pytest.raises(StaleVersionError):
        edit([link("re_referrals_12m", 18), link("cpp_second", 19), link("icpc_15wd", 90)], saved.version - 1)


def test_an_update_completes_reopens_and_keeps_blue_for_complete(w: PlanWorld):
    action = w.action_1
    done = services.action_update(action=action, status=Status.COMPLETE, rag=Rag.GREEN,
                                  progress_summary="Clinics every Tuesday since June.",
                                  expected_version=action.version, by=w.owner)
    assert (done.rag, done.completed_on) == (Rag.BLUE, timezone.localdate())
    reopened = services.action_update(action=done, status=Status.IN_PROGRESS, rag=Rag.AMBER,
                                      progress_summary="Paused over the summer.", expected_version=done.version,
                                      by=w.owner)
    assert (reopened.rag, reopened.completed_on) == (Rag.AMBER, None)
    refused(lambda: services.action_update(action=reopened, status=Status.IN_PROGRESS, rag=Rag.BLUE,
                                           progress_summary="", expected_version=reopened.version, by=w.owner),
            "rag")
    with pytest.raises(StaleVersionError):
        services.action_update(action=reopened, status=Status.IN_PROGRESS, rag=Rag.GREEN, progress_summary="",
                               expected_version=reopened.version - 1, by=w.owner)
    # Someone else's action: the social worker who owns 1.1 may not update 2.1; the head of service may.
    with pytest.raises(PermissionDenied):
        services.action_update(action=w.action_2, status=Status.IN_PROGRESS, rag=Rag.GREEN, progress_summary="",
                               expected_version=w.action_2.version, by=w.owner)
    services.action_update(action=w.action_1, status=Status.IN_PROGRESS, rag=Rag.GREEN, progress_summary="",
                           expected_version=reopened.version, by=w.head)


# ---------------------------------------------------------------- evidence


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Month", "Assessments in time"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(macro: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
        if macro:
            package.writestr("word/vbaProject.bin", "x")
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.mark.parametrize(("name", "content"), [
    ("minutes.pdf", PDF), ("plan.docx", docx_bytes()), ("tracker.xlsx", xlsx_bytes()), ("chart.png", PNG),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20), ("notes.txt", "Audit found 8 of 10 good — well done".encode()),
    ("figures.csv", b"month,value\n2026-10,71.2\n"),
])
def test_a_document_of_an_allowed_type_is_kept(w: PlanWorld, name: str, content: bytes):
    evidence = services.evidence_add(action=w.action_1, kind=Kind.DOCUMENT, summary="Evidence",
                                     document=upload(name, content), by=w.owner)
    assert evidence.document.name.endswith(name.rsplit(".", 1)[1])
    with evidence.document.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(("name", "content", "words"), [
    ("run.exe", b"MZ\x90\x00", "must be a PDF"),
    ("renamed.pdf", b"just some text", "must be a PDF"),
    ("macro.docx", docx_bytes(macro=True), "must be a PDF"),
    ("binary.txt", b"abc\x00def", "must be a PDF"),
    ("empty.pdf", b"", "is empty"),
    ("huge.csv", b"a" * (10 * 1024 * 1024 + 1), "smaller than 10MB"),
])
def test_a_document_of_another_type_or_too_big_is_refused_with_a_clear_message(w: PlanWorld, name: str,
                                                                               content: bytes, words: str):
    error = refused(lambda: services.evidence_add(action=w.action_1, kind=Kind.DOCUMENT, summary="Evidence",
                                                  document=upload(name, content), by=w.owner), "document")
    assert words in error.message_dict["document"][0]
    assert not ActionEvidence.objects.exists()


def test_links_must_point_at_something_in_the_council(w: PlanWorld):
    def add(kind: str, **link) -> ActionEvidence:
        return services.evidence_add(action=w.action_1, kind=kind, summary="Shows it", by=w.owner, **link)

    assert add(Kind.INDICATOR, linked_code="assessments_45wd").linked_code == "assessments_45wd"
    refused(lambda: add(Kind.INDICATOR, linked_code="made_up"), "linked_code")
    visit = make_visit(w.la)
    assert add(Kind.MONITORING_VISIT, linked_id=visit.pk).linked_id == visit.pk
    elsewhere = make_visit(make_la(name="Elsewhere"))
    refused(lambda: add(Kind.MONITORING_VISIT, linked_id=elsewhere.pk), "linked_id")
    refused(lambda: add(Kind.AUDIT_ROUND, linked_id=999_999), "linked_id")
    refused(lambda: add(Kind.TRAINING_COURSE, linked_id=None), "linked_id")
    refused(lambda: add(Kind.NOTE, note="  "), "note")
    refused(lambda: services.evidence_add(action=w.action_1, kind=Kind.NOTE, summary=" ", note="x", by=w.owner),
            "summary")


def test_a_child_link_is_refused_alike_for_a_record_the_user_may_not_open_and_one_that_does_not_exist(
        w: PlanWorld):
    open_child = make_person(w.la)
    restricted = make_person(w.la, level=Person.AccessLevel.RESTRICTED)

    def add(by, pk: int) -> ActionEvidence:
        return services.evidence_add(action=w.action_1, kind=Kind.CHILD_RECORD, summary="A child's plan",
                                     linked_id=pk, by=by)

    assert add(w.owner, open_child.pk).linked_id == open_child.pk
    unseen = refused(lambda: add(w.owner, restricted.pk), "linked_id")
    missing = refused(lambda: add(w.owner, restricted.pk + 1000), "linked_id")
    assert unseen.message_dict == missing.message_dict == {"linked_id": [services.CHILD_REFUSED]}
    # The improvement manager opens no child's record, so may link none.
    refused(lambda: add(w.improvement, open_child.pk), "linked_id")
    assert ActionEvidence.objects.filter(kind=Kind.CHILD_RECORD).count() == 1


def test_evidence_is_withdrawn_never_deleted(w: PlanWorld):
    evidence = services.evidence_add(action=w.action_1, kind=Kind.NOTE, summary="Clinic notes", note="Went well",
                                     by=w.owner)
    with pytest.raises(PermissionDenied):
        services.evidence_withdraw(evidence=evidence, by=w.worker)
    gone = services.evidence_withdraw(evidence=evidence, by=w.owner)
    assert gone.withdrawn and ActionEvidence.objects.filter(pk=evidence.pk).exists()
    with pytest.raises(ValidationError):
        services.evidence_withdraw(evidence=gone, by=w.owner)


# ---------------------------------------------------------------- monitoring visits


def test_a_monitoring_visit_links_the_councils_areas_only(w: PlanWorld):
    visit = services.monitoring_visit_create(local_authority=w.la, visit_from=date(2024, 3, 5),
                                             visit_to=date(2024, 3, 6), focus="The front door",
                                             areas_for_improvement=[w.area_1], by=w.improvement)
    assert list(visit.areas_for_improvement.all()) == [w.area_1]
    other = make_area(make_inspection(make_la(name="Elsewhere")), number=1)
    refused(lambda: services.monitoring_visit_create(local_authority=w.la, visit_from=date(2024, 3, 5),
                                                     visit_to=date(2024, 3, 4), focus="",
                                                     areas_for_improvement=[other], by=w.improvement),
            "visit_to", "focus", "areas_for_improvement")
    saved = services.monitoring_visit_update(
        visit=visit, visit_from=visit.visit_from, visit_to=visit.visit_to, focus="The front door and MASH",
        inspectors="Two HMI", letter_published_on=date(2024, 4, 2), findings="Progress.",
        areas_for_improvement=[w.area_1, w.area_2], expected_version=visit.version, by=w.improvement)
    assert set(saved.areas_for_improvement.all()) == {w.area_1, w.area_2}
    with pytest.raises(StaleVersionError):
        services.monitoring_visit_update(
            visit=saved, visit_from=visit.visit_from, visit_to=visit.visit_to, focus="x", inspectors="",
            letter_published_on=None, findings="", areas_for_improvement=[], expected_version=visit.version,
            by=w.improvement)


# ---------------------------------------------------------------- who may keep the plan


@pytest.mark.parametrize("who", ["owner", "analyst", "elsewhere"])
def test_only_those_who_keep_the_plan_change_it_even_calling_the_services_directly(w: PlanWorld, who: str):
    """The pages refuse an action's owner and other councils' staff; the services refuse them as well, so no
    other caller (an import, a later page) can skip the rule."""
    by = make_user(make_la(name="Elsewhere"), w.improvement.role) if who == "elsewhere" else getattr(w, who)
    visit = make_visit(w.la)
    calls = [
        lambda: services.inspection_create(local_authority=w.la, kind=Inspection.Kind.FOCUSED_VISIT,
                                           on_site_from=date(2026, 1, 5), on_site_to=date(2026, 1, 6),
                                           judgements={}, by=by),
        lambda: services.area_for_improvement_create(inspection=w.inspection, text="More", by=by),
        lambda: services.area_for_improvement_update(item=w.area_1, number=1, text="Changed", area="",
                                                     expected_version=w.area_1.version, by=by),
        lambda: services.action_create(local_authority=w.la, reference="9.9", title="T", owner=w.owner,
                                       due_on=date(2027, 1, 1), by=by),
        lambda: services.action_edit(action=w.action_1, reference="1.1", title="Changed", owner=w.owner,
                                     due_on=w.action_1.due_on, area_for_improvement=w.area_1, description="",
                                     indicators=[], expected_version=w.action_1.version, by=by),
        lambda: services.monitoring_visit_create(local_authority=w.la, visit_from=date(2026, 1, 5),
                                                 visit_to=date(2026, 1, 5), focus="Care leavers", by=by),
        lambda: services.monitoring_visit_update(visit=visit, visit_from=visit.visit_from, visit_to=visit.visit_to,
                                                 focus="Changed", inspectors="", letter_published_on=None,
                                                 findings="", areas_for_improvement=[],
                                                 expected_version=visit.version, by=by),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not ImprovementAction.objects.filter(reference="9.9").exists()
    assert Inspection.objects.filter(local_authority=w.la).count() == 1
