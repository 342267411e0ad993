"""The pieces every area shares: the one-question form page, the date words and refusals, postcode districts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from hearth.people.validators import normalise_postcode, postcode_area, postcode_district
from hearth.workspace.dates import long_date
from hearth.workspace.forms import GovUKDateField
from hearth.workspace.pages import Done, build_form, form_page
from hearth.workspace.refusals import before_birth_error, future_error, refuse
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db


class DayForm(forms.Form):
    day = GovUKDateField(label="date of the visit")


def _request(user, method: str = "post", path: str = "/form/", data: dict | None = None):
    request = getattr(RequestFactory(), method)(path, data or {})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _typed(day: date) -> dict[str, str]:
    return {"day_0": str(day.day), "day_1": str(day.month), "day_2": str(day.year)}


def _page(request, person, save):
    return form_page(request, person, form=build_form(DayForm, request), title="Record a visit", save=save,
                     back=f"/children/{person.pk}/")


def test_a_saved_page_says_so_and_goes_back(la):
    person, user = make_person(la), make_user(la)
    request = _request(user, data=_typed(date(2025, 3, 1)))
    response = _page(request, person, lambda data: f"Visit on {long_date(data['day'])} recorded")
    assert response.status_code == 302 and response["Location"] == f"/children/{person.pk}/"
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("success", "Visit on 1 March 2025 recorded")]


def test_done_sends_the_page_on_and_can_warn(la):
    person, user = make_person(la), make_user(la)
    request = _request(user, data=_typed(date(2025, 3, 1)))
    response = _page(request, person, lambda data: Done("Saved, but not seen", next="/elsewhere/", warning=True))
    assert response["Location"] == "/elsewhere/"
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("warning", "Saved, but not seen")]


def test_a_safe_next_wins_over_back_and_an_outside_one_is_ignored(la):
    person, user = make_person(la), make_user(la)
    inside = _request(user, path="/form/?next=/trays/mine/", data=_typed(date(2025, 3, 1)))
    assert _page(inside, person, lambda data: "ok")["Location"] == "/trays/mine/"
    outside = _request(user, path="/form/?next=https://evil.example/", data=_typed(date(2025, 3, 1)))
    assert _page(outside, person, lambda data: "ok")["Location"] == f"/children/{person.pk}/"


def test_a_refusal_is_shown_beside_its_field_with_the_typing_kept(la):
    person, user = make_person(la), make_user(la)
    request = _request(user, data=_typed(date(2025, 3, 1)))

    def save(data):
        raise ValidationError({"day": "The visit cannot be before the child came into care"})

    response = _page(request, person, save)
    page = response.content.decode()
    assert response.status_code == 200 and list(get_messages(request)) == []
    assert "The visit cannot be before the child came into care" in page and 'value="2025"' in page


def test_long_date_is_the_gov_uk_date():
    assert long_date(date(2026, 3, 3)) == "3 March 2026"


def test_future_error_is_the_date_fields_own_words():
    today = timezone.localdate()
    assert future_error(today, "The date") == "" and future_error(None, "The date") == ""
    assert future_error(today + timedelta(days=1), "The date") == "The date must be today or in the past"


def test_before_birth_error_names_the_child_and_their_birthday(la):
    child = make_person(la, first_name="Sam", last_name="Lee", date_of_birth=date(2015, 3, 27))
    assert before_birth_error(date(2015, 3, 27), child, "The date") == ""
    assert (before_birth_error(date(2015, 3, 26), child, "The date")
            == "The date cannot be before Sam Lee was born (27 March 2015)")
    assert before_birth_error(date(1990, 1, 1), make_person(la, date_of_birth=None), "The date") == ""


def test_refuse_raises_every_problem_and_no_empty_one():
    refuse({"a": "", "b": []})
    with pytest.raises(ValidationError) as refused:
        refuse({"a": "First", "b": "", "c": "Third"})
    assert refused.value.message_dict == {"a": ["First"], "c": ["Third"]}


@given(outward=st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?", fullmatch=True),
       inward=st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True))
def test_a_postcode_is_its_district_then_its_inward_code(outward, inward):
    typed = f" {outward.lower()}{inward} "
    assert postcode_district(typed) == outward
    assert normalise_postcode(typed) == f"{outward} {inward}"
    assert postcode_area(typed) == (outward[:2] if outward[1].isalpha() else outward[:1])
    assert postcode_district("") == "" and postcode_area("") == ""


def test_a_leap_day_child_is_a_year_older_on_1_march_in_a_common_year():
    from datetime import date

    from hearth.workspace.dates import age_on

    born = date(2012, 2, 29)
    assert age_on(born, date(2027, 2, 28)) == 14
    assert age_on(born, date(2027, 3, 1)) == 15
    assert age_on(born, date(2028, 2, 29)) == 16
