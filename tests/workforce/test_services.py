"""The establishment and HR services: what they refuse and why, what they keep in step, and that every change is
audited and nothing is deleted."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hearth.accounts.models import User
from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord, StaleVersionError
from hearth.workforce import services
from hearth.workforce.models import Absence, Appointment, Post, PostFunding
from tests.factories import make_team, make_user
from tests.workforce.factories import make_appointment, make_funding, make_grant, make_post, make_reserve

D = Decimal
RESERVE, GRANT, BASE = PostFunding.Source.RESERVE, PostFunding.Source.GRANT, PostFunding.Source.BASE_BUDGET
PERMANENT, AGENCY = Appointment.EmploymentType.PERMANENT, Appointment.EmploymentType.AGENCY


@pytest.fixture
def head(la) -> User:
    return make_user(la, Role.SERVICE_MANAGER, username="head")


@pytest.fixture
def post(la) -> Post:
    return make_post(la, reference="CSC-0001", established_on=date(2024, 4, 1))


def _errors(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def _new_post(la, by, **extra) -> Post:
    values = {"reference": "CSC-0100", "title": "Missing from home advocate", "kind": Post.Kind.MISSING_ADVOCATE,
              "fte": D("1.00"), "annual_cost": D("41000"), "established_on": date(2025, 6, 1),
              "serves_indicators": ["cla_missing"]}
    return services.post_create(local_authority=la, by=by, **(values | extra))


# ---------------------------------------------------------------------------------------------- posts

def test_post_create_is_audited_against_the_user(la, head):
    created = _new_post(la, head)
    change = ChangeRecord.objects.get(model_label="workforce.Post", object_id=str(created.pk))
    assert change.by_user_id == head.pk and change.action == ChangeRecord.Action.CREATE
    assert created.serves_indicators == ["cla_missing"]


def test_post_create_refuses_a_duplicate_number_an_unknown_indicator_and_another_councils_team(la, other_la,
                                                                                                head, post):
    with pytest.raises(ValidationError) as caught:
        _new_post(la, head, reference="CSC-0001", serves_indicators=["no_such"], team=make_team(other_la))
    errors = _errors(caught)
    assert errors["reference"] == ["Post number CSC-0001 is already on the establishment"]
    assert "no_such" in errors["serves_indicators"][0]
    assert errors["team"] == ["Select a team in this council"]


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER, Role.IMPROVEMENT_MANAGER,
                                  Role.SOCIAL_WORKER])
def test_only_leaders_and_finance_change_the_establishment(la, role):
    with pytest.raises(PermissionDenied):
        _new_post(la, make_user(la, role))


def test_finance_may_change_the_establishment_of_their_own_council_only(la, other_la):
    assert _new_post(la, make_user(la, Role.FINANCE_OFFICER)).pk
    with pytest.raises(PermissionDenied):
        _new_post(la, make_user(other_la, Role.FINANCE_OFFICER), reference="CSC-0200")


def test_post_update_refuses_a_stale_version(la, head, post):
    values = {"reference": post.reference, "title": "Renamed", "kind": post.kind, "fte": post.fte,
              "annual_cost": post.annual_cost, "established_on": post.established_on}
    services.post_update(post=post, expected_version=post.version, by=head, **values)
    stale = Post.objects.get(pk=post.pk)
    stale.version = 1
    with pytest.raises(StaleVersionError):
        services.post_update(post=stale, expected_version=1, by=head, **(values | {"title": "Again"}))
    assert Post.objects.get(pk=post.pk).title == "Renamed"


def test_post_fte_cannot_go_below_the_employees_in_it(la, head, post):
    make_appointment(make_user(la), post=post, fte="0.8", starts_on=date(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.post_update(post=post, expected_version=post.version, reference=post.reference, title=post.title,
                             kind=post.kind, fte=D("0.5"), annual_cost=post.annual_cost,
                             established_on=post.established_on, by=head)
    assert "0.80 FTE" in _errors(caught)["fte"][0]


def test_ending_a_post_keeps_it_and_ends_its_funding(la, head, post):
    base = make_funding(post)
    grant = make_funding(post, source=GRANT, share_percent=0.01, ends_on=date(2027, 3, 31))
    ended = services.post_end(post=post, ended_on=date(2027, 1, 1), expected_version=post.version, by=head)
    assert Post.objects.filter(pk=post.pk).exists() and ended.ended_on == date(2027, 1, 1)
    base.refresh_from_db()
    grant.refresh_from_db()
    assert base.ends_on == grant.ends_on == date(2026, 12, 31)


def test_ending_a_post_with_someone_in_it_is_refused(la, head, post):
    worker = make_user(la, first_name="Kit", last_name="Lee")
    make_appointment(worker, post=post, starts_on=date(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.post_end(post=post, ended_on=date(2027, 1, 1), expected_version=post.version, by=head)
    assert _errors(caught)["ended_on"] == ["Kit Lee is in this post on 1 January 2027 or later: end their "
                                           "appointment first"]


def test_a_post_cannot_come_off_before_it_started_or_twice(la, head, post):
    with pytest.raises(ValidationError):
        services.post_end(post=post, ended_on=post.established_on, expected_version=post.version, by=head)
    services.post_end(post=post, ended_on=date(2026, 1, 1), expected_version=post.version, by=head)
    with pytest.raises(ValidationError):
        services.post_end(post=post, ended_on=date(2026, 2, 1), expected_version=post.version, by=head)


# ---------------------------------------------------------------------------------------------- funding

def test_reserve_and_grant_funding_name_their_source_from_this_council(la, other_la, head, post):
    with pytest.raises(ValidationError) as caught:
        services.post_funding_add(post=post, source=RESERVE, starts_on=date(2025, 4, 1), ends_on=date(2026, 9, 30),
                                  by=head)
    assert _errors(caught)["reserve"] == ["Select the reserve the post is paid from"]
    theirs = make_reserve(other_la)
    with pytest.raises(ValidationError) as caught:
        services.post_funding_add(post=post, source=RESERVE, reserve=theirs, starts_on=date(2025, 4, 1),
                                  ends_on=date(2026, 9, 30), by=head)
    assert "reserve" in _errors(caught)
    with pytest.raises(ValidationError) as caught:
        services.post_funding_add(post=post, source=GRANT, grant=make_grant(other_la), starts_on=date(2025, 4, 1),
                                  ends_on=date(2026, 9, 30), by=head)
    assert _errors(caught)["grant"] == ["Select the grant the post is paid from"]


def test_temporary_funding_needs_an_end_and_a_grant_its_dates(la, head, post):
    reserve = make_reserve(la)
    with pytest.raises(ValidationError) as caught:
        services.post_funding_add(post=post, source=RESERVE, reserve=reserve, starts_on=date(2025, 4, 1), by=head)
    assert _errors(caught)["ends_on"][0].startswith("Enter the date the funding ends")
    grant = make_grant(la, name="DfE grant", ends_on=date(2027, 3, 31))
    with pytest.raises(ValidationError) as caught:
        services.post_funding_add(post=post, source=GRANT, grant=grant, starts_on=date(2025, 4, 1),
                                  ends_on=date(2027, 9, 30), by=head)
    assert _errors(caught)["ends_on"] == ["DfE grant ends on 31 March 2027: the funding cannot run past it"]


def test_funding_never_comes_to_more_than_100_percent(la, head, post):
    reserve = make_reserve(la)
    services.post_funding_add(post=post, source=BASE, starts_on=date(2024, 4, 1), share_percent=D("60"), by=head)
    # 60% base budget for ever: a reserve may pay the other 40% but not 50%.
    with pytest.raises(ValidationError) as caught:
        services.post_funding_add(post=post, source=RESERVE, reserve=reserve, starts_on=date(2025, 10, 1),
                                  ends_on=date(2027, 3, 31), share_percent=D("50"), by=head)
    assert _errors(caught)["share_percent"] == [
        "This post is already 60% funded on 1 October 2025 (or later in these dates): funding cannot come to more "
        "than 100%. Enter a share of no more than 40%, or end the other funding first"]
    services.post_funding_add(post=post, source=RESERVE, reserve=reserve, starts_on=date(2025, 10, 1),
                              ends_on=date(2027, 3, 31), share_percent=D("40"), by=head)
    assert post.funding.count() == 2


def test_a_continuation_may_start_the_day_after_but_not_overlap(la, head, post):
    reserve = make_reserve(la)
    services.post_funding_add(post=post, source=RESERVE, reserve=reserve, starts_on=date(2025, 4, 1),
                              ends_on=date(2026, 9, 30), by=head)
    with pytest.raises(ValidationError) as caught:
        services.post_funding_add(post=post, source=BASE, starts_on=date(2026, 9, 30), by=head)
    assert "End the other funding first" in _errors(caught)["share_percent"][0]
    services.post_funding_add(post=post, source=BASE, starts_on=date(2026, 10, 1), by=head)


def test_extending_funding_is_checked_against_what_follows(la, head, post):
    first = make_funding(post, source=RESERVE, ends_on=date(2026, 9, 30))
    make_funding(post, starts_on=date(2026, 10, 1))
    with pytest.raises(ValidationError) as caught:
        services.post_funding_end(funding=first, ends_on=date(2026, 12, 31), expected_version=first.version, by=head)
    assert "already 100% funded" in _errors(caught)["ends_on"][0]
    services.post_funding_end(funding=first, ends_on=date(2026, 6, 30), expected_version=first.version, by=head)
    first.refresh_from_db()
    assert first.ends_on == date(2026, 6, 30)


def test_ending_funding_before_it_starts_is_refused(la, head, post):
    funding = make_funding(post, starts_on=date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.post_funding_end(funding=funding, ends_on=date(2024, 12, 31), expected_version=funding.version,
                                  by=head)


# ---------------------------------------------------------------------------------------------- appointments

def test_an_appointment_keeps_the_workers_record_in_step(la, head, post):
    worker = make_user(la, employment_type=User.EmploymentType.AGENCY, fte=D("1.00"))
    services.appointment_start(worker=worker, post=post, employment_type=PERMANENT, org_role="5", fte=D("0.8"),
                               starts_on=date(2025, 2, 3), start_origin="2", by=head)
    worker.refresh_from_db()
    assert (worker.employment_type, worker.fte, worker.started_on, worker.left_on) == (
        "permanent", D("0.80"), date(2025, 2, 3), None)
    # A change of FTE is a new appointment, not a new start with the council.
    first = Appointment.objects.get(worker=worker)
    services.appointment_end(appointment=first, ends_on=date(2026, 3, 31), left_council=False, by=head)
    services.appointment_start(worker=worker, post=post, employment_type=PERMANENT, org_role="4", fte=D("1.0"),
                               starts_on=date(2026, 4, 1), by=head)
    worker.refresh_from_db()
    assert (worker.fte, worker.started_on, worker.left_on) == (D("1.00"), date(2025, 2, 3), None)
    second = Appointment.objects.get(worker=worker, ends_on__isnull=True)
    services.appointment_end(appointment=second, ends_on=date(2026, 10, 30), left_council=True, reason_leave="1",
                             leaver_destination="1", by=head)
    worker.refresh_from_db()
    # left_on is the first day no longer in post, as User.is_in_post reads it.
    assert worker.left_on == date(2026, 10, 31)
    assert worker.is_in_post(date(2026, 10, 30)) and not worker.is_in_post(date(2026, 10, 31))


def test_a_returner_starts_again(la, head, post):
    worker = make_user(la)
    make_appointment(worker, starts_on=date(2020, 1, 1), ends_on=date(2022, 12, 31), left_council=True,
                     reason_leave="1")
    services.appointment_start(worker=worker, post=post, employment_type=PERMANENT, org_role="5", fte=D("1"),
                               starts_on=date(2025, 6, 1), by=head)
    worker.refresh_from_db()
    assert (worker.started_on, worker.left_on) == (date(2025, 6, 1), None)


def test_overlapping_appointments_of_one_worker_are_refused(la, head, post):
    worker = make_user(la, first_name="Jo", last_name="Hill")
    make_appointment(worker, post=post, starts_on=date(2025, 1, 1), ends_on=date(2026, 6, 30))
    other = make_post(la, reference="CSC-0002")
    with pytest.raises(ValidationError) as caught:
        services.appointment_start(worker=worker, post=other, employment_type=PERMANENT, org_role="5",
                                   fte=D("1"), starts_on=date(2026, 6, 30), by=head)
    assert _errors(caught)["starts_on"] == ["Jo Hill has an appointment in post CSC-0001 from 1 January 2025 to "
                                            "30 June 2026: end it before this one starts"]
    services.appointment_start(worker=worker, post=other, employment_type=PERMANENT, org_role="5", fte=D("1"),
                               starts_on=date(2026, 7, 1), by=head)


def test_employees_cannot_fill_more_than_the_posts_fte_but_agency_may_cover(la, head, post):
    make_appointment(make_user(la), post=post, fte="0.6", starts_on=date(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.appointment_start(worker=make_user(la), post=post, employment_type=PERMANENT, org_role="5",
                                   fte=D("0.5"), starts_on=date(2026, 1, 1), by=head)
    assert "would be more than the post" in _errors(caught)["fte"][0]
    services.appointment_start(worker=make_user(la), post=post, employment_type=PERMANENT, org_role="5",
                               fte=D("0.4"), starts_on=date(2026, 1, 1), by=head)
    services.appointment_start(worker=make_user(la), post=post, employment_type=AGENCY, org_role="5",
                               fte=D("1"), starts_on=date(2026, 1, 1), by=head)


def test_a_post_off_the_establishment_takes_no_appointments(la, head, post):
    services.post_end(post=post, ended_on=date(2026, 1, 1), expected_version=post.version, by=head)
    with pytest.raises(ValidationError) as caught:
        services.appointment_start(worker=make_user(la), post=post, employment_type=PERMANENT, org_role="5",
                                   fte=D("1"), starts_on=date(2025, 6, 1), by=head)
    assert "taken off the establishment on 1 January 2026" in _errors(caught)["post"][0]


def test_a_leaver_needs_a_reason_and_an_appointment_ends_once(la, head, post):
    appointment = make_appointment(make_user(la), post=post, starts_on=date(2025, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.appointment_end(appointment=appointment, ends_on=date(2026, 1, 1), left_council=True, by=head)
    assert _errors(caught)["reason_leave"] == ["Select why the worker left"]
    with pytest.raises(ValidationError):
        services.appointment_end(appointment=appointment, ends_on=date(2024, 12, 31), left_council=False, by=head)
    services.appointment_end(appointment=appointment, ends_on=date(2026, 1, 1), left_council=False,
                             reason_leave="1", by=head)
    appointment.refresh_from_db()
    assert appointment.reason_leave == ""  # not a leaver: no leaver items
    with pytest.raises(ValidationError):
        services.appointment_end(appointment=appointment, ends_on=date(2026, 2, 1), left_council=False, by=head)


def test_a_team_manager_records_for_their_team_but_not_themselves_or_others(la, post):
    team, other_team = make_team(la), make_team(la)
    manager = make_user(la, Role.TEAM_MANAGER, team)
    mine, theirs = make_user(la, team=team), make_user(la, team=other_team)
    services.appointment_start(worker=mine, post=post, employment_type=PERMANENT, org_role="5", fte=D("0.5"),
                               starts_on=date(2025, 1, 1), by=manager)
    for worker in (theirs, manager):
        with pytest.raises(PermissionDenied):
            services.appointment_start(worker=worker, post=None, employment_type=AGENCY, org_role="5",
                                       fte=D("0.5"), starts_on=date(2025, 1, 1), by=manager)
    with pytest.raises(PermissionDenied):
        services.absence_record(worker=mine, reason="SIC", starts_on=date(2026, 1, 5), working_days_lost=D("1"),
                                by=make_user(la, Role.PERFORMANCE_ANALYST))


# ---------------------------------------------------------------------------------------------- absence

def test_absences_cannot_overlap_or_lose_more_days_than_they_last(la, head):
    worker = make_user(la, first_name="Max", last_name="Roe")
    services.absence_record(worker=worker, reason="SIC", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6),
                            working_days_lost=D("5"), by=head)
    with pytest.raises(ValidationError) as caught:
        services.absence_record(worker=worker, reason="TRN", starts_on=date(2026, 3, 6), ends_on=date(2026, 3, 6),
                                working_days_lost=D("1"), by=head)
    assert _errors(caught)["starts_on"] == ["Max Roe already has an absence from 2 March 2026 to 6 March 2026: "
                                            "absences cannot overlap"]
    with pytest.raises(ValidationError) as caught:
        services.absence_record(worker=worker, reason="SIC", starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 2),
                                working_days_lost=D("3"), by=head)
    assert "cannot be more than the 2 days" in _errors(caught)["working_days_lost"][0]


def test_sickness_cannot_start_in_the_future_but_leave_may(la, head):
    worker = make_user(la)
    later = timezone.localdate() + timedelta(days=10)
    with pytest.raises(ValidationError):
        services.absence_record(worker=worker, reason="SIC", starts_on=later, working_days_lost=D("0"), by=head)
    services.absence_record(worker=worker, reason="MAT", starts_on=later, working_days_lost=D("0"), by=head)


def test_closing_an_open_absence(la, head):
    worker = make_user(la)
    absence = services.absence_record(worker=worker, reason="SIC", starts_on=date(2026, 9, 21),
                                      working_days_lost=D("3"), by=head)
    # While it is open, nothing else can be recorded after it began.
    with pytest.raises(ValidationError) as caught:
        services.absence_record(worker=worker, reason="TRN", starts_on=date(2026, 10, 20),
                                ends_on=date(2026, 10, 20), working_days_lost=D("1"), by=head)
    assert "with no end date yet" in _errors(caught)["starts_on"][0]
    with pytest.raises(ValidationError) as caught:
        services.absence_close(absence=absence, ends_on=date(2026, 9, 22), working_days_lost=D("10"),
                               expected_version=absence.version, by=head)
    assert "cannot be more than the 2 days" in _errors(caught)["working_days_lost"][0]
    services.absence_close(absence=absence, ends_on=date(2026, 10, 10), working_days_lost=D("15"),
                           expected_version=absence.version, by=head)
    absence.refresh_from_db()
    assert (absence.ends_on, absence.working_days_lost, absence.version) == (date(2026, 10, 10), D("15"), 2)
    with pytest.raises(ValidationError):
        services.absence_close(absence=absence, ends_on=date(2026, 10, 11), working_days_lost=D("15"),
                               expected_version=absence.version, by=head)
    services.absence_record(worker=worker, reason="TRN", starts_on=date(2026, 10, 20), ends_on=date(2026, 10, 20),
                            working_days_lost=D("1"), by=head)
    assert Absence.objects.filter(worker=worker).count() == 2


def test_a_system_process_may_act_for_the_council(la, post):
    worker = make_user(la)
    services.appointment_start(worker=worker, post=post, employment_type=PERMANENT, org_role="5", fte=D("1"),
                               starts_on=date(2025, 1, 1), by="demo seed")
    change = ChangeRecord.objects.get(model_label="workforce.Appointment")
    assert change.by_system == "demo seed"


def test_peak_is_the_most_on_any_one_day():
    spans = [(date(2026, 1, 1), date(2026, 1, 31), D("50")), (date(2026, 2, 1), None, D("60")),
             (date(2026, 1, 20), date(2026, 2, 10), D("30"))]
    assert services.peak(spans, date(2026, 1, 1), None) == (D("90"), date(2026, 2, 1))
    assert services.peak(spans, date(2026, 1, 1), date(2026, 1, 19)) == (D("50"), date(2026, 1, 1))
    assert services.peak([], date(2026, 1, 1), None) == (D("0"), date(2026, 1, 1))
