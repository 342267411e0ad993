from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import date
from io import StringIO

import jellyfish
import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hearth.access.selectors import people_visible_to
from hearth.accounts.models import Team, User
from hearth.allocations.models import Allocation
from hearth.chronology.models import CaseNote, ChronologyEvent, EventType
from hearth.demo.care_text import OUT_OF_AREA
from hearth.demo.council import CHILDREN_KNOWN, DEMO_TOTP_KEY_HEX, build_council
from hearth.demo.models import PlantedDuplicate, PlantedError
from hearth.demo.names import NICKNAMES
from hearth.people.codes import Ethnicity
from hearth.people.models import Address, Person, PersonName, ProfessionalInvolvement, Relationship
from hearth.people.validators import is_valid_nhs_number, is_valid_upn, normalise_postcode, validate_postcode

KNOWN = Q(allocations__isnull=False)


def _seed(**options: object) -> str:
    out = StringIO()
    call_command("seed_demo", size="small", stdout=out, **options)
    return out.getvalue()


def _postcode_ok(value: str) -> bool:
    try:
        validate_postcode(value)
    except Exception:
        return False
    return normalise_postcode(value) == value


def _school_age(person: Person, today: date) -> bool:
    """Started reception (the September after turning four) and not yet 18."""
    if person.date_of_birth is None:
        return False
    dob = person.date_of_birth
    started = date(dob.year + (4 if dob.month < 9 else 5), 9, 1)
    return started <= today and relativedelta(today, dob).years < 18


def _open_cases() -> int:
    """Open social-work allocations, and care leavers' allocations to a personal adviser from their 18th birthday
    (the others, and IROs and missing advocates, are added with children in care: hearth.demo.care)."""
    advisers = Allocation.objects.filter(ended_on__isnull=True, kind="personal_adviser").select_related("child")
    leavers = sum(1 for a in advisers if a.child.date_of_birth is not None
                  and a.started_on == a.child.date_of_birth + relativedelta(years=18))
    return Allocation.objects.filter(ended_on__isnull=True, kind="social_worker").count() + leavers


def _planted_children() -> set[int]:
    return set(PlantedDuplicate.objects.values_list("duplicate_id", flat=True))


def test_small_council_loads_with_logins_caseloads_and_history(db):
    started = time.perf_counter()
    text = _seed(seed=3)
    assert time.perf_counter() - started < 60
    assert "Demo logins" in text and "sw.demo" in text and "tm.demo" in text
    sw = User.objects.get(username="sw.demo")
    assert sw.check_password("hearth-demo-2026")
    assert Allocation.objects.filter(worker=sw, ended_on__isnull=True).count() >= 3
    # 150 open cases, one open social-work allocation each (a care leaver's is to a personal adviser from their
    # 18th birthday); some children have had several workers.
    assert _open_cases() == 150
    assert Allocation.objects.filter(ended_on__isnull=False).exists()
    in_care = Allocation.objects.filter(ended_on__isnull=True, team__kind=Team.Kind.CHILDREN_IN_CARE).count()
    assert in_care == 30
    restricted = Person.objects.filter(access_level="restricted")
    first, second = Person.objects.order_by("pk")[:2]
    assert first.access_level == "restricted" and second.access_level == "sealed"
    assert restricted.exists()
    visible = set(people_visible_to(user=sw).values_list("pk", flat=True))
    allowed = set(sw.allow_listed.values_list("person_id", flat=True))
    protected = set(Person.objects.exclude(access_level="open").values_list("pk", flat=True))
    assert visible & protected == allowed & protected
    assert len(visible) == Person.objects.count() - len(protected - allowed)
    assert "agency" in set(User.objects.values_list("employment_type", flat=True))
    # Children known over five years, with their families: about 300 children and 600-800 people.
    known = Person.objects.filter(KNOWN).distinct().count() - len(_planted_children())
    assert CHILDREN_KNOWN["small"] <= known <= CHILDREN_KNOWN["small"] + 10
    assert 500 <= Person.objects.count() <= 900
    # Every known child's allocations are in their chronology, and open cases have case notes.
    assert ChronologyEvent.objects.filter(event_type=EventType.ALLOCATION).count() >= Allocation.objects.count()
    assert CaseNote.objects.count() >= 150
    note = CaseNote.objects.order_by("pk").first()
    assert note is not None and ChronologyEvent.objects.filter(
        event_type=EventType.CASE_NOTE, source_id=str(note.pk), person=note.person, title=note.title).exists()


def test_demo_logins_keep_their_roles_teams_and_second_factor(db):
    _seed(seed=1)
    users = {u.username: u for u in User.objects.filter(username__endswith=".demo").select_related("team")}
    expected = {"sw.demo": "social_worker", "sp.demo": "senior_practitioner", "tm.demo": "team_manager",
                "hos.demo": "service_manager", "dcs.demo": "director", "iro.demo": "iro",
                "pa.demo": "personal_adviser", "mfh.demo": "missing_advocate", "bs.demo": "business_support",
                "analyst.demo": "performance_analyst", "admin.demo": "system_admin", "dsl.demo": "partner_referrer"}
    assert {name: users[name].role for name in expected} == expected
    sw = users["sw.demo"]
    assert sw.team is not None and sw.team.name == "Safeguarding North"
    assert users["tm.demo"].team == sw.team and users["sp.demo"].team == sw.team
    assert users["admin.demo"].team is None and users["dsl.demo"].employment_type == "external"
    totp = User.objects.get(username="sw.totp")
    assert totp.team == sw.team
    assert TOTPDevice.objects.get(user=totp).key == DEMO_TOTP_KEY_HEX
    # The demo team's manager is tm.demo, and sw.demo holds a caseload of open cases.
    assert not User.objects.filter(team=sw.team, role="team_manager").exclude(username="tm.demo").exists()
    assert Allocation.objects.filter(worker=sw, ended_on=None).count() >= 5


def test_seeding_twice_is_refused_unless_asked_to_skip(db):
    _seed(seed=1)
    with pytest.raises(CommandError):
        _seed(seed=1)
    out = StringIO()
    call_command("seed_demo", size="small", seed=1, if_empty=True, stdout=out)
    assert "already loaded" in out.getvalue()


def test_error_rate_outside_zero_to_one_is_refused(db):
    with pytest.raises(CommandError):
        _seed(seed=1, error_rate=1.5)
    assert not Person.objects.exists()


def _council_with_seed(seed: int) -> list[tuple[str, str, date | None, str]]:
    with transaction.atomic():
        _seed(seed=seed)
        people = list(Person.objects.order_by("pk").values_list("first_name", "last_name", "date_of_birth",
                                                                "nhs_number"))
        transaction.set_rollback(True)
    return people


def test_same_seed_gives_the_same_council_and_another_seed_another(db):
    first, again, other = _council_with_seed(7), _council_with_seed(7), _council_with_seed(8)
    assert first == again
    assert first != other
    assert len({(f, last) for f, last, _, _ in first}) > 0.8 * len(first)


def test_families_have_parents_siblings_half_siblings_moves_gps_and_schools(db):
    _seed(seed=5)
    today = timezone.localdate()
    kinds = Counter(Relationship.objects.values_list("kind", flat=True))
    for kind in ("parent", "sibling", "half_sibling", "step_parent", "significant_other"):
        assert kinds[kind] > 0, kind
    # Mothers hold parental responsibility; a child has at most two parents.
    parents = Relationship.objects.filter(kind="parent")
    assert parents.filter(person__sex="F", parental_responsibility=True).exists()
    per_child = Counter(parents.values_list("relative_id", flat=True))
    assert max(per_child.values()) <= 2
    # Siblings are recorded once per pair.
    pairs = Relationship.objects.filter(kind__in=["sibling", "half_sibling"]).values_list("person_id", "relative_id")
    assert len({frozenset(p) for p in pairs}) == len(pairs)
    # Half-siblings share exactly one recorded or unrecorded parent: never both recorded parents.
    parents_of: dict[int, set[int]] = defaultdict(set)
    for parent, child in parents.values_list("person_id", "relative_id"):
        parents_of[child].add(parent)
    for a, b in Relationship.objects.filter(kind="half_sibling").values_list("person_id", "relative_id"):
        shared = parents_of[a] & parents_of[b]
        assert len(shared) <= 1 and not (len(parents_of[a]) == 2 and parents_of[a] == parents_of[b])

    # Address history: one current address, no overlaps, moved out after moved in.
    for address in Address.objects.exclude(moved_out_on=None).exclude(moved_in_on=None):
        assert address.moved_out_on >= address.moved_in_on
    current = Counter(Address.objects.filter(moved_out_on=None).values_list("person_id", flat=True))
    assert max(current.values()) == 1
    # About 30% of families move in five years: some children have had several addresses.
    known_ids = set(Person.objects.filter(KNOWN).values_list("pk", flat=True))
    moves = ChronologyEvent.objects.filter(event_type=EventType.ADDRESS).values("person").distinct().count()
    assert 0.1 * len(known_ids) < moves < 0.6 * len(known_ids)
    # Households share an address.
    shared = Address.objects.filter(moved_out_on=None).values("line_1", "postcode").annotate(n=Count("id"))
    assert shared.filter(n__gte=3).exists()

    gps = ProfessionalInvolvement.objects.filter(role="gp")
    schools = ProfessionalInvolvement.objects.filter(role="school")
    assert gps.count() >= len(known_ids) * 0.9
    assert all(len(code) == 6 and code.startswith("Z") for code in gps.values_list("organisation_code", flat=True))
    assert all(len(code) == 6 and code.isdigit() for code in schools.values_list("organisation_code", flat=True))
    with_school = set(schools.values_list("person_id", flat=True))
    children = Person.objects.filter(pk__in=known_ids - _planted_children())
    school_age = [p for p in children if _school_age(p, today)]
    assert school_age and sum(p.pk in with_school for p in school_age) == len(school_age)
    # Some people have other names: a mother's name at birth, for example.
    assert PersonName.objects.filter(kind="birth").exists()
    # A diverse city: White British about half of children, many other backgrounds.
    ethnicities = Counter(Person.objects.filter(pk__in=known_ids).values_list("ethnicity", flat=True))
    assert 0.35 < ethnicities["WBRI"] / len(known_ids) < 0.75
    assert len(ethnicities) >= 8


def test_error_rate_zero_records_only_valid_identifiers_and_consistent_dates(db):
    _seed(seed=11, error_rate=0)
    today = timezone.localdate()
    assert not PlantedError.objects.exists()
    people = list(Person.objects.all())
    planted = _planted_children()
    for person in people:
        if person.nhs_number:
            assert is_valid_nhs_number(person.nhs_number), person.nhs_number
        if person.upn:
            assert is_valid_upn(person.upn) and person.upn[1:4] == "892", person.upn
        assert person.ethnicity != Ethnicity.NOBT
        if person.date_of_birth is not None:
            assert person.sex in ("M", "F")
        else:
            assert person.expected_date_of_birth is not None and person.expected_date_of_birth > today
        if _school_age(person, today) and not person.is_uasc:
            assert person.upn or person.upn_unknown, person.pk
    known = Person.objects.filter(KNOWN).distinct().exclude(pk__in=planted)
    assert all(p.nhs_number for p in known if p.date_of_birth)
    away = {outward for outward, _ in OUT_OF_AREA}
    for postcode in Address.objects.values_list("postcode", flat=True):
        # In the city, or where a child in care was placed beyond it.
        assert _postcode_ok(postcode) and (postcode.startswith("NG") or postcode.split()[0] in away), postcode
    assert not Address.objects.filter(moved_in_on=None).exists()
    born = {p.pk: p.date_of_birth for p in people}
    for allocation in Allocation.objects.all():
        dob = born[allocation.child_id]
        assert dob is None or allocation.started_on >= dob
    for relationship in Relationship.objects.exclude(started_on=None):
        for pk in (relationship.person_id, relationship.relative_id):
            dob = born[pk]
            assert dob is None or relationship.started_on >= dob
    # The people app's own rules find nothing to correct.
    checks = pytest.importorskip("hearth.people.checks")
    for person in people:
        values = {f.attname: getattr(person, f.attname) for f in Person._meta.concrete_fields}
        assert checks.person_problems(values, today=today) == {}, person.pk


def test_error_rate_plants_recording_mistakes_of_several_kinds_at_about_that_rate(db):
    _seed(seed=2, error_rate=0.1)
    # The person's own details here; casework mistakes are checked in test_casework.
    errors = list(PlantedError.objects.select_related("person").filter(source_label=""))
    known = Person.objects.filter(KNOWN).distinct().count() - len(_planted_children())
    assert 0.05 * known <= len(errors) <= 0.16 * known
    assert len({e.kind for e in errors}) >= 5
    for error in errors:
        person = error.person
        if error.kind == PlantedError.Kind.MISSING_ETHNICITY:
            assert person.ethnicity == Ethnicity.NOBT
        elif error.kind == PlantedError.Kind.MISSING_SEX:
            assert person.sex == "U" and person.date_of_birth
        elif error.kind == PlantedError.Kind.MISSING_DATE_OF_BIRTH:
            assert person.date_of_birth is None and person.expected_date_of_birth is None
        elif error.kind == PlantedError.Kind.INVALID_NHS_NUMBER:
            assert not is_valid_nhs_number(person.nhs_number)
        elif error.kind == PlantedError.Kind.INVALID_UPN:
            assert not is_valid_upn(person.upn)
        elif error.kind == PlantedError.Kind.MISSING_UPN_REASON:
            assert not person.upn and not person.upn_unknown
        elif error.kind == PlantedError.Kind.ALLOCATION_BEFORE_BIRTH:
            assert Allocation.objects.filter(child=person, started_on__lt=person.date_of_birth).exists()
        elif error.kind == PlantedError.Kind.RELATIONSHIP_BEFORE_BIRTH:
            assert Relationship.objects.filter(relative=person, started_on__lt=person.date_of_birth).exists()
        elif error.kind == PlantedError.Kind.ADDRESS_MISSING_DATE:
            assert Address.objects.filter(person=person, moved_out_on=None, moved_in_on=None).exists()
        elif error.kind == PlantedError.Kind.INVALID_POSTCODE:
            current = Address.objects.get(person=person, moved_out_on=None)
            assert not _postcode_ok(current.postcode)
        assert error.detail


def _differs_as_planted(pair: PlantedDuplicate) -> set[str]:
    """What actually differs between the two records, in the duplicate kinds' terms."""
    a, b = pair.original, pair.duplicate
    found: set[str] = set()
    if a.first_name != b.first_name:
        if b.first_name in NICKNAMES.get(a.first_name, ()):
            found.add(PlantedDuplicate.Kind.NICKNAME)
        else:
            assert jellyfish.damerau_levenshtein_distance(a.first_name, b.first_name) == 1
            assert a.first_name[0] == b.first_name[0]
            found.add(PlantedDuplicate.Kind.TYPO)
    if a.last_name != b.last_name:
        if jellyfish.damerau_levenshtein_distance(a.last_name, b.last_name) == 1:
            found.add(PlantedDuplicate.Kind.TYPO)
        else:
            found.add(PlantedDuplicate.Kind.SURNAME_CHANGE)
    if a.date_of_birth != b.date_of_birth:
        assert a.date_of_birth is not None and b.date_of_birth is not None
        assert (b.date_of_birth.year, b.date_of_birth.month, b.date_of_birth.day) == (
            a.date_of_birth.year, a.date_of_birth.day, a.date_of_birth.month)
        found.add(PlantedDuplicate.Kind.TRANSPOSED_DATE)
    if a.nhs_number != b.nhs_number:
        assert a.nhs_number and not b.nhs_number and not b.upn
        found.add(PlantedDuplicate.Kind.MISSING_IDENTIFIERS)
    else:
        assert a.upn == b.upn
    assert (a.sex, a.ethnicity) == (b.sex, b.ethnicity)
    return found


def test_planted_duplicates_differ_as_their_kind_says_and_twins_are_not_planted(db):
    with transaction.atomic():
        summary = build_council(size="small", seed=4, children_known=2500)
    pairs = list(PlantedDuplicate.objects.select_related("original", "duplicate"))
    known = summary.children
    # About 1.5% of children have a second record.
    assert 0.008 * known <= len(pairs) <= 0.03 * known
    assert len({p.kind for p in pairs}) >= 4
    for pair in pairs:
        differences = _differs_as_planted(pair)
        if pair.kind == PlantedDuplicate.Kind.COMBINED:
            assert len(differences) >= 2, pair.detail
        else:
            assert differences == {pair.kind}, (pair.kind, pair.detail)
        # The duplicate came in through the front door and was closed: its own short allocation.
        assert Allocation.objects.filter(child=pair.duplicate, ended_on__isnull=False).exists()
    # Duplicates often share the original's address or postcode, but not always.
    postcodes = {a.person_id: a.postcode for a in Address.objects.filter(moved_out_on=None)}
    same = sum(postcodes.get(p.original_id) == postcodes.get(p.duplicate_id) for p in pairs)
    assert 0.2 * len(pairs) < same < len(pairs)

    # Twins exist (same mother, birthday and surname, different first names) and are not planted.
    planted = {(p.original_id, p.duplicate_id) for p in pairs} | {(p.duplicate_id, p.original_id) for p in pairs}
    mothers = dict(Relationship.objects.filter(kind="parent", person__sex="F").values_list("relative_id",
                                                                                           "person_id"))
    by_birth: dict[tuple, list[Person]] = defaultdict(list)
    duplicates = _planted_children()
    for person in Person.objects.filter(pk__in=mothers).exclude(pk__in=duplicates).exclude(date_of_birth=None):
        by_birth[(mothers[person.pk], person.date_of_birth, person.last_name)].append(person)
    twins = [group for group in by_birth.values() if len(group) > 1]
    assert twins
    for group in twins:
        assert len({p.first_name for p in group}) == len(group)
        assert not any((a.pk, b.pk) in planted for a in group for b in group)
    # No two real children share a first name, surname and date of birth by accident.
    real = Person.objects.exclude(pk__in=duplicates).exclude(date_of_birth=None)
    clashes = real.values("first_name", "last_name", "date_of_birth").annotate(n=Count("id")).filter(n__gt=1)
    assert not clashes.exists()


def test_summary_counts_match_the_database(db):
    with transaction.atomic():
        summary = build_council(size="small", seed=9)
    assert summary.people == Person.objects.count()
    care = summary.care
    assert care is not None
    assert summary.open_cases == Allocation.objects.filter(ended_on=None).count() - care.allocations_open == 150
    assert summary.duplicates == PlantedDuplicate.objects.count()
    assert summary.allocations == Allocation.objects.count() - care.allocations
    assert summary.children == Person.objects.filter(KNOWN).distinct().count() - summary.duplicates
    assert summary.rows_written > 5 * summary.people
