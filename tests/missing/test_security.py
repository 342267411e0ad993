"""Restricted and sealed children on the Missing pages, the tray and the patterns: counted, never named."""

from __future__ import annotations

from datetime import timedelta

import pytest
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
    assert "Visible Friend</a> and 1 restricted record" in html
    assert html.count("A restricted record") == 2  # the repeat row and the high-risk row
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
    assert "1 more child is waiting on a restricted record" in html and "1 more on a restricted record" in html
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
