"""The "what we already know" partial other forms include instead of asking again."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory

from hearth.people.forms import KnownFactsConfirmForm
from hearth.people.models import Person
from hearth.people.selectors import known_facts
from hearth.people.services import professional_add
from tests.factories import make_person
from tests.people.factories import home, make_family


def render(facts, user, form: forms.Form | None = None) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = {"facts": facts, "request": request}
    if form is not None:
        context["field"] = form["facts_confirmed"]
    return render_to_string("people/_known_facts.html", context)


def test_the_partial_shows_the_facts_with_change_links_and_asks_if_they_are_still_correct(la, social_worker):
    family = make_family(la)
    child = family["child"]
    professional_add(person=child, role="school", organisation="Greenwood Primary", organisation_code="122334",
                     by="test")
    professional_add(person=child, role="gp", organisation="Meadows Health Centre", by="test")
    html = render(known_facts(person=child, user=social_worker), social_worker, KnownFactsConfirmForm())
    for text in ("What we already know about Jordan Whitfield", "12 Acacia Road", "Greenwood Primary (URN 122334)",
                 "Meadows Health Centre", "Kerry Whitfield (parent)", "Darren Whitfield",
                 "Is this still correct?", "No, change it"):
        assert text in html, text
    assert f'href="/children/{child.pk}/addresses/move/"' in html


def test_the_partial_never_names_a_record_the_reader_may_not_see(la, social_worker):
    child = make_person(la)
    home(child)
    hidden = make_person(la, Person.AccessLevel.SEALED, first_name="Unseen", last_name="Lodger")
    home(hidden)
    html = render(known_facts(person=child, user=social_worker), social_worker)
    assert "Unseen" not in html and "Lodger" not in html and "Restricted record" in html


def test_a_form_using_the_confirmation_requires_an_answer():
    form = KnownFactsConfirmForm(data={})
    assert not form.is_valid()
    assert form.errors["facts_confirmed"] == ["Select yes if what we already know is still correct"]
    assert KnownFactsConfirmForm(data={"facts_confirmed": "no"}).is_valid()
