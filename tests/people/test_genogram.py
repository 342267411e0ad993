"""The genogram's geometry follows the conventions, and a hidden relative carries nothing about them."""

from __future__ import annotations

from datetime import date, timedelta

from hearth.people.genogram import layout
from hearth.people.models import Person, Relationship
from hearth.people.selectors import family_of
from tests.factories import make_person
from tests.people.factories import make_family, relate

TODAY = date(2026, 1, 15)


def test_shapes_rows_and_lines(la, social_worker):
    family = make_family(la)
    child, mum, dad = family["child"], family["mum"], family["dad"]
    sister = make_person(la, first_name="Maisie", sex="F", date_of_birth=date(2019, 5, 9))
    relate(child, Relationship.Kind.SIBLING, sister)
    relate(mum, Relationship.Kind.PARENT, sister)
    relate(dad, Relationship.Kind.PARENT, sister)
    grandad = make_person(la, first_name="Albert", sex="M", date_of_birth=date(1950, 1, 1),
                          date_of_death=date(2020, 2, 2))
    relate(grandad, Relationship.Kind.CARER, child, ended_on=date(2020, 2, 2))
    baby = make_person(la, first_name="Baby", sex="U", date_of_birth=None, expected_date_of_birth=TODAY)
    relate(child, Relationship.Kind.PARENT, baby)
    drawing = layout(family_of(person=child, user=social_worker), today=TODAY, href_for={dad.pk: "/d/"})
    nodes = {n.person_id: n for n in drawing.nodes}
    assert (nodes[dad.pk].shape, nodes[mum.pk].shape, nodes[baby.pk].shape) == ("square", "circle", "triangle")
    assert nodes[child.pk].focus and nodes[grandad.pk].deceased
    assert nodes[dad.pk].y == nodes[mum.pk].y == nodes[grandad.pk].y < nodes[child.pk].y < nodes[baby.pk].y
    assert nodes[child.pk].x < nodes[sister.pk].x  # the older sibling on the left
    assert nodes[dad.pk].href == "/d/" and nodes[mum.pk].href == ""
    assert nodes[grandad.pk].lines == [grandad.full_name, "Carer", "Died 2020, aged 70"]
    assert nodes[baby.pk].lines[1:] == ["Child", "Unborn, due 15 January 2026"]
    # The full sister shares both drawn parents, so no direct sibling line; the ended carer is dashed.
    assert not any(line.double for line in drawing.lines)
    assert any(line.dash == "9 6" for line in drawing.lines)
    assert drawing.description.startswith(
        "Jordan Whitfield, age 10, with 3 parents or carers above, 1 sibling beside them, 1 child below.")


def test_a_hidden_relative_is_a_grey_diamond_with_no_name_age_or_link(la, social_worker):
    child = make_person(la)
    secret = make_person(la, Person.AccessLevel.SEALED, first_name="Never", last_name="Shown", sex="M",
                         date_of_birth=TODAY - timedelta(days=4000))
    relate(child, Relationship.Kind.HALF_SIBLING, secret)
    drawing = layout(family_of(person=child, user=social_worker), today=TODAY, href_for={secret.pk: "/leak/"})
    node = next(n for n in drawing.nodes if n.person_id == secret.pk)
    assert node.restricted and node.shape == "diamond" and node.href == ""
    assert node.lines == ["Restricted record", "Half-sibling"]
    assert "Never" not in drawing.description and "1 restricted record" in drawing.description
    assert any(line.double for line in drawing.lines)
