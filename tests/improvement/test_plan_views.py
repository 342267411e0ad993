"""The improvement plan's pages: who reaches what, the forms keep what was typed, stale edits are caught, evidence
names a child only to those who may open the record, and every list reads a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hearth.access.models import AccessEvent
from hearth.improvement import services
from hearth.improvement.models import ActionEvidence, ImprovementAction, Inspection
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person
from tests.improvement.factories import make_action, make_action_indicator, make_area, make_evidence, make_visit
from tests.improvement.plan_world import PlanWorld
from tests.queries import query_count

Status = ImprovementAction.Status
Rag = ImprovementAction.Rag
Kind = ActionEvidence.Kind

READ_PAGES = ["/improvement/", "/improvement/plan/", "/improvement/mine/", "/improvement/inspections/",
              "/improvement/visits/"]


def test_readers_see_the_programme_and_a_worker_without_actions_sees_nothing(w: PlanWorld):
    for who in (w.director, w.head, w.improvement, w.analyst, w.owner):
        client = client_for(who)
        for url in [*READ_PAGES, f"/improvement/actions/{w.action_2.pk}/",
                    f"/improvement/inspections/{w.inspection.pk}/"]:
            assert client.get(url).status_code == 200, (who.role, url)
    for who in (w.worker, w.manager):
        client = client_for(who)
        for url in [*READ_PAGES, f"/improvement/actions/{w.action_1.pk}/"]:
            assert client.get(url).status_code == 403, (who.role, url)
    # The navigation offers the programme to those who may read it.
    assert "/improvement/" in client_for(w.owner).get("/improvement/plan/").content.decode()


def test_an_owner_updates_their_own_action_but_not_another(w: PlanWorld):
    client = client_for(w.owner)
    mine, theirs = f"/improvement/actions/{w.action_1.pk}/update/", f"/improvement/actions/{w.action_2.pk}/update/"
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 403
    assert client.post(theirs, {"version": w.action_2.version, "status": "complete", "rag": "blue"}).status_code == 403
    response = client.post(mine, {"version": w.action_1.version, "status": "complete", "rag": "green",
                                  "progress_summary": "Weekly clinics running in every team."}, follow=True)
    page = response.content.decode()
    assert "Progress on action 1.1 saved: Complete, Blue: complete" in page
    assert "Weekly clinics running in every team." in page
    w.action_1.refresh_from_db()
    assert (w.action_1.status, w.action_1.rag, w.action_1.completed_on) == (Status.COMPLETE, Rag.BLUE,
                                                                              w.action_1.completed_on)
    assert w.action_1.completed_on is not None
    # The analyst reads but does not update.
    assert client_for(w.analyst).get(mine).status_code == 403
    assert client_for(w.analyst).get(f"/improvement/actions/{w.action_1.pk}/evidence/new/").status_code == 403


def test_bad_input_and_a_stale_version_keep_what_was_typed(w: PlanWorld):
    client = client_for(w.owner)
    url = f"/improvement/actions/{w.action_1.pk}/update/"
    typed = "Clinics have started in two of three teams; the third starts in January."
    response = client.post(url, {"version": w.action_1.version, "status": "in_progress", "rag": "blue",
                                 "progress_summary": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Blue is only for a complete action" in page and typed in page
    assert 'href="#id_rag"' in page  # in the error summary, linked to the field
    # Someone else saves first: the owner's typing is kept and the clash explained.
    services.action_update(action=w.action_1, status="in_progress", rag="amber", progress_summary="Head's view",
                           expected_version=w.action_1.version, by=w.head)
    response = client.post(url, {"version": w.action_1.version, "status": "in_progress", "rag": "green",
                                 "progress_summary": typed})
    page = response.content.decode()
    assert "Someone else saved changes" in page and typed in page
    w.action_1.refresh_from_db()
    assert w.action_1.progress_summary == "Head's view"
    # Saving again now works over the version they have been shown.
    response = client.post(url, {"version": w.action_1.version, "status": "in_progress", "rag": "green",
                                 "progress_summary": typed})
    assert response.status_code == 302


def test_evidence_is_added_as_a_document_or_a_link_and_a_wrong_file_is_refused_beside_its_field(w: PlanWorld):
    client = client_for(w.owner)
    url = f"/improvement/actions/{w.action_1.pk}/evidence/new/"
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    response = client.post(url, {"kind": "document", "summary": "Clinic minutes", "document": bad})
    page = response.content.decode()
    assert "virus.exe must be a PDF" in page and 'value="Clinic minutes"' in page
    good = SimpleUploadedFile("clinic-minutes.txt", b"Clinic held on 3 November.")
    response = client.post(url, {"kind": "document", "summary": "Clinic minutes", "document": good}, follow=True)
    assert "Evidence added" in response.content.decode()
    response = client.post(url, {"kind": "link", "summary": "Timeliness is improving",
                                 "link": "indicator:assessments_45wd"}, follow=True)
    page = response.content.decode()
    assert "Indicator: Assessments completed within 45 working days" in page
    # The social worker may not open the performance pages: the indicator is named, not linked; the analyst
    # gets the link.
    detail = reverse("indicators:detail", args=["assessments_45wd"])
    assert f'href="{detail}"' not in page
    assert f'href="{detail}"' in client_for(w.analyst).get(f"/improvement/actions/{w.action_1.pk}/").content.decode()
    kinds = sorted(ActionEvidence.objects.filter(action=w.action_1).values_list("kind", flat=True))
    assert kinds == ["document", "indicator"]
    # The document downloads to readers, with safe headers; not to someone who may not read the plan.
    document = ActionEvidence.objects.get(kind="document")
    download = client_for(w.analyst).get(f"/improvement/evidence/{document.pk}/document/")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/plain"
    assert download["X-Content-Type-Options"] == "nosniff" and "no-store" in download["Cache-Control"]
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"Clinic held on 3 November."
    assert client_for(w.worker).get(f"/improvement/evidence/{document.pk}/document/").status_code == 403


def test_a_childs_record_is_named_only_to_those_who_may_open_it(w: PlanWorld):
    child = make_person(w.la, first_name="Kacey", last_name="Marlowe")
    client = client_for(w.owner)
    response = client.post(f"/improvement/actions/{w.action_1.pk}/evidence/new/", {
        "kind": "child_record", "summary": "A plan that shows the new approach", "hearth_id": child.hearth_id})
    assert response.status_code == 302
    assert "Kacey Marlowe" in client.get(f"/improvement/actions/{w.action_1.pk}/").content.decode()
    assert AccessEvent.objects.filter(person=child, user=w.owner).exists()
    # The improvement manager and the analyst open no child's record: the link is there, the name is not.
    for reader in (w.improvement, w.analyst):
        page = client_for(reader).get(f"/improvement/actions/{w.action_1.pk}/").content.decode()
        assert "A child&#x27;s record (restricted)" in page and "Marlowe" not in page
    # A restricted record the owner may not open is refused with the same words as one that does not exist.
    hidden = make_person(w.la, level=Person.AccessLevel.RESTRICTED, last_name="Hidden")
    url = f"/improvement/actions/{w.action_1.pk}/evidence/new/"
    pages = [client.post(url, {"kind": "child_record", "summary": "x", "hearth_id": pk}).content.decode()
             for pk in (f"{hidden.pk:07d}", f"{hidden.pk + 500:07d}")]
    for page in pages:
        assert services.CHILD_REFUSED.replace("'", "&#x27;") in page and "Hidden" not in page
    assert ActionEvidence.objects.filter(kind=Kind.CHILD_RECORD).count() == 1


def test_a_keeper_records_an_inspection_an_area_an_action_and_a_visit(w: PlanWorld):
    client = client_for(w.improvement)
    post = {"kind": "standard", "on_site_from_0": "5", "on_site_from_1": "10", "on_site_from_2": "2026",
            "on_site_to_0": "16", "on_site_to_1": "10", "on_site_to_2": "2026", "summary": "Improving.",
            "judgement_overall": "requires_improvement", "judgement_leaders": "good",
            "judgement_help_and_protection": "requires_improvement", "judgement_in_care": "good"}
    # Care leavers left out: refused beside that field, everything typed kept.
    page = client.post("/improvement/inspections/new/", post).content.decode()
    assert "Choose the grade for the experiences and progress of care leavers" in page
    assert 'value="16"' in page and "Improving." in page
    response = client.post("/improvement/inspections/new/", {**post, "judgement_care_leavers": "good"})
    assert response.status_code == 302
    inspection = Inspection.objects.get(on_site_from=date(2026, 10, 5))
    response = client.post(f"/improvement/inspections/{inspection.pk}/areas/new/", {"text": "Care plans drift."})
    assert response.status_code == 302
    area = inspection.areas_for_improvement.get()
    response = client.post("/improvement/actions/new/", {
        "reference": "7.1", "title": "Care plan reviews", "owner": w.head.pk, "area_for_improvement": area.pk,
        "due_on_0": "31", "due_on_1": "3", "due_on_2": "2027",
        "ind_1_indicator": "cpp_second", "ind_1_target": "18", "ind_1_target_by_0": "31",
        "ind_1_target_by_1": "3", "ind_1_target_by_2": "2027", "ind_1_baseline": "25"})
    assert response.status_code == 302, response.content.decode()[:2000]
    action = ImprovementAction.objects.get(reference="7.1")
    assert list(action.indicators.values_list("indicator", "target", "baseline")) == [("cpp_second", 18.0, 25.0)]
    # A target without its date is kept and refused on its own row.
    page = client.post(f"/improvement/actions/{action.pk}/edit/", {
        "version": action.version, "reference": "7.1", "title": "Care plan reviews", "owner": w.head.pk,
        "due_on_0": "31", "due_on_1": "3", "due_on_2": "2027",
        "ind_0_indicator": "cpp_second", "ind_0_target": "18", "ind_0_target_by_0": "31",
        "ind_0_target_by_1": "3", "ind_0_target_by_2": "2027",
        "ind_1_indicator": "icpc_15wd", "ind_1_target": "92"}).content.decode()
    assert "Enter the date the target for indicator 2 should be met by" in page and 'value="92"' in page
    response = client.post("/improvement/visits/new/", {
        "visit_from_0": "2", "visit_from_1": "12", "visit_from_2": "2026", "visit_to_0": "3", "visit_to_1": "12",
        "visit_to_2": "2026", "focus": "Children in care", "areas_for_improvement": [area.pk]})
    assert response.status_code == 302
    assert client_for(w.owner).get("/improvement/inspections/new/").status_code == 403
    assert client_for(w.analyst).get("/improvement/actions/new/").status_code == 403


def test_the_plan_filters_and_downloads(w: PlanWorld):
    client = client_for(w.analyst)
    page = client.get("/improvement/plan/?rag=red").content.decode()
    assert "Supervision audit" in page and "Assessment clinic each week" not in page
    page = client.get("/improvement/plan/?overdue=on").content.decode()
    assert "Supervision audit" in page and "Assessment template" not in page
    page = client.get(f"/improvement/plan/?area={w.area_1.pk}&owner={w.owner.pk}").content.decode()
    assert "Assessment clinic each week" in page and "Assessment template" not in page
    # Nonsense in the query string shows the whole plan rather than failing.
    assert client.get("/improvement/plan/?area=zzz&status=<b>").status_code == 200
    download = client.get("/improvement/plan/?format=csv")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:3] == ["reference", "title", "area_for_improvement"]
    assert [r[0] for r in rows[1:]] == ["1.1", "1.2", "2.1"]
    assert rows[3][7] == "yes"  # 2.1 is overdue


def _grow(w: PlanWorld, n: int) -> None:
    """More of everything a list shows: actions (with indicators and evidence), areas, visits, inspections."""
    for i in range(n):
        area = make_area(w.inspection)
        action = make_action(w.la, owner=w.owner if i % 2 else w.head, area=area, due_on=date(2026, 11, 1 + i % 20),
                             rag=[Rag.RED, Rag.AMBER, Rag.GREEN][i % 3])
        make_action_indicator(action, indicator="cpp_second", target=18)
        make_evidence(action, by=w.owner)
        make_visit(w.la, visit_from=date(2024, 1, 1 + i), areas=[area])


@pytest.mark.parametrize("url", READ_PAGES)
def test_list_pages_read_the_same_number_of_queries_for_few_and_many_rows(w: PlanWorld, url: str):
    client = client_for(w.owner)
    _grow(w, 2)
    few = query_count(lambda: client.get(url))
    _grow(w, 12)
    many = query_count(lambda: client.get(url))
    assert few == many, url


def test_the_action_page_reads_the_same_number_of_queries_for_little_and_much_evidence(w: PlanWorld, monkeypatch):
    from hearth.indicators import compute

    monkeypatch.setattr(compute, "trends", lambda **kw: {})
    make_action_indicator(w.action_1, indicator="cpp_second", target=18)
    client = client_for(w.owner)
    url = f"/improvement/actions/{w.action_1.pk}/"

    def add(n: int) -> None:
        for i in range(n):
            make_evidence(w.action_1, by=w.owner, summary=f"Note {i}")
            make_evidence(w.action_1, by=w.owner, kind=Kind.MONITORING_VISIT, linked_id=make_visit(w.la).pk)
            make_evidence(w.action_1, by=w.owner, kind=Kind.CHILD_RECORD, linked_id=make_person(w.la).pk)

    add(1)
    few = query_count(lambda: client.get(url))
    add(8)
    assert query_count(lambda: client.get(url)) == few


def test_edits_to_an_inspection_an_area_and_a_visit_are_version_checked(w: PlanWorld):
    client = client_for(w.head)
    inspection = w.inspection
    url = f"/improvement/inspections/{inspection.pk}/edit/"
    form = {"version": inspection.version, "kind": "standard", "on_site_from_0": "3", "on_site_from_1": "7",
            "on_site_from_2": "2023", "on_site_to_0": "14", "on_site_to_1": "7", "on_site_to_2": "2023",
            "summary": "Typed by the head of service.", **{f"judgement_{j.area}": j.grade
                                                           for j in inspection.judgements.all()}}
    assert client.get(url).status_code == 200
    services.inspection_update(inspection=inspection, kind="standard", on_site_from=inspection.on_site_from,
                               on_site_to=inspection.on_site_to, published_on=None, summary="Someone else's",
                               judgements={j.area: j.grade for j in inspection.judgements.all()},
                               expected_version=inspection.version, by=w.improvement)
    page = client.post(url, form).content.decode()
    assert "Someone else saved changes" in page and "Typed by the head of service." in page
    area = w.area_2
    page = client.post(f"/improvement/areas/{area.pk}/edit/", {"version": area.version, "number": "1",
                                                              "text": "Oversight.", "area": "leaders"}
                       ).content.decode()
    assert "already has an area for improvement numbered 1" in page
    visit = make_visit(w.la)
    url = f"/improvement/visits/{visit.pk}/edit/"
    post = {"version": visit.version, "visit_from_0": "5", "visit_from_1": "3", "visit_from_2": "2024",
            "visit_to_0": "6", "visit_to_1": "3", "visit_to_2": "2024", "focus": "The front door, again"}
    assert client.post(url, post).status_code == 302
    page = client.post(url, post).content.decode()  # the version it was loaded with is now stale
    assert "Someone else saved changes" in page and "The front door, again" in page


def test_evidence_is_withdrawn_from_the_action_page_and_stays_listed_as_withdrawn(w: PlanWorld):
    evidence = make_evidence(w.action_1, by=w.owner, summary="Clinic minutes, October")
    assert client_for(w.worker).post(f"/improvement/evidence/{evidence.pk}/withdraw/").status_code == 403
    assert client_for(w.analyst).post(f"/improvement/evidence/{evidence.pk}/withdraw/").status_code == 403
    response = client_for(w.owner).post(f"/improvement/evidence/{evidence.pk}/withdraw/", follow=True)
    page = response.content.decode()
    assert "Evidence withdrawn from the plan" in page and "Withdrawn evidence (1)" in page
    evidence.refresh_from_db()
    assert evidence.withdrawn


def test_an_inspection_and_a_visit_read_the_same_number_of_queries_for_few_areas_and_many(w: PlanWorld):
    """The inspection page lists its areas (with their actions counted) and the visits that followed it; the
    visit page the areas it looked at."""
    client = client_for(w.improvement)
    visit = make_visit(w.la, areas=[w.area_1])

    def counts() -> tuple[int, int]:
        return (query_count(lambda: client.get(f"/improvement/inspections/{w.inspection.pk}/")),
                query_count(lambda: client.get(f"/improvement/visits/{visit.pk}/")))

    def add(n: int) -> None:
        for i in range(n):
            area = make_area(w.inspection)
            make_action(w.la, owner=w.owner, area=area)
            make_visit(w.la, visit_from=date(2024, 5, 1 + i), areas=[area])
            visit.areas_for_improvement.add(area)

    add(1)
    few = counts()
    add(6)
    assert counts() == few


def test_an_empty_plan_says_what_to_do(w: PlanWorld):
    body = client_for(w.improvement).get("/improvement/plan/", {"status": "not_started"}).content.decode()
    assert "No action matches these filters: clear them to see the whole plan." in body
    from tests.factories import make_la, make_user

    other = make_la(name="A council with no plan yet")
    keeper = make_user(other, w.improvement.role)
    body = client_for(keeper).get("/improvement/plan/").content.decode()
    assert "The plan has no actions yet. Add an action for each area for improvement" in body
