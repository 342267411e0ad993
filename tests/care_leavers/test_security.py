"""Access and security on leaving care pages: another council's records, protected records, logging, and lists."""

from __future__ import annotations

import pytest

from hearth.access.models import AccessEvent
from hearth.access.services import break_glass_open
from hearth.accounts.roles import Role
from hearth.care_leavers import services
from hearth.care_leavers.models import PathwayPlan, StatusDecision, StayingPut
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_user
from tests.security_world import names_shown, sweep

from .factories import ago, care_leaver, leaving_care_team, make_adviser

pytestmark = pytest.mark.django_db
REASON = "Police called about this young person tonight"


def world(la, prefix: str, level: str = Person.AccessLevel.OPEN):
    """A former relevant young person with a plan, staying put and a decision, and the pages about them."""
    team = leaving_care_team(la, f"{prefix} Leaving Care")
    adviser = make_adviser(la, team)
    manager = make_user(la, Role.TEAM_MANAGER, team)
    child = care_leaver(la, level=level, age_years=22, left_months_ago=40, first_name=f"{prefix}Leaver")
    services.personal_adviser_allocate(child=child, adviser=adviser, started_on=ago(months=30), by=manager)
    plan = services.pathway_plan_start(child=child, started_on=ago(months=5), by=adviser)
    arrangement = services.staying_put_start(child=child, started_on=ago(months=39), carer_name="The Carers",
                                             by=adviser)
    decision = services.status_decision_record(child=child, kind=StatusDecision.Kind.DECLINED_SUPPORT,
                                               effective_on=ago(days=20), reason="Said so", by=adviser)
    return child, plan, arrangement, decision, adviser, manager


def urls(child: Person, plan: PathwayPlan, arrangement: StayingPut, decision: StatusDecision) -> list[str]:
    base = f"/children/{child.pk}/leaving-care/"
    return [base + page for page in (
        "", "adviser/", "adviser/end/", "status/new/", f"status/{decision.pk}/withdraw/", "needs-assessment/new/",
        "plans/new/", f"plans/{plan.pk}/edit/", f"plans/{plan.pk}/reviews/new/", f"plans/{plan.pk}/end/",
        "contacts/new/", "accommodation/new/", "activity/new/", "staying-put/new/",
        f"staying-put/{arrangement.pk}/end/",
    )]


def test_another_councils_young_people_are_not_found(la, other_la):
    ours = world(la, "Ours")
    theirs_child, plan, arrangement, decision = world(other_la, "Theirs")[:4]
    theirs = urls(theirs_child, plan, arrangement, decision)
    # My young person's pages with their plan, arrangement or decision in them.
    mine = f"/children/{ours[0].pk}/leaving-care/"
    crossed = [mine + page for page in (f"status/{decision.pk}/withdraw/", f"plans/{plan.pk}/edit/",
                                        f"plans/{plan.pk}/reviews/new/", f"plans/{plan.pk}/end/",
                                        f"staying-put/{arrangement.pk}/end/")]
    for user in (ours[4], ours[5], make_user(la, Role.SERVICE_MANAGER)):
        assert sweep(client_for(user), theirs, names=["TheirsLeaver"], allowed=(404, 405)) == []
        assert sweep(client_for(user), crossed, names=["TheirsLeaver"], allowed=(404, 405)) == []


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_a_protected_young_persons_pages_are_refused_without_naming_them(la, level):
    child, plan, arrangement, decision, _, _ = world(la, "Hidden", level)
    for role in (Role.PERSONAL_ADVISER, Role.SOCIAL_WORKER, Role.SERVICE_MANAGER):
        client = client_for(make_user(la, role, leaving_care_team(la)))
        assert sweep(client, urls(child, plan, arrangement, decision), names=["HiddenLeaver"]) == []
        assert names_shown(client, ["/leaving-care/", "/trays/mine/"], ["HiddenLeaver"]) == []


def test_every_page_logs_a_view_also_after_breaking_the_glass(la):
    child, plan, arrangement, decision, _, _ = world(la, "Seen", Person.AccessLevel.RESTRICTED)
    service_manager = make_user(la, Role.SERVICE_MANAGER)
    break_glass_open(person=child, user=service_manager, reason=REASON)
    client = client_for(service_manager)
    for url in urls(child, plan, arrangement, decision):
        before = AccessEvent.objects.filter(person=child, user=service_manager, action="view").count()
        assert client.get(url).status_code == 200, url
        assert AccessEvent.objects.filter(person=child, user=service_manager, action="view").count() == before + 1


def test_refused_posts_change_nothing(la):
    child, plan, *_ = world(la, "Posted", Person.AccessLevel.SEALED)
    outsider = client_for(make_user(la, Role.PERSONAL_ADVISER, leaving_care_team(la)))
    base = f"/children/{child.pk}/leaving-care/"
    outsider.post(base + f"plans/{plan.pk}/end/", {"version": plan.version, "end_reason": "other",
                                                   "ended_on_0": "1", "ended_on_1": "1", "ended_on_2": "2026"})
    plan.refresh_from_db()
    assert plan.ended_on is None


# ---------------------------------------------------------------- the security review (issue 5)


def _date(name: str, day) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_another_councils_adviser_or_foster_household_cannot_be_chosen_by_tampering(la, other_la):
    from django.core.exceptions import ValidationError

    from hearth.allocations.models import Allocation
    from tests.care.factories import make_household

    team = leaving_care_team(la)
    manager = make_user(la, Role.TEAM_MANAGER, team)
    child = care_leaver(la, age_years=19, left_months_ago=6, first_name="OursLeaver")
    their_adviser = make_adviser(other_la, first_name="Their", last_name="Adviser")
    their_home = make_household(other_la, "Theirs Household")
    client = client_for(manager)
    base = f"/children/{child.pk}/leaving-care/"
    page = client.get(base + "adviser/").content.decode()
    assert "Their Adviser" not in page
    response = client.post(base + "adviser/", {"adviser": their_adviser.pk, **_date("started_on", ago(days=3))})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Allocation.objects.filter(child=child, kind=Allocation.Kind.PERSONAL_ADVISER).exists()
    assert "Theirs Household" not in client.get(base + "staying-put/new/").content.decode()
    response = client.post(base + "staying-put/new/", {"foster_household": their_home.pk,
                                                       **_date("started_on", ago(days=3))})
    assert response.status_code == 200 and not StayingPut.objects.filter(child=child).exists()
    # Nor through the services.
    with pytest.raises(ValidationError):
        services.personal_adviser_allocate(child=child, adviser=their_adviser, started_on=ago(days=3), by=manager)
    with pytest.raises(ValidationError):
        services.staying_put_start(child=child, started_on=ago(days=3), foster_household=their_home, by=manager)


def test_a_form_posted_and_saved_is_logged_as_a_use_of_the_record(la):
    child, _plan, _arrangement, _decision, adviser, _manager = world(la, "Logged")
    logged = AccessEvent.objects.filter(person=child, user=adviser, action="view")
    before = logged.count()
    response = client_for(adviser).post(f"/children/{child.pk}/leaving-care/contacts/new/", {
        **_date("contacted_on", ago(days=1)), "in_touch": "YES", "method": "phone", "note": "All well"})
    assert response.status_code == 302
    assert logged.count() == before + 1


def test_the_tray_never_lists_another_councils_young_people(la, other_la):
    world(other_la, "Theirs")
    for role in (Role.PERSONAL_ADVISER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER):
        client = client_for(make_user(la, role, leaving_care_team(la)))
        assert names_shown(client, ["/leaving-care/"], ["TheirsLeaver"]) == []


@pytest.mark.parametrize("role", [Role.PARTNER_REFERRER, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN])
def test_no_leaving_care_page_is_reached_without_case_access(la, role):
    child, plan, arrangement, decision, _, _ = world(la, "Out")
    client = client_for(make_user(la, role))
    assert sweep(client, [*urls(child, plan, arrangement, decision), "/leaving-care/"], names=["OutLeaver"]) == []
    assert "You cannot do this" in client.get("/leaving-care/").content.decode()
