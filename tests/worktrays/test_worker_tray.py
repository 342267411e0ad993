from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.access.services import allow_list_add
from hearth.allocations.services import allocation_start
from hearth.clocks.models import holiday_set
from hearth.clocks.working_days import add_working_days
from hearth.people.models import Person
from hearth.worktrays.selectors import worker_tray
from tests.conftest import client_for
from tests.factories import make_person, make_team, make_user
from tests.worktrays.factories import BY, make_assessment, make_clock, make_contact, make_episode


def _due(clock, due_on):
    clock.due_on = due_on
    clock.save(by=BY)
    return clock


def _allocated(la, team, worker, **extra):
    child = make_person(la, **extra)
    allocation_start(child=child, team=team, worker=worker, started_on=child.date_of_birth, by=BY)
    return child


def test_the_tray_groups_deadlines_and_flags_drift_before_it_happens(la, team, social_worker):
    today = timezone.localdate()
    holidays = holiday_set()
    late = _allocated(la, team, social_worker, first_name="Late")
    soon = _allocated(la, team, social_worker, first_name="Soon")
    far = _allocated(la, team, social_worker, first_name="Far")
    _due(make_clock(late, "cp_visit", today - timedelta(days=40)), today - timedelta(days=3))
    _due(make_clock(soon, "core_group_first", today - timedelta(days=10)), add_working_days(today, 2, holidays))
    _due(make_clock(far, "rcpc_first", today - timedelta(days=5)), today + timedelta(days=40))

    groups = worker_tray(user=social_worker, today=today)

    assert [i.child_label for i in groups.overdue] == [late.full_name]
    assert groups.overdue[0].is_overdue and groups.overdue[0].days_left < 0
    soon_item = next(i for i in groups.this_week + groups.later if i.child_label == soon.full_name)
    assert soon_item.days_left == 2 and soon_item.is_due_soon
    assert [i.child_label for i in groups.later][-1] == far.full_name
    assert groups.due_soon_count == 1

    page = client_for(social_worker).get("/trays/mine/").content.decode()
    assert "Overdue by" in page and "Due soon: 2 working days" in page and "First review conference" in page
    assert page.index("Late") < page.index("Soon") < page.index("Far")


def test_assessments_show_the_45_day_clock_and_whether_the_child_is_seen(la, team, social_worker):
    today = timezone.localdate()
    unseen = _allocated(la, team, social_worker, first_name="Unseen")
    seen = _allocated(la, team, social_worker, first_name="Seenchild")
    for child in (unseen, seen):
        episode = make_episode(child, team=team, referral_date=today - timedelta(days=30))
        assessment = make_assessment(child, episode, worker=social_worker,
                                     child_seen_on=today - timedelta(days=28) if child is seen else None)
        make_clock(child, "assessment", episode.referral_date, subject=assessment)

    items = {i.child_label: i for g in (lambda t: [t.overdue, t.this_week, t.later])(worker_tray(user=social_worker))
             for i in g}
    assert items[unseen.full_name].kind == "assessment" and "not seen yet" in items[unseen.full_name].detail
    assert "Child seen" in items[seen.full_name].detail
    expected = add_working_days(today - timedelta(days=30), 45, holiday_set())
    assert items[seen.full_name].due_on == expected
    # The assessment's own clock is not listed a second time.
    assert sum(1 for i in items.values() if i.rule_id == "assessment") == 2
    assert len(items) == 2


def test_contacts_i_am_screening_carry_the_decision_clock(la, social_worker):
    contact = make_contact(la, screened_by=social_worker, received=timezone.localdate() - timedelta(days=7))
    make_contact(la, screened_by=make_user(la), first_name="Someoneelse")
    groups = worker_tray(user=social_worker)
    assert [i.what for i in groups.overdue] == [f"Contact {contact.reference}: decision"]
    assert groups.overdue[0].child_label == "Robin Contactee"
    assert "Someoneelse" not in client_for(social_worker).get("/trays/mine/").content.decode()


def test_a_sealed_child_never_shows_in_the_tray(la, team, social_worker):
    sealed = make_person(la, Person.AccessLevel.SEALED, first_name="Hidden")
    make_clock(sealed, "cp_visit", timezone.localdate() - timedelta(days=30), assigned_to=social_worker)
    make_contact(la, child=sealed, screened_by=social_worker)
    episode = make_episode(sealed, team=team)
    make_assessment(sealed, episode, worker=social_worker)
    page = client_for(social_worker).get("/trays/mine/").content.decode()
    assert "Hidden" not in page and worker_tray(user=social_worker).total == 0
    # Once the worker is allowed to see the child, the work appears.
    allow_list_add(person=sealed, user=social_worker, reason="Allocated worker", by=BY)
    assert worker_tray(user=social_worker).total == 3


def test_the_worker_tray_takes_a_fixed_number_of_queries(la, team, social_worker):
    client = client_for(social_worker)
    today = timezone.localdate()
    client.get("/trays/mine/")  # warm the content-type cache

    def queries_with(n: int) -> int:
        for _ in range(n):
            child = _allocated(la, team, social_worker, first_name="Counted")
            episode = make_episode(child, team=team, referral_date=today - timedelta(days=3))
            assessment = make_assessment(child, episode, worker=social_worker)
            make_clock(child, "assessment", episode.referral_date, subject=assessment)
            make_clock(child, "cp_visit", today - timedelta(days=20))
            make_contact(la, child=child, screened_by=social_worker)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/trays/mine/")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few, many = queries_with(1), queries_with(20)
    assert few == many
    assert client.get("/trays/mine/").content.decode().count("Counted") == 21 * 3


def test_only_staff_with_case_access_have_a_tray(la):
    from hearth.accounts.roles import Role

    assert client_for(make_user(la, Role.PERFORMANCE_ANALYST)).get("/trays/mine/").status_code == 403
    assert client_for(make_user(la, Role.PARTNER_REFERRER)).get("/trays/mine/").status_code == 403


def test_my_work_leads_to_the_tray(la, team, social_worker, team_manager):
    assert "/trays/mine/" in client_for(social_worker).get("/").content.decode()
    assert f"/trays/team/{team.pk}/" in client_for(team_manager).get("/").content.decode()
    other = make_team(la, "Other")
    assert f"/trays/team/{other.pk}/" not in client_for(team_manager).get("/").content.decode()


def test_care_clocks_link_to_the_tab_where_the_work_is_done(la, team, social_worker):
    from tests.care_plans.factories import bring_into_care

    today = timezone.localdate()
    child = _allocated(la, team, social_worker, first_name="Incare")
    bring_into_care(child, today - timedelta(days=3), by=BY)
    make_clock(child, "care_leaver_contact", today - timedelta(days=3))

    groups = worker_tray(user=social_worker, today=today)
    items = {i.rule_id: i for i in groups.overdue + groups.this_week + groups.later}

    assert items["cla_review_first"].link == f"/children/{child.pk}/care-plan/"
    assert items["cla_visit_first"].link == f"/children/{child.pk}/care-plan/"
    assert items["care_leaver_contact"].link == f"/children/{child.pk}/leaving-care/"
