"""The rules of missing episodes, return home interviews, screening and escalation."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.care.codes import MissingType
from hearth.chronology.models import ChronologyEvent, EventType
from hearth.cin.services import cin_episode_open
from hearth.missing import services
from hearth.missing.codes import InterviewResponse, RiskLevel
from hearth.missing.models import MissingEpisode
from hearth.missing.selectors import child_missing_summary, episodes_for_903, interview_counts
from hearth.people.models import Person
from hearth.protection.models import Agency, StrategyDiscussion
from tests.factories import make_person, make_user

from .factories import at, hold, in_care, interview_of, went_missing


def _errors(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict if hasattr(refused.value, "error_dict") else {"__all__": refused.value.messages}


# ---------------------------------------------------------------- episodes


def test_a_child_at_home_can_be_missing_but_not_away(child):
    errors = _errors(lambda: went_missing(child, at(2025, 5, 1, 20), missing_type=MissingType.AWAY))
    assert "only for a child in care" in errors["missing_type"][0]
    episode = went_missing(child, at(2025, 5, 1, 20))
    assert episode.missing_type == "M" and episode.from_care is False


def test_a_looked_after_child_can_be_away_and_the_episode_is_from_care(child):
    in_care(child, date(2025, 1, 10))
    episode = went_missing(child, at(2025, 5, 1, 20), missing_type=MissingType.AWAY)
    assert episode.from_care is True and episode.missing_type == "A"


def test_from_care_is_fixed_on_the_day_the_episode_began(child):
    # The last day of a period of care is not a day in care (periods_covering).
    in_care(child, date(2025, 1, 10), ended_on=date(2025, 5, 1))
    assert went_missing(child, at(2025, 4, 30, 20), at(2025, 4, 30, 22)).from_care is True
    assert went_missing(child, at(2025, 5, 1, 20), at(2025, 5, 1, 23)).from_care is False


def test_an_end_before_or_at_the_start_is_refused(child):
    episode = went_missing(child, at(2025, 5, 1, 20))
    for end in (at(2025, 5, 1, 19), at(2025, 5, 1, 20)):
        errors = _errors(lambda end=end: services.missing_episode_end(episode=episode, ended_at=end,
                                                                      how_returned="police", by="test"))
        assert "must be after they went missing" in errors["ended_at"][0]
    episode.refresh_from_db()
    assert episode.is_open


def test_future_times_are_refused(child):
    soon = timezone.now() + timedelta(hours=2)
    assert "now or in the past" in _errors(lambda: went_missing(child, soon))["started_at"][0]
    episode = went_missing(child, timezone.now() - timedelta(hours=5))
    errors = _errors(lambda: services.missing_episode_end(episode=episode, ended_at=soon, how_returned="police",
                                                          by="test"))
    assert "now or in the past" in errors["ended_at"][0]
    errors = _errors(lambda: went_missing(make_person(child.local_authority), timezone.now() - timedelta(hours=1),
                                          reported_at=soon))
    assert "now or in the past" in errors["reported_at"][0]


def test_a_report_before_the_child_went_missing_is_refused(child):
    errors = _errors(lambda: went_missing(child, at(2025, 5, 1, 20), reported_at=at(2025, 5, 1, 19)))
    assert "cannot be before the child went missing" in errors["reported_at"][0]


def test_a_police_reference_needs_the_police_told(child):
    errors = _errors(lambda: went_missing(child, at(2025, 5, 1, 20), police_reference="NP-1234"))
    assert "reported_to_police" in errors
    episode = went_missing(child, at(2025, 5, 1, 20), police_reference="NP-1234", reported_to_police=True,
                           police_risk="medium")
    assert episode.police_reference == "NP-1234"


def test_an_unresolved_episode_stays_open_and_no_second_can_start(child):
    first = went_missing(child, at(2025, 5, 1, 20))
    errors = _errors(lambda: went_missing(child, at(2025, 5, 3, 20)))
    assert "already recorded as missing" in errors["started_at"][0]
    # A closed episode before the open one, recorded with its return, is still fine (a late record).
    services.missing_episode_start(child=child, missing_type="M", started_at=at(2025, 4, 20, 20),
                                   ended_at=at(2025, 4, 21, 8), how_returned="police", by="test")
    first.refresh_from_db()
    assert first.is_open
    assert MissingEpisode.objects.filter(child=child, ended_at__isnull=True).count() == 1


def test_episodes_of_one_child_never_overlap_but_may_touch(child):
    went_missing(child, at(2025, 5, 1, 20), at(2025, 5, 2, 8))
    for start, end in ((at(2025, 5, 1, 22), at(2025, 5, 2, 1)), (at(2025, 5, 1, 18), at(2025, 5, 1, 21)),
                       (at(2025, 5, 1, 18), at(2025, 5, 3, 1))):
        errors = _errors(lambda s=start, e=end: went_missing(child, s, e))
        assert "overlaps another episode" in " ".join(errors.get("started_at", errors.get("ended_at", [])))
    went_missing(child, at(2025, 5, 2, 8), at(2025, 5, 2, 12))  # begins the minute the last one ended
    assert MissingEpisode.objects.filter(child=child).count() == 2


def test_an_earlier_episode_can_be_recorded_late_between_others_with_its_return(child):
    went_missing(child, at(2025, 5, 5, 20), at(2025, 5, 6, 8))
    # Open, it would run across the later episode; recorded with its return, it fits before it.
    assert "overlaps" in _errors(lambda: went_missing(child, at(2025, 5, 1, 20)))["started_at"][0]
    episode = services.missing_episode_start(child=child, missing_type="M", started_at=at(2025, 5, 1, 20),
                                             ended_at=at(2025, 5, 2, 9), how_returned="own_accord", by="test")
    assert interview_of(episode).due_at == at(2025, 5, 5, 9)
    errors = _errors(lambda: services.missing_episode_start(child=child, missing_type="M",
                                                            started_at=at(2025, 5, 4, 20), ended_at=at(2025, 5, 5, 21),
                                                            how_returned="own_accord", by="test"))
    assert "overlaps" in errors["started_at"][0]


# Each example makes its own child, so sharing the test's council between examples is safe.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60), st.booleans()), min_size=1, max_size=6))
def test_whatever_is_tried_no_two_stored_episodes_overlap(la, attempts):
    child = make_person(la)
    base = at(2025, 1, 1, 0)
    for start_hours, length, in_one_go in attempts:
        start, end = base + timedelta(hours=start_hours), base + timedelta(hours=start_hours + length)
        with contextlib.suppress(ValidationError):
            if in_one_go:
                services.missing_episode_start(child=child, missing_type="M", started_at=start, ended_at=end,
                                               how_returned="police", by="test")
            else:
                went_missing(child, start, end)
    stored = list(MissingEpisode.objects.filter(child=child).order_by("started_at"))
    assert sum(1 for e in stored if e.is_open) == 0
    for earlier, later in itertools.pairwise(stored):
        assert earlier.ended_at <= later.started_at


def test_a_child_cannot_be_linked_to_themselves_or_to_a_child_the_recorder_cannot_open(la, child, social_worker):
    assert "themselves" in _errors(lambda: went_missing(child, at(2025, 5, 1, 20), by=social_worker,
                                                        linked_children=[child]))["linked_children"][0]
    hidden = make_person(la, Person.AccessLevel.RESTRICTED)
    errors = _errors(lambda: went_missing(child, at(2025, 5, 1, 20), by=social_worker, linked_children=[hidden]))
    assert "whose records you can open" in errors["linked_children"][0]
    friend = make_person(la)
    episode = went_missing(child, at(2025, 5, 1, 20), by=social_worker, linked_children=[friend])
    assert [link.linked_child for link in episode.links.all()] == [friend]


def test_unlinking_keeps_the_row_marked_removed(la, child, social_worker):
    friend = make_person(la)
    episode = went_missing(child, at(2025, 5, 1, 20), by=social_worker, linked_children=[friend])
    services.missing_episode_update(
        episode=episode, by=social_worker, missing_type="M", started_at=episode.started_at, reported_at=None,
        reported_to_police=False, police_reference="", police_risk="", missing_from="", circumstances="",
        linked_children=[], others_with_them="")
    link = episode.links.get()
    assert link.removed is True


def test_missing_episodes_are_for_children_under_18(la):
    adult = make_person(la, date_of_birth=date(2006, 5, 1))
    assert "under 18" in _errors(lambda: went_missing(adult, at(2025, 5, 2, 20)))["started_at"][0]
    went_missing(adult, at(2024, 4, 30, 20))  # the day before the 18th birthday


def test_the_return_writes_the_chronology_and_opens_the_interview(child):
    episode = went_missing(child, at(2025, 5, 1, 20), at(2025, 5, 3, 9), police_reference="NP-9",
                           reported_to_police=True)
    titles = list(ChronologyEvent.objects.filter(person=child, event_type=EventType.MISSING)
                  .order_by("occurred_at").values_list("title", flat=True))
    assert titles == ["Missing from home", "Found or returned after 37 hours missing"]
    assert interview_of(episode).status == "Not yet offered"


def test_places_are_one_a_line_with_an_optional_postcode_at_the_end():
    places = services.parse_places("Victoria Centre NG1 3QN\n\n  Hockley, ng15ab\nA friend's flat\nNG7 2RD\n")
    assert [(p.place, p.postcode) for p in places] == [
        ("Victoria Centre", "NG1 3QN"), ("Hockley", "NG1 5AB"), ("A friend's flat", ""), ("NG7 2RD", "NG7 2RD")]
    assert places[0].as_json()["district"] == "NG1"
    assert services.places_as_text([p.as_json() for p in places]) == (
        "Victoria Centre NG1 3QN\nHockley NG1 5AB\nA friend's flat\nNG7 2RD")


def test_a_return_postcode_must_be_real_and_is_kept_with_its_district(child):
    episode = went_missing(child, at(2025, 5, 1, 20))
    errors = _errors(lambda: services.missing_episode_end(episode=episode, ended_at=at(2025, 5, 2, 8),
                                                          how_returned="police", found_postcode="NOT A PC",
                                                          by="test"))
    assert "found_postcode" in errors
    services.missing_episode_end(episode=episode, ended_at=at(2025, 5, 2, 8), how_returned="police",
                                 found_where="Bus station", found_postcode="ng1 3qn", by="test")
    episode.refresh_from_db()
    assert (episode.found_postcode, episode.found_district) == ("NG1 3QN", "NG1")


# ---------------------------------------------------------------- return home interviews


def test_the_interview_must_be_held_by_a_missing_from_home_advocate(la, child, advocate, social_worker):
    interview = interview_of(went_missing(child, at(2025, 6, 2, 8), at(2025, 6, 2, 20)))
    errors = _errors(lambda: hold(interview, at(2025, 6, 3, 10), social_worker))
    assert "completed_by" in errors
    # A worker allocated to the child as their missing advocate may hold it whatever their role.
    other = make_user(la, team=advocate.team)
    services.missing_advocate_allocate(child=child, advocate=advocate, started_on=date(2025, 6, 2), by="test")
    from hearth.allocations.models import Allocation
    from hearth.allocations.services import allocation_start

    allocation_start(child=child, team=advocate.team, worker=other, started_on=date(2025, 6, 3), by="test",
                     kind=Allocation.Kind.MISSING_ADVOCATE)
    interview.refresh_from_db()
    hold(interview, at(2025, 6, 3, 10), other)


def test_interview_steps_come_in_order(child, advocate):
    interview = interview_of(went_missing(child, at(2025, 6, 2, 8), at(2025, 6, 2, 20)))
    assert "offer" in _errors(lambda: services.return_interview_respond(
        interview=interview, response="accepted", responded_at=at(2025, 6, 3, 9), by="test"))["__all__"][0]
    errors = _errors(lambda: services.return_interview_offer(interview=interview, offered_at=at(2025, 6, 2, 19),
                                                             offered_by=advocate, by="test"))
    assert "before the child returned" in errors["offered_at"][0]
    services.return_interview_offer(interview=interview, offered_at=at(2025, 6, 3, 9), offered_by=advocate,
                                    by="test")
    errors = _errors(lambda: services.return_interview_respond(
        interview=interview, response="accepted", responded_at=at(2025, 6, 3, 8), by="test"))
    assert "before the offer" in errors["responded_at"][0]
    services.return_interview_respond(interview=interview, response=InterviewResponse.DECLINED,
                                      responded_at=at(2025, 6, 3, 9, 30), by="test")
    assert "declined" in _errors(lambda: services.return_interview_complete(
        interview=interview, completed_at=at(2025, 6, 4, 9), completed_by=advocate, push_factors=[],
        pull_factors=[], child_account="x", risks_identified="", actions="", by="test"))["__all__"][0]
    # Changed their mind: accepted, then held.
    services.return_interview_respond(interview=interview, response=InterviewResponse.ACCEPTED,
                                      responded_at=at(2025, 6, 4, 8), by="test")
    services.return_interview_complete(interview=interview, completed_at=at(2025, 6, 4, 9), completed_by=advocate,
                                       push_factors=["bullying"], pull_factors=["peers", "older_adults"],
                                       child_account="Went to Hockley with friends", risks_identified="",
                                       actions="", by="test")
    assert interview.completed_at is not None and interview.pull_factors == ["peers", "older_adults"]


def test_unknown_factor_codes_are_refused(child, advocate):
    interview = interview_of(went_missing(child, at(2025, 6, 2, 8), at(2025, 6, 2, 20)))
    errors = _errors(lambda: hold(interview, at(2025, 6, 3, 10), advocate, push_factors=["made_up"]))
    assert "push_factors" in errors


def test_counting_interviews_in_a_period_is_one_query(la, advocate, django_assert_num_queries):
    children = [make_person(la) for _ in range(4)]
    on_time = interview_of(went_missing(children[0], at(2025, 6, 2, 8), at(2025, 6, 2, 20)))
    hold(on_time, at(2025, 6, 3, 10), advocate)
    late = interview_of(went_missing(children[1], at(2025, 6, 2, 8), at(2025, 6, 2, 20)))
    hold(late, at(2025, 6, 6, 10), advocate, offered=at(2025, 6, 4, 9), late_reason="Away with family")
    went_missing(children[2], at(2025, 6, 10, 8), at(2025, 6, 10, 20))  # not offered yet
    went_missing(children[3], at(2025, 7, 10, 8), at(2025, 7, 10, 20))  # returned after the period
    with django_assert_num_queries(1):
        counts = interview_counts(local_authority=la.pk, start=date(2025, 6, 1), end=date(2025, 6, 30))
    assert counts == {"returns": 3, "offered": 2, "offered_in_time": 2, "accepted": 2, "declined": 0,
                      "completed": 2, "completed_in_time": 1}


def test_annex_a_and_903_reads(child, advocate):
    in_care(child, date(2025, 1, 10))
    first = went_missing(child, at(2025, 3, 1, 20), at(2025, 3, 2, 8), missing_type=MissingType.AWAY)
    last = went_missing(child, at(2025, 5, 1, 20), at(2025, 5, 2, 8))
    services.return_interview_offer(interview=interview_of(last), offered_at=at(2025, 5, 2, 9), offered_by=advocate,
                                    by="test")
    summary = child_missing_summary(child=child, start=date(2024, 6, 1), end=date(2025, 5, 31))
    assert summary == {"missing": 1, "away": 1, "interview_offered": True, "interview_accepted": False}
    rows = list(episodes_for_903(local_authority=child.local_authority_id, year_start=date(2025, 4, 1),
                                 year_end=date(2026, 3, 31)))
    assert rows == [last] and first not in rows


# ---------------------------------------------------------------- screening and escalation


def test_a_review_cannot_be_dated_before_the_screening_it_reviews(child, social_worker):
    services.exploitation_screening_record(child=child, screened_on=date(2025, 5, 1), cse_risk="low",
                                           cce_risk="none", indicators=[], notes="", by=social_worker)
    errors = _errors(lambda: services.exploitation_screening_record(
        child=child, screened_on=date(2025, 4, 1), cse_risk="low", cce_risk="none", indicators=[], notes="",
        by=social_worker))
    assert "review cannot be dated before" in errors["screened_on"][0]


def test_escalation_needs_an_open_referral_and_creates_nothing_without_one(child, social_worker):
    screening = services.exploitation_screening_record(
        child=child, screened_on=date(2025, 5, 1), cse_risk=RiskLevel.HIGH, cce_risk=RiskLevel.LOW,
        indicators=["older_partner"], notes="Seen in cars with older men", by=social_worker)
    errors = _errors(lambda: services.escalate_to_strategy_discussion(
        child=child, held_on=date(2025, 5, 2), agencies_present=[Agency.SOCIAL_CARE, Agency.POLICE],
        reason="CSE risk", decision=StrategyDiscussion.Decision.START_S47, by=social_worker, screening=screening))
    assert "front door" in errors["__all__"][0]
    assert not StrategyDiscussion.objects.exists()


def test_escalation_records_the_discussion_and_links_it_back(child, social_worker):
    cin_episode_open(child=child, referral_date=date(2025, 4, 1), referral_source="2A", by="test")
    screening = services.exploitation_screening_record(
        child=child, screened_on=date(2025, 5, 1), cse_risk=RiskLevel.HIGH, cce_risk=RiskLevel.LOW,
        indicators=["older_partner"], notes="Seen in cars with older men", by=social_worker)
    reason = services.escalation_reason(screening=screening)
    assert "risk of sexual exploitation high" in reason and "Relationship with an older person" in reason
    discussion = services.escalate_to_strategy_discussion(
        child=child, held_on=date(2025, 5, 2), agencies_present=[Agency.SOCIAL_CARE, Agency.POLICE, Agency.HEALTH],
        reason=reason, decision=StrategyDiscussion.Decision.START_S47, by=social_worker, screening=screening)
    screening.refresh_from_db()
    assert screening.strategy_discussion == discussion and discussion.s47_enquiries.count() == 1


def test_escalating_from_an_episode_drafts_the_reason_from_the_episodes(child):
    for day in (1, 8, 15):
        last = went_missing(child, at(2025, 5, day, 20), at(2025, 5, day + 1, 8), circumstances="Left after a row")
    reason = services.escalation_reason(episode=last)
    assert "3 episodes in the 90 days" in reason and "Left after a row" in reason


def test_a_future_screening_is_refused(child):
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = _errors(lambda: services.exploitation_screening_record(
        child=child, screened_on=tomorrow, cse_risk="low", cce_risk="low", indicators=[], notes="", by="test"))
    assert "today or in the past" in errors["screened_on"][0]
