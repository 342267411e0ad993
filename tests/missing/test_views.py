"""The Missing tab, its forms, the advocate's tray and the patterns page, through the web client."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.cin.services import cin_episode_open
from hearth.clocks.working_days import LONDON
from hearth.missing import services
from hearth.missing.models import ExploitationScreening, MissingEpisode
from hearth.people.models import Person
from hearth.protection.models import StrategyDiscussion
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.queries import query_count

from .factories import at, hold, interview_of, went_missing


def _moment(name: str, when: datetime) -> dict[str, str]:
    local = when.astimezone(LONDON)
    return {f"{name}_0": str(local.day), f"{name}_1": str(local.month), f"{name}_2": str(local.year),
            f"{name}_time": f"{local:%H:%M}"}


def _episode_post(**extra: Any) -> dict[str, str]:
    data = {"missing_type": "M", **_moment("started_at", at(2025, 5, 1, 21, 30)), "reported_to_police": "yes",
            "police_reference": "NP-2025-0501-77", "police_risk": "medium", "circumstances": "Left after a row"}
    data.update(extra)
    return data


def views_logged(child: Person) -> int:
    return AccessEvent.objects.filter(person=child, action=AccessEvent.Action.VIEW).count()


def test_the_missing_tab_is_logged_and_is_the_current_tab(child, social_worker):
    response = client_for(social_worker).get(f"/children/{child.pk}/missing/")
    html = response.content.decode()
    assert response.status_code == 200 and "Missing and exploitation" in html
    assert 'aria-current="page">Missing</a>' in html
    assert views_logged(child) == 1


def test_recording_a_missing_episode_then_the_return(child, social_worker):
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/missing/episodes/new/", _episode_post())
    episode = MissingEpisode.objects.get(child=child)
    assert response.status_code == 302 and response["Location"].endswith(f"/episodes/{episode.pk}/")
    assert episode.police_reference == "NP-2025-0501-77" and episode.started_at == at(2025, 5, 1, 21, 30)
    overview = client.get(f"/children/{child.pk}/missing/").content.decode()
    assert "Missing now" in overview and "Record the return" in overview
    response = client.post(f"/children/{child.pk}/missing/episodes/{episode.pk}/return/", {
        "version": episode.version, **_moment("ended_at", at(2025, 5, 2, 14, 5)), "how_returned": "police",
        "found_where": "Victoria bus station", "found_postcode": "ng1 3qn", "locations": "Hockley NG1 1AA",
    }, follow=True)
    assert "due by 14:05 on Monday 5 May" in response.content.decode()
    episode.refresh_from_db()
    assert episode.found_district == "NG1" and episode.locations[0]["place"] == "Hockley"


def test_bad_input_is_shown_beside_the_field_and_nothing_typed_is_lost(child, social_worker):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(social_worker).post(f"/children/{child.pk}/missing/episodes/new/", _episode_post(**{
        "started_at_0": str(tomorrow.day), "started_at_1": str(tomorrow.month), "started_at_2": str(tomorrow.year),
        "started_at_time": "25:99", "reported_to_police": "no",
    }))
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "must be today or in the past" in html
    assert "Enter the time the child went missing as hours and minutes" in html
    assert "Say that the police were told" in html
    assert 'value="NP-2025-0501-77"' in html and "Left after a row" in html and 'value="25:99"' in html
    assert not MissingEpisode.objects.exists()


def test_a_service_refusal_keeps_the_typing(child, social_worker):
    # Away is only for a child in care: the service refuses, the page keeps everything.
    response = client_for(social_worker).post(f"/children/{child.pk}/missing/episodes/new/",
                                              _episode_post(missing_type="A"))
    html = response.content.decode()
    assert "only for a child in care" in html and 'value="NP-2025-0501-77"' in html


def test_an_episode_recorded_after_the_return_in_one_go(child, social_worker):
    response = client_for(social_worker).post(f"/children/{child.pk}/missing/episodes/new/", _episode_post(
        **_moment("ended_at", at(2025, 5, 2, 9)), how_returned="own_accord"), follow=True)
    assert "Offer a return home interview" in response.content.decode()
    assert not MissingEpisode.objects.get(child=child).is_open


def test_a_return_without_how_they_came_back_is_refused_on_the_new_form(child, social_worker):
    response = client_for(social_worker).post(f"/children/{child.pk}/missing/episodes/new/", _episode_post(
        **_moment("ended_at", at(2025, 5, 2, 9))))
    assert "Choose how the child was found or came back" in response.content.decode()


def test_a_stale_edit_is_refused_with_the_typing_kept(child, social_worker, team_manager):
    episode = went_missing(child, at(2025, 5, 1, 20), at(2025, 5, 2, 8))
    stale = episode.version
    services.missing_episode_update(
        episode=episode, by=team_manager, missing_type="M", started_at=episode.started_at, reported_at=None,
        reported_to_police=True, police_reference="SOMEONE-ELSE", police_risk="", missing_from="",
        circumstances="", linked_children=[], others_with_them="", ended_at=episode.ended_at,
        how_returned="own_accord")
    response = client_for(social_worker).post(f"/children/{child.pk}/missing/episodes/{episode.pk}/change/", {
        "version": stale, **_episode_post(police_reference="MINE-123"), **_moment("ended_at", at(2025, 5, 2, 8)),
        "how_returned": "police",
    })
    html = response.content.decode()
    assert response.status_code == 200 and "Someone else saved changes" in html and 'value="MINE-123"' in html
    episode.refresh_from_db()
    assert episode.police_reference == "SOMEONE-ELSE"


def test_linking_children_by_hearth_id_only_finds_children_the_user_can_open(la, child, social_worker):
    friend = make_person(la, first_name="Robin", last_name="Friend")
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Hidden", last_name="Friend")
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/missing/episodes/new/",
                           _episode_post(linked_children=f"{friend.hearth_id}, {hidden.hearth_id}"))
    html = response.content.decode()
    assert f"There is no child you can open with Hearth ID {hidden.hearth_id}" in html and "Hidden" not in html
    client.post(f"/children/{child.pk}/missing/episodes/new/", _episode_post(linked_children=friend.hearth_id))
    episode = MissingEpisode.objects.get(child=child)
    page = client.get(f"/children/{child.pk}/missing/episodes/{episode.pk}/").content.decode()
    assert "Robin Friend" in page
    # On the friend's own tab: recorded as missing with another child.
    assert "Recorded as missing with other children" in client.get(f"/children/{friend.pk}/missing/").content.decode()


def test_the_interview_offered_answered_and_held_through_the_pages(child, advocate):
    episode = went_missing(child, at(2025, 6, 2, 8), at(2025, 6, 2, 20))
    interview = interview_of(episode)
    client = client_for(advocate)
    base = f"/children/{child.pk}/missing/episodes/{episode.pk}/interview"
    assert client.post(f"{base}/offer/", {"version": interview.version, **_moment("offered_at", at(2025, 6, 3, 9)),
                                          "offered_by": advocate.pk}).status_code == 302
    interview.refresh_from_db()
    assert client.post(f"{base}/answer/", {"version": interview.version, "response": "accepted",
                                           **_moment("responded_at", at(2025, 6, 3, 9, 5))}).status_code == 302
    interview.refresh_from_db()
    # Held late without a reason: refused beside the field, the account kept.
    late = {"version": interview.version, **_moment("completed_at", at(2025, 6, 6, 9)), "completed_by": advocate.pk,
            "push_factors": ["placement_unhappy"], "pull_factors": ["peers", "older_adults"],
            "child_account": "Stayed with older friends in Hockley"}
    html = client.post(f"{base}/held/", late).content.decode()
    assert "Explain why the interview was not held within 72 hours" in html
    assert "Stayed with older friends in Hockley" in html and 'value="older_adults" checked' in html
    on_time = {**late, **_moment("completed_at", at(2025, 6, 4, 16))}
    assert client.post(f"{base}/held/", on_time).status_code == 302
    page = client.get(f"/children/{child.pk}/missing/episodes/{episode.pk}/").content.decode()
    assert "Held within 72 hours" in page and "Friends or peers; Older adults" in page


def test_escalating_without_an_open_referral_explains_and_creates_nothing(child, social_worker):
    screening = services.exploitation_screening_record(child=child, screened_on=date(2025, 5, 1), cse_risk="high",
                                                       cce_risk="low", indicators=[], notes="", by=social_worker)
    client = client_for(social_worker)
    html = client.get(f"/children/{child.pk}/missing/screenings/{screening.pk}/escalate/").content.decode()
    assert "not open to children" in html and "Nothing has been created" in html
    assert f"/front-door/contacts/new/?child={child.pk}" in html
    client.post(f"/children/{child.pk}/missing/screenings/{screening.pk}/escalate/",
                {"held_on_0": "2", "held_on_1": "5", "held_on_2": "2025", "agencies_present": ["police"],
                 "reason": "x", "decision": "nfa"})
    assert not StrategyDiscussion.objects.exists()


def test_escalating_a_screening_prefills_the_reason_and_links_the_discussion(child, social_worker):
    cin_episode_open(child=child, referral_date=date(2025, 4, 1), referral_source="2A", by="test")
    screening = services.exploitation_screening_record(
        child=child, screened_on=date(2025, 5, 1), cse_risk="high", cce_risk="low",
        indicators=["older_partner"], notes="Picked up by older men", by=social_worker)
    client = client_for(social_worker)
    url = f"/children/{child.pk}/missing/screenings/{screening.pk}/escalate/"
    assert "Picked up by older men" in client.get(url).content.decode()
    response = client.post(url, {"held_on_0": "2", "held_on_1": "5", "held_on_2": "2025",
                                 "agencies_present": ["social_care", "police", "health"],
                                 "reason": "CSE: picked up by older men", "decision": "s47"})
    discussion = StrategyDiscussion.objects.get(child=child)
    assert response.status_code == 302 and "/protection/s47/" in response["Location"]
    assert ExploitationScreening.objects.get(pk=screening.pk).strategy_discussion == discussion


def test_a_screening_with_bad_input_keeps_the_ticks(child, social_worker):
    response = client_for(social_worker).post(f"/children/{child.pk}/missing/screenings/new/", {
        "screened_on_0": "31", "screened_on_1": "2", "screened_on_2": "2025", "cse_risk": "high",
        "indicators": ["phones", "vehicles"], "notes": "Two phones"})
    html = response.content.decode()
    assert "must be a real date" in html and "Choose the risk of child criminal exploitation" in html
    assert 'value="phones" checked' in html and "Two phones" in html


def test_a_restricted_childs_missing_pages_are_refused_and_the_refusal_logged(la, social_worker):
    hidden = make_person(la, Person.AccessLevel.RESTRICTED)
    for tail in ("", "episodes/new/", "screenings/new/"):
        response = client_for(social_worker).get(f"/children/{hidden.pk}/missing/{tail}")
        assert response.status_code == 403 and hidden.full_name.encode() not in response.content
    assert AccessEvent.objects.filter(person=hidden, action=AccessEvent.Action.REFUSED).count() == 3
    assert views_logged(hidden) == 0


def test_another_childs_episode_is_not_found_through_this_childs_pages(la, child, social_worker):
    other = make_person(la)
    episode = went_missing(other, at(2025, 5, 1, 20), at(2025, 5, 2, 8))
    client = client_for(social_worker)
    for tail in ("", "change/", "return/", "interview/offer/", "interview/held/", "escalate/"):
        assert client.get(f"/children/{child.pk}/missing/episodes/{episode.pk}/{tail}").status_code == 404


# ---------------------------------------------------------------- the tray


def test_the_tray_is_for_advocates_the_exploitation_lead_and_managers(la, social_worker, team_manager, advocate, lead):
    for user, status in ((social_worker, 403), (advocate, 200), (lead, 200), (team_manager, 200)):
        assert client_for(user).get("/missing/").status_code == status


def test_the_tray_shows_hours_left_overdue_first_and_the_advocates_own(la, advocate):
    now = timezone.now()
    mine = make_person(la, first_name="Mine", last_name="Child")
    services.missing_advocate_allocate(child=mine, advocate=advocate, started_on=timezone.localdate(), by="test")
    went_missing(mine, now - timedelta(hours=30), now - timedelta(hours=10, minutes=30))  # 61 hours left
    late = make_person(la, first_name="Late", last_name="Child")
    went_missing(late, now - timedelta(days=5), now - timedelta(hours=80))  # overdue by 8 hours
    done = make_person(la, first_name="Done", last_name="Child")
    episode = went_missing(done, now - timedelta(hours=30), now - timedelta(hours=20))
    hold(interview_of(episode), now - timedelta(hours=1), advocate)
    still = make_person(la, first_name="Still", last_name="Missing")
    went_missing(still, now - timedelta(hours=3), police_reference="NP-77", reported_to_police=True)
    html = client_for(advocate).get("/missing/").content.decode()
    assert html.index("Late Child") < html.index("Mine Child") and "Done Child" not in html
    assert "Overdue by 8 hours" in html and "61 hours left" in html
    assert "Still Missing" in html and "NP-77" in html
    mine_only = client_for(advocate).get("/missing/?mine=1").content.decode()
    assert "Mine Child" in mine_only and "Late Child" not in mine_only


def _returned_children(la: Any, n: int, advocate: Any) -> None:
    now = timezone.now()
    for i in range(n):
        child = make_person(la)
        if i % 2:
            services.missing_advocate_allocate(child=child, advocate=advocate, started_on=timezone.localdate(),
                                               by="test")
        episode = went_missing(child, now - timedelta(hours=40), now - timedelta(hours=20 + i), reported_to_police=True,
                               police_reference=f"NP-{i}")
        if i % 3 == 0:
            services.return_interview_offer(interview=interview_of(episode), offered_at=now - timedelta(hours=5),
                                            offered_by=advocate, by="test")
        went_missing(make_person(la), now - timedelta(hours=2 + i))
        went_missing(make_person(la, Person.AccessLevel.RESTRICTED), now - timedelta(hours=2 + i))


def test_the_tray_reads_in_a_fixed_number_of_queries(la, advocate):
    client = client_for(advocate)
    _returned_children(la, 1, advocate)
    few = query_count(lambda: client.get("/missing/"))
    _returned_children(la, 6, advocate)
    assert query_count(lambda: client.get("/missing/")) == few


# ---------------------------------------------------------------- patterns


def test_patterns_are_for_the_exploitation_lead_and_managers(la, social_worker, advocate, lead, team_manager):
    service_manager = make_user(la, Role.SERVICE_MANAGER)
    for user, status in ((social_worker, 403), (advocate, 403), (lead, 200), (team_manager, 200),
                         (service_manager, 200)):
        assert client_for(user).get("/missing/patterns/").status_code == status


def _pattern_world(la: Any, n: int, advocate: Any) -> None:
    now = timezone.now()
    for i in range(n):
        a, b = make_person(la), make_person(la, Person.AccessLevel.RESTRICTED if i % 2 else Person.AccessLevel.OPEN)
        for k in range(3):
            start = now - timedelta(days=10 * k + 2, hours=i)
            episode = services.missing_episode_start(
                child=a, missing_type="M", started_at=start, ended_at=start + timedelta(hours=6),
                how_returned="police", found_where="Victoria bus station", found_postcode="NG1 3QN",
                locations=services.parse_places(f"Place {i} NG7 2RD"), linked_children=[b], by="test")
        hold(interview_of(episode), start + timedelta(hours=8), advocate)
        services.exploitation_screening_record(child=b, screened_on=timezone.localdate(), cse_risk="high",
                                               cce_risk="low", indicators=[], notes="", by="test")


def test_the_patterns_page_reads_in_a_fixed_number_of_queries(la, lead, advocate):
    client = client_for(lead)
    _pattern_world(la, 1, advocate)
    few = query_count(lambda: client.get("/missing/patterns/"))
    _pattern_world(la, 5, advocate)
    assert query_count(lambda: client.get("/missing/patterns/")) == few


def test_patterns_show_repeats_groups_places_and_interview_rates(la, lead, advocate):
    _pattern_world(la, 2, advocate)
    html = client_for(lead).get("/missing/patterns/").content.decode()
    assert "Victoria bus station" in html and "NG1" in html and "NG7" in html
    assert "Held within 72 hours" in html
    assert "A restricted record" in html and "1 restricted record" in html


def test_a_bad_period_keeps_what_was_typed(lead):
    response = client_for(lead).get("/missing/patterns/", {"start_0": "1", "start_1": "13", "start_2": "2025",
                                                           "end_0": "1", "end_1": "1", "end_2": "2025"})
    html = response.content.decode()
    assert "From must be a real date" in html and 'value="13"' in html
    assert "Correct the period to see the figures" in html
