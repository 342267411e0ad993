"""The education register services: what each step records, and where it moves the review date."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.audit.models import ChangeRecord
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.cin.selectors import social_care_status
from hearth.education import services
from hearth.education.models import CMECase, CMEEnquiry, EHECase, EHEVisit
from hearth.education.selectors import days_on_register

from .factories import cme_for, ehe_for

pytestmark = pytest.mark.django_db


def _registers(child):
    """The register tags the record header shows."""
    return [t.text for t in social_care_status(child=child) if t.colour == "yellow"]


def _education_events(child) -> list[str]:
    return list(ChronologyEvent.objects.filter(person=child, event_type=EventType.EDUCATION)
                .order_by("occurred_at", "id").values_list("title", flat=True))


def test_a_child_put_on_the_cme_register_is_recorded_with_history_chronology_and_a_local_review(child, officer):
    case = cme_for(child, officer, on=date(2026, 3, 2), last_known_address="1 Mill Lane\nNottingham NG1 1AA")
    assert case.is_open and case.local_authority_id == child.local_authority_id
    # Ten working days after Monday 2 March 2026.
    assert case.review_on == date(2026, 3, 16)
    assert ChangeRecord.objects.filter(model_label="education.CMECase", object_id=str(case.pk),
                                       by_user=officer).exists()
    assert _education_events(child) == ["Added to the children missing education register"]
    assert _registers(child) == ["Missing education (CME)"]


def test_an_enquiry_is_kept_and_moves_the_review_on(child, officer):
    case = cme_for(child, officer, on=date(2026, 3, 2))
    enquiry = services.cme_enquiry_record(case=case, made_on=date(2026, 3, 4), agency=CMEEnquiry.Agency.HEALTH,
                                          agency_name="Mill Lane Surgery", found="Registered, no recent visits",
                                          by=officer)
    assert enquiry.recorded_by == officer
    case.refresh_from_db()
    assert case.review_on == date(2026, 3, 18)
    services.cme_enquiry_record(case=case, made_on=date(2026, 3, 5), agency=CMEEnquiry.Agency.HOME_VISIT,
                                found="No answer", review_on=date(2026, 4, 1), by=officer)
    case.refresh_from_db()
    assert case.review_on == date(2026, 4, 1)
    assert "Missing education enquiry: Health (GP, health visitor, school nurse) (Mill Lane Surgery)" in \
        _education_events(child)


def test_an_outcome_closes_the_case_on_its_day_unless_kept_open(child, officer):
    case = cme_for(child, officer, on=date(2026, 3, 2))
    services.cme_outcome_record(case=case, outcome=CMECase.Outcome.PASSED_ON, outcome_on=date(2026, 3, 10),
                                outcome_detail="Derby City Council", close=False, by=officer)
    case.refresh_from_db()
    assert case.is_open and case.outcome == "passed_on"
    services.cme_case_close(case=case, closed_on=date(2026, 3, 20), by=officer)
    case.refresh_from_db()
    assert case.closed_on == date(2026, 3, 20)
    assert days_on_register(case, date(2026, 11, 1)) == 18
    assert _registers(child) == []

    again = cme_for(child, officer, on=date(2026, 4, 1))
    services.cme_outcome_record(case=again, outcome=CMECase.Outcome.IN_SCHOOL_HERE, outcome_on=date(2026, 4, 2),
                                by=officer)
    again.refresh_from_db()
    assert again.closed_on == date(2026, 4, 2)


def test_an_ehe_case_records_contacts_suitability_and_its_end(child, officer):
    case = ehe_for(child, officer, on=date(2026, 3, 2), reasons=["bullying", "mental_health"])
    assert case.review_on == date(2026, 3, 30)  # 20 working days
    assert case.reason_labels == ["Bullying", "The child's mental health"]
    assert _registers(child) == ["Home educated (EHE)"]
    visit = services.ehe_visit_record(case=case, happened_on=date(2026, 3, 20), kind=EHEVisit.Kind.HOME_VISIT,
                                      notes="Saw the work plan", child_seen=True, by=officer)
    assert visit.child_seen
    case.refresh_from_db()
    assert case.review_on == date(2027, 3, 20)
    services.ehe_suitability_record(case=case, suitability=EHECase.Suitability.NOT_SUITABLE,
                                    decided_on=date(2026, 4, 1), detail="No maths or English", by=officer)
    services.ehe_suitability_record(case=case, suitability=EHECase.Suitability.SAO, decided_on=date(2026, 5, 1),
                                    detail="Notice served", by=officer)
    case.refresh_from_db()
    assert case.suitability == "sao"
    # The earlier decision is kept in the history.
    changes = ChangeRecord.objects.filter(model_label="education.EHECase", object_id=str(case.pk))
    assert any(c.after.get("suitability") == "not_suitable" for c in changes)
    services.ehe_case_end(case=case, ended_on=date(2026, 6, 1), reason=EHECase.EndReason.RETURNED_TO_SCHOOL,
                          detail="Hillside Primary", by=officer)
    case.refresh_from_db()
    assert not case.is_open and case.end_reason == "returned_to_school"
    assert _registers(child) == []


def test_a_cme_outcome_of_home_education_opens_the_ehe_case_with_nothing_typed_again(child, officer):
    cme = cme_for(child, officer, on=date(2026, 3, 2), last_known_school="Greenfield Academy")
    services.cme_outcome_record(case=cme, outcome=CMECase.Outcome.HOME_EDUCATED, outcome_on=date(2026, 3, 9),
                                by=officer)
    ehe = services.ehe_open_from_cme(cme_case=cme, by=officer)
    assert (ehe.notified_on, ehe.school_left, ehe.from_cme, ehe.reasons) == (
        date(2026, 3, 9), "Greenfield Academy", cme, [])
    with pytest.raises(Exception, match="already been opened"):
        services.ehe_open_from_cme(cme_case=cme, by=officer)
    services.ehe_case_update(case=ehe, reasons=["philosophical"], school_left="Greenfield Academy", by=officer)
    ehe.refresh_from_db()
    assert ehe.reasons == ["philosophical"]


def test_a_register_step_never_fails_as_stale_because_an_earlier_step_moved_the_review(child, officer):
    case = cme_for(child, officer)
    stale_copy = CMECase.objects.get(pk=case.pk)
    services.cme_enquiry_record(case=case, made_on=date(2026, 3, 3), agency="school", found="Not on roll",
                                by=officer)
    services.cme_enquiry_record(case=stale_copy, made_on=date(2026, 3, 4), agency="police", found="No trace",
                                by=officer)
    assert CMEEnquiry.objects.filter(case=case).count() == 2
