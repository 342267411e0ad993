"""Restricted and sealed children on the Missing pages, the tray and the patterns: counted, never named."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.missing import services
from hearth.people.models import Person
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.security_world import council_world, sweep

from .factories import interview_of, make_advocate, make_lead, went_missing


def _missing_urls(child: Person, episode_pk: int, screening_pk: int) -> list[str]:
    base = f"/children/{child.pk}/missing"
    return [f"{base}/", f"{base}/episodes/new/", f"{base}/episodes/{episode_pk}/",
            f"{base}/episodes/{episode_pk}/change/", f"{base}/episodes/{episode_pk}/return/",
            f"{base}/episodes/{episode_pk}/interview/offer/", f"{base}/episodes/{episode_pk}/interview/answer/",
            f"{base}/episodes/{episode_pk}/interview/held/", f"{base}/episodes/{episode_pk}/escalate/",
            f"{base}/screenings/new/", f"{base}/screenings/{screening_pk}/",
            f"{base}/screenings/{screening_pk}/escalate/", f"{base}/advocate/"]


def _history(child: Person, *, place: str = "Uncle's flat on Hidden Road") -> tuple[int, int]:
    """Three returns in a fortnight, one found at ``place``, and a high-risk screening."""
    now = timezone.now()
    episode = None
    for days in (14, 9, 4):
        episode = services.missing_episode_start(
            child=child, missing_type="M", started_at=now - timedelta(days=days),
            ended_at=now - timedelta(days=days) + timedelta(hours=5), how_returned="police", found_where=place,
            found_postcode="NG7 2RD", by="test")
    screening = services.exploitation_screening_record(child=child, screened_on=timezone.localdate(),
                                                       cse_risk="high", cce_risk="high", indicators=[], notes="",
                                                       by="test")
    assert episode is not None
    return episode.pk, screening.pk


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_a_protected_childs_missing_pages_are_refused(la, level):
    hidden = council_world(la, prefix="Hidden", level=level)
    episode_pk, screening_pk = _history(hidden.cin_child)
    urls = _missing_urls(hidden.cin_child, episode_pk, screening_pk)
    for user in (make_user(la, Role.SOCIAL_WORKER, hidden.team), make_advocate(la), make_lead(la),
                 make_user(la, Role.SERVICE_MANAGER)):
        assert sweep(client_for(user), urls, names=hidden.names) == []
    assert not AccessEvent.objects.filter(person=hidden.cin_child, action=AccessEvent.Action.VIEW).exists()


def test_another_councils_missing_pages_are_not_found_and_not_counted(la, other_la):
    theirs = council_world(other_la, prefix="Theirs")
    episode_pk, screening_pk = _history(theirs.cin_child)
    lead = make_lead(la)
    urls = _missing_urls(theirs.cin_child, episode_pk, screening_pk)
    assert sweep(client_for(lead), urls, names=theirs.names, allowed=(404, 405)) == []
    html = client_for(lead).get("/missing/patterns/").content.decode()
    assert "Theirs" not in html and "A restricted record" not in html and "NG7" not in html


@pytest.mark.parametrize("level", [Person.AccessLevel.RESTRICTED, Person.AccessLevel.SEALED])
def test_patterns_count_a_protected_child_as_a_restricted_record_and_never_name_them(la, level):
    hidden = council_world(la, prefix="Hidden", level=level)
    seen = make_person(la, first_name="Visible", last_name="Friend")
    _history(hidden.cin_child)
    # Someone allowed to open both recorded them missing together.
    now = timezone.now()
    services.missing_episode_start(child=seen, missing_type="M", started_at=now - timedelta(days=20),
                                   ended_at=now - timedelta(days=19), how_returned="police",
                                   linked_children=[hidden.cin_child], by="test")
    html = client_for(make_lead(la)).get("/missing/patterns/").content.decode()
    assert not [name for name in hidden.names if name in html]
    assert "Hidden Road" not in html  # a restricted record's free text is counted, not shown
    if level == Person.AccessLevel.RESTRICTED:
        assert "Visible Friend</a> and 1 restricted record" in html
        assert html.count("A restricted record") == 2  # the repeat row and the high-risk row
    else:  # a sealed child is not even counted, nor a link with them
        assert "restricted record" not in html
    assert "NG7" in html  # the district still counts


def test_the_linked_restricted_child_is_not_named_on_the_open_childs_record(la, social_worker):
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="HiddenPeer")
    seen = make_person(la)
    episode = went_missing(seen, timezone.now() - timedelta(days=3), linked_children=[hidden])
    html = client_for(social_worker).get(f"/children/{seen.pk}/missing/episodes/{episode.pk}/").content.decode()
    assert "HiddenPeer" not in html and "1 restricted record" in html
    # And on the restricted child's side, nothing of theirs is shown to someone who cannot open them.
    assert client_for(social_worker).get(f"/children/{hidden.pk}/missing/").status_code == 403


def test_the_tray_counts_restricted_children_without_naming_them(la):
    advocate = make_advocate(la)
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="HiddenTray")
    now = timezone.now()
    went_missing(hidden, now - timedelta(hours=30), now - timedelta(hours=10))
    other = make_person(la, Person.AccessLevel.SEALED, first_name="SealedTray")
    went_missing(other, now - timedelta(hours=3))
    html = client_for(advocate).get("/missing/").content.decode()
    assert "HiddenTray" not in html and "SealedTray" not in html
    # The restricted child is counted; the sealed one not even that (as on the work trays).
    assert "1 more child is waiting on a restricted record" in html and "more on a restricted record" not in html
    assert interview_of(hidden.missing_episodes.get()).completed_at is None


def test_editing_an_episode_never_shows_nor_drops_a_link_to_a_child_the_editor_cannot_open(la, social_worker):
    hidden = make_person(la, Person.AccessLevel.RESTRICTED, first_name="HiddenPeer")
    friend = make_person(la)
    seen = make_person(la)
    # Recorded by someone allowed to open both.
    episode = went_missing(seen, timezone.now() - timedelta(days=3), linked_children=[hidden, friend])
    client = client_for(social_worker)
    url = f"/children/{seen.pk}/missing/episodes/{episode.pk}/change/"
    html = client.get(url).content.decode()
    assert hidden.hearth_id not in html and friend.hearth_id in html
    local = timezone.localtime(episode.started_at)
    response = client.post(url, {
        "version": episode.version, "missing_type": "M", "started_at_0": local.day, "started_at_1": local.month,
        "started_at_2": local.year, "started_at_time": f"{local:%H:%M}", "reported_to_police": "no",
        "linked_children": "",
    })
    assert response.status_code == 302
    links = {link.linked_child_id: link.removed for link in episode.links.all()}
    assert links == {hidden.pk: False, friend.pk: True}


# ---------------------------------------------------------------- the security review (issue 5)


def _moment(name: str, when) -> dict[str, str]:
    local = timezone.localtime(when)
    return {f"{name}_0": str(local.day), f"{name}_1": str(local.month), f"{name}_2": str(local.year),
            f"{name}_time": f"{local:%H:%M}"}


def _episode_post(**extra: str) -> dict[str, str]:
    return {"missing_type": "M", **_moment("started_at", timezone.now() - timedelta(days=2)),
            "reported_to_police": "no", "circumstances": "Left after a row", **extra}


def _views(child: Person, user) -> int:
    return AccessEvent.objects.filter(person=child, user=user, action=AccessEvent.Action.VIEW).count()


def test_every_form_posted_and_saved_is_logged_as_a_use_of_the_record(la, social_worker):
    child = make_person(la)
    advocate = make_advocate(la)
    client = client_for(social_worker)
    base = f"/children/{child.pk}/missing"
    before = _views(child, social_worker)
    assert client.post(f"{base}/episodes/new/", _episode_post()).status_code == 302
    assert _views(child, social_worker) == before + 1
    episode = child.missing_episodes.get()
    assert client.post(f"{base}/episodes/{episode.pk}/return/", {
        "version": episode.version, **_moment("ended_at", episode.started_at + timedelta(hours=6)),
        "how_returned": "police"}).status_code == 302
    assert _views(child, social_worker) == before + 2
    interview = interview_of(episode)
    assert client.post(f"{base}/episodes/{episode.pk}/interview/offer/", {
        "version": interview.version, **_moment("offered_at", episode.started_at + timedelta(hours=8)),
        "offered_by": advocate.pk}).status_code == 302
    assert _views(child, social_worker) == before + 3
    assert client.post(f"{base}/advocate/", {"advocate": advocate.pk, "started_on_0": "1", "started_on_1": "5",
                                             "started_on_2": "2025"}).status_code == 302
    assert _views(child, social_worker) == before + 4
    # A page shown is logged once, not once for the record and again for the page.
    assert client.get(f"{base}/episodes/{episode.pk}/").status_code == 200
    assert _views(child, social_worker) == before + 5


def test_my_childs_pages_never_reach_another_councils_episode_or_screening(la, other_la, social_worker):
    mine = make_person(la, first_name="Mine")
    theirs = council_world(other_la, prefix="Theirs")
    episode_pk, screening_pk = _history(theirs.cin_child)
    base = f"/children/{mine.pk}/missing"
    crossed = [f"{base}/episodes/{episode_pk}/{tail}" for tail in (
        "", "change/", "return/", "interview/offer/", "interview/answer/", "interview/held/", "escalate/")]
    crossed += [f"{base}/screenings/{screening_pk}/", f"{base}/screenings/{screening_pk}/escalate/",
                f"{base}/screenings/new/?episode={episode_pk}"]
    leaks = sweep(client_for(social_worker), crossed, names=[*theirs.names, "Hidden Road"], allowed=(200, 404, 405))
    assert leaks == []
    # The new-screening page is this child's, and offers none of the other council's episodes.
    page = client_for(social_worker).get(crossed[-1]).content.decode()
    assert f'value="{episode_pk}"' not in page


def test_another_councils_or_a_sealed_child_cannot_be_linked_as_missing_with_them(la, other_la, social_worker):
    child = make_person(la)
    elsewhere = make_person(other_la, first_name="Elsewhere")
    sealed = make_person(la, Person.AccessLevel.SEALED, first_name="Sealed")
    restricted = make_person(la, Person.AccessLevel.RESTRICTED, first_name="Restricted")
    client = client_for(social_worker)
    for other in (elsewhere, sealed, restricted):
        response = client.post(f"/children/{child.pk}/missing/episodes/new/",
                               _episode_post(linked_children=other.hearth_id))
        html = response.content.decode()
        # The same words whether the record is elsewhere, sealed, restricted or does not exist.
        assert response.status_code == 200
        assert f"There is no child you can open with Hearth ID {other.hearth_id}" in html
        assert other.first_name not in html
    assert not child.missing_episodes.exists()
    # Nor by calling the service directly.
    with pytest.raises(ValidationError):
        services.missing_episode_start(child=child, missing_type="M", started_at=timezone.now() - timedelta(days=1),
                                       linked_children=[elsewhere], by=social_worker)


def test_another_councils_advocate_cannot_be_chosen_by_tampering_with_the_form(la, other_la, social_worker):
    child = make_person(la)
    theirs = make_advocate(other_la, first_name="Their", last_name="Advocate")
    client = client_for(social_worker)
    response = client.post(f"/children/{child.pk}/missing/advocate/", {
        "advocate": theirs.pk, "started_on_0": "1", "started_on_1": "5", "started_on_2": "2025"})
    assert response.status_code == 200 and "Choose an advocate from the list" in response.content.decode()
    assert "Their Advocate" not in response.content.decode()
    episode = went_missing(child, timezone.now() - timedelta(hours=30), timezone.now() - timedelta(hours=20))
    interview = services.return_interview_offer(interview=interview_of(episode),
                                                offered_at=timezone.now() - timedelta(hours=19),
                                                offered_by=make_advocate(la), by="test")
    response = client.post(f"/children/{child.pk}/missing/episodes/{episode.pk}/interview/held/", {
        "version": interview.version, **_moment("completed_at", timezone.now() - timedelta(hours=2)),
        "completed_by": theirs.pk, "child_account": "Said where they went"})
    assert response.status_code == 200 and "Choose the advocate from the list" in response.content.decode()
    interview.refresh_from_db()
    assert interview.completed_at is None


def test_only_an_advocate_is_recorded_as_holding_a_return_interview(la, social_worker):
    child = make_person(la)
    advocate = make_advocate(la)
    episode = went_missing(child, timezone.now() - timedelta(hours=30), timezone.now() - timedelta(hours=20))
    interview = services.return_interview_offer(interview=interview_of(episode),
                                                offered_at=timezone.now() - timedelta(hours=19),
                                                offered_by=advocate, by="test")
    url = f"/children/{child.pk}/missing/episodes/{episode.pk}/interview/held/"
    held = {"version": interview.version, **_moment("completed_at", timezone.now() - timedelta(hours=2)),
            "child_account": "Said where they went"}
    # A social worker may type it up, but the holder must be an advocate.
    refused = client_for(social_worker).post(url, {**held, "completed_by": social_worker.pk})
    assert refused.status_code == 200 and "Choose the advocate from the list" in refused.content.decode()
    assert client_for(advocate).post(url, {**held, "completed_by": advocate.pk}).status_code == 302
    interview.refresh_from_db()
    assert interview.completed_by == advocate


@pytest.mark.parametrize("role", [Role.PARTNER_REFERRER, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMIN])
def test_people_without_case_access_reach_no_missing_page(la, role):
    world = council_world(la, prefix="Out")
    episode_pk, screening_pk = _history(world.cin_child)
    client = client_for(make_user(la, role))
    urls = [*_missing_urls(world.cin_child, episode_pk, screening_pk), "/missing/", "/missing/patterns/"]
    assert sweep(client, urls, names=world.names) == []
    assert client.get("/missing/").status_code == 403
    assert "You cannot do this" in client.get("/missing/patterns/").content.decode()


def test_the_tray_and_patterns_are_refused_with_a_clear_page_to_other_case_roles(la):
    for role in (Role.SOCIAL_WORKER, Role.EDUCATION_OFFICER, Role.FOSTERING_WORKER, Role.PERSONAL_ADVISER):
        client = client_for(make_user(la, role))
        for url in ("/missing/", "/missing/patterns/"):
            response = client.get(url)
            assert response.status_code == 403 and "You cannot do this" in response.content.decode(), (role, url)
    # The advocate has the tray but not the exploitation lead's patterns.
    advocate = client_for(make_advocate(la))
    assert advocate.get("/missing/").status_code == 200 and advocate.get("/missing/patterns/").status_code == 403


def test_a_sealed_child_linked_to_an_open_one_is_left_out_of_the_patterns_groups(la):
    sealed = make_person(la, Person.AccessLevel.SEALED, first_name="SealedPeer")
    restricted = make_person(la, Person.AccessLevel.RESTRICTED, first_name="RestrictedPeer")
    seen = make_person(la, first_name="Visible", last_name="Friend")
    now = timezone.now()
    went_missing(seen, now - timedelta(days=10), now - timedelta(days=9), linked_children=[sealed])
    went_missing(seen, now - timedelta(days=5), now - timedelta(days=4), linked_children=[restricted])
    html = client_for(make_lead(la)).get("/missing/patterns/").content.decode()
    assert "SealedPeer" not in html and "RestrictedPeer" not in html
    # The group with the restricted child is shown and counts them; the link to the sealed child is not there.
    assert "Visible Friend</a> and 1 restricted record: 1 episode together" in html
