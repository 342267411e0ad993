"""Front-door pages: who may see them, errors that keep what was typed, access logging and restricted children."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.cin.models import CINEpisode
from hearth.front_door.models import Contact, EarlyHelpEpisode, MysteryShopperCheck
from hearth.front_door.services import contact_screen, early_help_start
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.front_door.factories import gate_off, make_contact
from tests.queries import query_count

pytestmark = pytest.mark.django_db


def contact_post(**overrides: str) -> dict[str, str]:
    now = timezone.localtime()
    data = {
        "received_on_0": str(now.day), "received_on_1": str(now.month), "received_on_2": str(now.year),
        "received_time": "00:01", "channel": "phone", "source": "2A", "referrer_name": "Ms Okafor",
        "referrer_organisation": "Bulwell Academy", "concerns": "Child says there is no food at home",
        "consent": "given", "child_first_name": "Maisie", "child_last_name": "Tranter",
        "child_date_of_birth_0": "4", "child_date_of_birth_1": "9", "child_date_of_birth_2": "2016",
        "child_address": "12 Mill Lane, Bulwell, Nottingham", "child_postcode": "NG6 8AB",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- the queue


def test_queue_who_may_see_it(la, social_worker):
    assert client_for(social_worker).get("/front-door/").status_code == 200
    for role in (Role.PERFORMANCE_ANALYST, Role.PARTNER_REFERRER, Role.SYSTEM_ADMIN):
        assert client_for(make_user(la, role)).get("/front-door/").status_code == 403


def test_queue_shows_contacts_in_due_order_and_hides_restricted_children(la, social_worker):
    open_child = make_person(la, first_name="Kayden", last_name="Openshaw")
    hidden = make_person(la, level=Person.AccessLevel.RESTRICTED, first_name="Secret", last_name="Hiddenson")
    make_contact(la, child=open_child, concerns="Open child")
    make_contact(la, child=hidden, concerns="Restricted child")
    make_contact(la, child_details={"first_name": "Unknown", "last_name": "Child"})
    page = client_for(social_worker).get("/front-door/").content.decode()
    assert "Kayden Openshaw" in page
    assert "Hiddenson" not in page and "Secret" not in page
    assert "referred as Unknown Child" in page
    assert "Awaiting a decision (2)" in page


def test_queue_orders_by_due_date_then_rag(la, social_worker):
    now = timezone.now()
    older = make_contact(la, received_at=now - timedelta(days=10))
    green = make_contact(la, received_at=now)
    red = make_contact(la, received_at=now)
    contact_screen(contact=green, priority="green", notes="", by=social_worker)
    contact_screen(contact=red, priority="red", notes="", by=social_worker)
    page = client_for(social_worker).get("/front-door/").content.decode()
    assert page.index(older.reference) < page.index(red.reference) < page.index(green.reference)
    assert "Overdue by" in page
    filtered = client_for(social_worker).get("/front-door/?priority=red").content.decode()
    assert red.reference in filtered and green.reference not in filtered


def test_queue_query_count_does_not_grow(la, social_worker, team_manager):
    client = client_for(social_worker)
    make_contact(la, child=make_person(la))
    decided = make_contact(la, child=make_person(la))
    from hearth.front_door.services import contact_decide
    contact_decide(contact=decided, decision="nfa", rationale="No concerns", by=team_manager)
    few = query_count(lambda: client.get("/front-door/"))
    for n in range(12):
        contact = make_contact(la, child=make_person(la) if n % 2 else None)
        contact_screen(contact=contact, priority="amber", notes="", by=social_worker)
        if n % 3 == 0 and contact.child:
            contact_decide(contact=contact, decision="advice", rationale="Advice", by=team_manager)
    assert query_count(lambda: client.get("/front-door/")) == few


# ---------------------------------------------------------------- recording a contact


def test_record_contact_errors_keep_input(la, social_worker):
    client = client_for(social_worker)
    response = client.post("/front-door/contacts/new/", contact_post(received_time="23:99", concerns="",
                                                                     referrer_email="not-an-email"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the time received as hours and minutes" in page
    assert "Enter the concerns about the child" in page
    assert "Enter an email address in the correct format" in page
    assert "Bulwell Academy" in page and "Maisie" in page and "12 Mill Lane" in page
    assert not Contact.objects.exists()


def test_record_contact_in_the_future_refused(la, social_worker):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(social_worker).post("/front-door/contacts/new/", contact_post(
        received_on_0=str(tomorrow.day), received_on_1=str(tomorrow.month), received_on_2=str(tomorrow.year)))
    assert "Date received must be today or in the past" in response.content.decode()
    late = client_for(social_worker).post("/front-door/contacts/new/", contact_post(received_time="23:59"))
    if timezone.localtime().strftime("%H:%M") < "23:59":
        assert "The time received must be now or in the past" in late.content.decode()


def test_record_contact_then_find_the_child(la, social_worker):
    existing = make_person(la, first_name="Maisie", last_name="Tranter", date_of_birth=date(2016, 9, 4))
    client = client_for(social_worker)
    response = client.post("/front-door/contacts/new/", contact_post())
    contact = Contact.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/front-door/contacts/{contact.pk}/child/"
    assert contact.child is None and contact.child_details["first_name"] == "Maisie"
    assert contact.child_details["date_of_birth"] == "2016-09-04"
    page = client.get(f"/front-door/contacts/{contact.pk}/child/").content.decode()
    assert "Is it one of these children?" in page and existing.hearth_id in page
    response = client.post(f"/front-door/contacts/{contact.pk}/child/", {"use": existing.pk})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.child == existing


def test_create_a_new_child_only_after_matches_were_shown(la, social_worker):
    client = client_for(social_worker)
    contact = make_contact(la, child_details={"first_name": "Zebedee", "last_name": "Quillfeather",
                                              "date_of_birth": "2017-02-03", "address": "1 High St, Hucknall",
                                              "postcode": "NG15 7AA"})
    who = {"first_name": "Zebedee", "last_name": "Quillfeather", "date_of_birth_0": "3", "date_of_birth_1": "2",
           "date_of_birth_2": "2017", "sex": "M", "postcode": "NG15 7AA", "address-line_1": "1 High St",
           "address-town": "Hucknall",
           "address-postcode": "NG15 7AA", "create": "1"}
    # Changed details since the matches were shown: look again first.
    client.post(f"/front-door/contacts/{contact.pk}/child/", {**who, "checked_for": "something else"})
    contact.refresh_from_db()
    assert contact.child is None
    page = client.get(f"/front-door/contacts/{contact.pk}/child/").content.decode()
    assert 'value="1 High St"' in page and "No one on Hearth that you can see" in page
    checked = page.split("name=\"checked_for\" value=\"")[1].split("\"")[0]
    assert checked == "zebedee|quillfeather|2017-02-03|||ng15 7aa"
    response = client.post(f"/front-door/contacts/{contact.pk}/child/", {**who, "checked_for": checked})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.child is not None and contact.child.full_name == "Zebedee Quillfeather"


def test_preset_child_from_their_record(la, social_worker):
    child = make_person(la)
    client = client_for(social_worker)
    response = client.post(f"/front-door/contacts/new/?child={child.pk}", contact_post(child=str(child.pk)))
    contact = Contact.objects.get()
    assert response["Location"] == f"/front-door/contacts/{contact.pk}/" and contact.child == child
    hidden = make_person(la, level=Person.AccessLevel.SEALED)
    assert client.get(f"/front-door/contacts/new/?child={hidden.pk}").status_code == 404


# ---------------------------------------------------------------- the contact page


def test_contact_page_logs_access_and_shows_the_clock(la, social_worker):
    child = make_person(la)
    contact = make_contact(la, child=child)
    page = client_for(social_worker).get(f"/front-door/contacts/{contact.pk}/").content.decode()
    assert "Decision due by" in page and child.full_name in page
    assert AccessEvent.objects.filter(person=child, user=social_worker, action=AccessEvent.Action.VIEW).exists()


def test_contact_page_for_a_restricted_child_is_refused(la, social_worker):
    child = make_person(la, level=Person.AccessLevel.RESTRICTED, first_name="Secret")
    contact = make_contact(la, child=child)
    response = client_for(social_worker).get(f"/front-door/contacts/{contact.pk}/")
    assert response.status_code == 403 and "Secret" not in response.content.decode()
    sealed = make_contact(la, child=make_person(la, level=Person.AccessLevel.SEALED))
    assert client_for(social_worker).get(f"/front-door/contacts/{sealed.pk}/").status_code == 404


def test_other_councils_contact_is_not_found(la, other_la, social_worker):
    contact = make_contact(other_la)
    assert client_for(social_worker).get(f"/front-door/contacts/{contact.pk}/").status_code == 404


# ---------------------------------------------------------------- screening and decision


def test_screen_errors_and_stale(la, social_worker):
    contact = make_contact(la, child=make_person(la))
    client = client_for(social_worker)
    response = client.post(f"/front-door/contacts/{contact.pk}/screen/", {"version": contact.version,
                                                                          "notes": "Checked police"})
    assert "Choose the priority" in response.content.decode() and "Checked police" in response.content.decode()
    contact_screen(contact=contact, priority="green", notes="", by=social_worker)
    response = client.post(f"/front-door/contacts/{contact.pk}/screen/",
                           {"version": contact.version - 1, "priority": "red", "notes": "My notes"})
    assert "Someone else saved changes" in response.content.decode() and "My notes" in response.content.decode()


def test_decide_gate_on_social_worker_refused(la, social_worker):
    contact = make_contact(la, child=make_person(la))
    assert client_for(social_worker).get(f"/front-door/contacts/{contact.pk}/decide/").status_code == 403
    page = client_for(social_worker).get(f"/front-door/contacts/{contact.pk}/").content.decode()
    assert "a manager records the decision" in page


def test_decide_without_child_sends_to_find_child(la, team_manager):
    contact = make_contact(la)
    response = client_for(team_manager).get(f"/front-door/contacts/{contact.pk}/decide/")
    assert response["Location"] == f"/front-door/contacts/{contact.pk}/child/"


def test_decide_errors_keep_input(la, team_manager):
    contact = make_contact(la, child=make_person(la))
    response = client_for(team_manager).post(f"/front-door/contacts/{contact.pk}/decide/",
                                             {"version": contact.version, "decision": "referral", "rationale": ""})
    page = response.content.decode()
    assert "Enter the rationale for the decision" in page
    assert 'value="referral" checked' in page or 'value="referral"\n' in page or "checked" in page


def test_decide_referral_on_open_case_offers_the_open_case(la, team_manager):
    child = make_person(la)
    from hearth.cin.services import cin_episode_open
    cin_episode_open(child=child, referral_date=date(2025, 1, 6), referral_source="2A", by=team_manager)
    contact = make_contact(la, child=child)
    client = client_for(team_manager)
    response = client.post(f"/front-door/contacts/{contact.pk}/decide/",
                           {"version": contact.version, "decision": "referral", "rationale": "More concerns"})
    page = response.content.decode()
    assert "already open to children&#x27;s social care" in page and "More concerns" in page
    assert "Add to the open case" in page
    response = client.post(f"/front-door/contacts/{contact.pk}/decide/",
                           {"version": contact.version, "decision": "open_case", "rationale": "More concerns"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.decision == "advice"


def test_decide_strategy_discussion_redirects_onwards(la, team_manager):
    gate_off(la)
    child = make_person(la)
    contact = make_contact(la, child=child)
    response = client_for(team_manager).post(f"/front-door/contacts/{contact.pk}/decide/", {
        "version": contact.version, "decision": "strategy_discussion", "rationale": "Disclosure at school"})
    assert response.status_code == 302
    assert str(child.pk) in response["Location"] or f"/front-door/contacts/{contact.pk}/" == response["Location"]
    assert CINEpisode.objects.filter(child=child, contact=contact).exists()


def test_decided_contact_is_read_only(la, team_manager):
    contact = make_contact(la, child=make_person(la))
    client = client_for(team_manager)
    client.post(f"/front-door/contacts/{contact.pk}/decide/",
                {"version": contact.version, "decision": "nfa", "rationale": "No concerns"})
    contact.refresh_from_db()
    assert contact.is_decided
    again = client.post(f"/front-door/contacts/{contact.pk}/decide/",
                        {"version": contact.version, "decision": "advice", "rationale": "Changed my mind"})
    assert again.status_code == 302
    contact.refresh_from_db()
    assert contact.decision == "nfa"
    assert client.get(f"/front-door/contacts/{contact.pk}/screen/").status_code == 302


# ---------------------------------------------------------------- early help


def test_early_help_pages(la, social_worker, team_manager):
    child = make_person(la)
    episode = early_help_start(child=child, started_on=date(2025, 3, 3), origin="direct", by=social_worker)
    client = client_for(social_worker)
    page = client.get(f"/front-door/early-help/{episode.pk}/").content.decode()
    assert "Early help from 3 March 2025" in page
    assert AccessEvent.objects.filter(person=child, user=social_worker).exists()
    response = client.post(f"/front-door/early-help/{episode.pk}/end/", {
        "version": episode.version, "ended_on_0": "1", "ended_on_1": "2", "ended_on_2": "2025", "outcome": "needs_met"})
    assert "before early help started" in response.content.decode()
    assert 'value="needs_met" checked' in response.content.decode() or "needs_met" in response.content.decode()
    response = client.post(f"/front-door/early-help/{episode.pk}/change/", {
        "version": episode.version, "lead_professional": "", "assessment_organisation": "School",
        "assessment_started_on_0": "10", "assessment_started_on_1": "3", "assessment_started_on_2": "2025",
        "assessment_completed_on_0": "5", "assessment_completed_on_1": "3", "assessment_completed_on_2": "2025"})
    page = response.content.decode()
    assert "Enter the lead professional, or choose the lead team" in page
    assert client.get("/front-door/early-help/").status_code == 403
    assert client_for(team_manager).get("/front-door/early-help/").status_code == 200


def test_early_help_step_up_view(la, team, social_worker):
    child = make_person(la)
    episode = early_help_start(child=child, started_on=date(2025, 3, 3), origin="direct", by=social_worker)
    response = client_for(social_worker).post(f"/front-door/early-help/{episode.pk}/step-up/", {
        "version": episode.version, "on_0": "1", "on_1": "5", "on_2": "2025", "team": team.pk})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.outcome == "stepped_up" and episode.stepped_up_to.referral_source == "5D"


def test_early_help_list_query_count_and_restricted(la, team, team_manager, social_worker):
    client = client_for(team_manager)
    early_help_start(child=make_person(la), started_on=date(2025, 3, 3), origin="direct", by=social_worker)
    hidden = make_person(la, level=Person.AccessLevel.RESTRICTED, first_name="Secret", last_name="Hiddenson")
    early_help_start(child=hidden, started_on=date(2025, 3, 3), origin="direct", by=social_worker)
    few = query_count(lambda: client.get("/front-door/early-help/"))
    for _ in range(10):
        early_help_start(child=make_person(la), started_on=date(2025, 3, 3), origin="direct", by=social_worker,
                         lead_team=team)
    assert query_count(lambda: client.get("/front-door/early-help/")) == few
    page = client.get("/front-door/early-help/").content.decode()
    assert "Hiddenson" not in page and "Open early help (11)" in page
    assert EarlyHelpEpisode.objects.count() == 12


# ---------------------------------------------------------------- mystery shopper


def test_mystery_shop_pages(la, social_worker, team_manager):
    assert client_for(social_worker).get("/front-door/mystery-shopper/").status_code == 403
    assert client_for(social_worker).get("/front-door/mystery-shopper/new/").status_code == 403
    client = client_for(team_manager)
    yesterday = timezone.localdate() - timedelta(days=1)
    when = {"carried_out_on_0": str(yesterday.day), "carried_out_on_1": str(yesterday.month),
            "carried_out_on_2": str(yesterday.year), "carried_out_time": "10:15"}
    response = client.post("/front-door/mystery-shopper/new/", {
        **when, "channel": "phone", "outcome": "right", "seconds_to_answer": "abc", "scenario": "Worried neighbour"})
    page = response.content.decode()
    assert "Seconds to answer must be a whole number" in page and "Worried neighbour" in page
    response = client.post("/front-door/mystery-shopper/new/", {
        **when, "channel": "phone", "outcome": "right", "scenario": "Worried neighbour"})
    assert "Enter how many seconds it took to answer" in response.content.decode()
    response = client.post("/front-door/mystery-shopper/new/", {
        **when, "channel": "phone", "outcome": "right", "seconds_to_answer": "42", "advice_quality": "3"})
    assert response.status_code == 302
    assert MysteryShopperCheck.objects.get().seconds_to_answer == 42
    page = client.get("/front-door/mystery-shopper/").content.decode()
    assert "<svg" in page and "Results by month" in page and "<style" not in page.split("<main")[1]


def test_mystery_shop_trend_query_count(la, team_manager):
    from hearth.front_door.services import mystery_shop_record
    client = client_for(team_manager)
    few = query_count(lambda: client.get("/front-door/mystery-shopper/"))
    for n in range(15):
        mystery_shop_record(local_authority=la, carried_out_at=timezone.now() - timedelta(days=20 * n),
                            channel="phone", outcome="right", seconds_to_answer=10 + n, advice_quality=3,
                            by=team_manager)
    assert query_count(lambda: client.get("/front-door/mystery-shopper/")) == few


def test_portal_shaped_child_details_are_shown_and_prefill_the_record(la, social_worker):
    contact = make_contact(la, channel="portal", child_details={
        "first_name": "Ellis", "last_name": "Marrow", "date_of_birth": "", "date_of_birth_unknown": True,
        "sex": "F", "address": "3 Oak Road, Sneinton, Nottingham, NG2 4AA", "address_line_1": "3 Oak Road",
        "address_line_2": "Sneinton", "town": "Nottingham", "postcode": "NG2 4AA",
        "parents_or_carers": [{"name": "Dana Marrow", "relationship": "Mother"}], "immediate_risk": False,
    })
    client = client_for(social_worker)
    page = client.get(f"/front-door/contacts/{contact.pk}/").content.decode()
    assert "Dana Marrow, Mother" in page and "Date of birth not known" in page and "Female" in page
    assert "immediate risk" not in page  # a "no" answer left out rather than shown as a worry
    page = client.get(f"/front-door/contacts/{contact.pk}/child/").content.decode()
    assert 'value="3 Oak Road"' in page and 'value="Sneinton"' in page and 'value="Nottingham"' in page
