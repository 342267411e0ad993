from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from hearth.access.selectors import people_visible_to
from hearth.accounts.models import User
from hearth.allocations.models import Allocation
from hearth.people.models import Person


def test_small_council_loads_with_logins_caseloads_and_history(db):
    out = StringIO()
    call_command("seed_demo", size="small", seed=3, stdout=out)
    text = out.getvalue()
    assert "Demo logins" in text and "sw.demo" in text and "tm.demo" in text
    assert Person.objects.count() == 150
    sw = User.objects.get(username="sw.demo")
    assert sw.check_password("hearth-demo-2026")
    assert Allocation.objects.filter(worker=sw, ended_on__isnull=True).exists()
    # One open social-work allocation per child, and some children have had several workers.
    assert Allocation.objects.filter(ended_on__isnull=True).count() == 150
    assert Allocation.objects.filter(ended_on__isnull=False).exists()
    restricted = Person.objects.filter(access_level="restricted")
    sealed = Person.objects.get(pk=Person.objects.order_by("pk").values_list("pk", flat=True)[1])
    assert restricted.exists() and sealed.access_level == "sealed"
    visible = set(people_visible_to(user=sw).values_list("pk", flat=True))
    allowed = set(sw.allow_listed.values_list("person_id", flat=True))
    protected = set(Person.objects.exclude(access_level="open").values_list("pk", flat=True))
    assert visible & protected == allowed & protected
    assert len(visible) == 150 - len(protected - allowed)
    assert "agency" in set(User.objects.values_list("employment_type", flat=True))


def test_seeding_twice_is_refused_unless_asked_to_skip(db):
    call_command("seed_demo", size="small", seed=1, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", size="small", seed=1, stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", size="small", seed=1, if_empty=True, stdout=out)
    assert "already loaded" in out.getvalue()


def _council_with_seed(seed: int) -> list[tuple[str, str]]:
    with transaction.atomic():
        call_command("seed_demo", size="small", seed=seed, stdout=StringIO())
        names = list(Person.objects.order_by("pk").values_list("first_name", "last_name"))
        transaction.set_rollback(True)
    return names


def test_same_seed_gives_the_same_council_and_another_seed_another(db):
    first, again, other = _council_with_seed(7), _council_with_seed(7), _council_with_seed(8)
    assert first == again
    assert first != other
    assert len(set(first)) > 140
