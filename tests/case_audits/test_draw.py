"""Drawing a round from the live record: open cases only, no conflicted auditor, protected records handled, the
draw recorded and reproducible; and each theme selects exactly the children it names (hand-built)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from hearth.access.services import allow_list_add
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.care.models import PeriodOfCare, Placement
from hearth.case_audits import services
from hearth.case_audits.models import CaseAudit
from hearth.case_audits.selectors import sample_frame
from hearth.case_audits.themes import THEMES, theme_children
from hearth.cin.models import Assessment, CINEpisode
from hearth.clocks.working_days import LONDON
from hearth.missing.models import MissingEpisode
from hearth.people.models import Person
from hearth.protection.models import ChildProtectionPlan
from tests.factories import make_user

from .factories import council, draw, open_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_closed_cases_and_merged_records_are_never_drawn(la):
    c = council(la, per_team=2)
    closed = open_case(la, c.team_a, c.worker_a, referred=TODAY - timedelta(days=200),
                       closed=TODAY - timedelta(days=10))
    merged = open_case(la, c.team_a, c.worker_a)
    with acting_as("test"):
        merged.merged_into = c.children_a[0]
        merged.save()
    frame = sample_frame(local_authority_id=la.pk, on=TODAY, auditors=[c.iro])
    ids = {f.child_id for f in frame}
    assert ids == {p.pk for p in c.children_a + c.children_b}
    assert closed.pk not in ids and merged.pk not in ids
    # A case closed later was open on an earlier day.
    earlier = sample_frame(local_authority_id=la.pk, on=TODAY - timedelta(days=20), auditors=[c.iro])
    assert closed.pk in {f.child_id for f in earlier}


def test_a_childs_own_worker_and_their_manager_never_audit_it(la):
    c = council(la, per_team=4)
    # A team manager who is also allocated to a child of the other team (as a worker would be).
    extra = open_case(la, c.team_b, c.manager_a)
    audit_round = draw(c, size=20, auditors=[c.manager_a, c.manager_b, c.iro, c.worker_a])
    audits = list(CaseAudit.objects.filter(round=audit_round))
    assert len(audits) == 9
    for a in audits:
        assert a.auditor_id != a.worker_id
        if a.team_id == c.team_a.pk:
            assert a.auditor_id not in (c.manager_a.pk, c.worker_a.pk)
        if a.team_id == c.team_b.pk:
            assert a.auditor_id != c.manager_b.pk
        if a.child_id == extra.pk:
            assert a.auditor_id not in (c.manager_a.pk, c.manager_b.pk)


def test_the_draw_is_recorded_and_the_same_seed_draws_the_same_cases_again(la):
    c = council(la, per_team=6)
    first = draw(c, size=5, seed=1234)
    again = draw(c, size=5, seed=1234)

    def picked(r):
        return sorted(CaseAudit.objects.filter(round=r).values_list("child_id", "auditor_id"))

    assert picked(first) == picked(again)
    assert first.seed == 1234
    assert first.criteria["matched"] == 12 and first.criteria["drawn"] == 5
    assert {s["team"] for s in first.criteria["strata"]} == {"Safeguarding North", "Children in Care East"}
    assert first.eligible == 12 and first.left_out == 0


def test_a_restricted_record_goes_only_to_an_auditor_who_may_open_it_and_otherwise_is_counted_unnamed(la):
    c = council(la, per_team=1)
    hidden = open_case(la, c.team_a, c.worker_a, level=Person.AccessLevel.RESTRICTED, first_name="Alexis")
    sealed = open_case(la, c.team_b, c.worker_b, level=Person.AccessLevel.SEALED)
    nobody = draw(c, size=10, auditors=[c.iro, c.manager_b])
    assert not CaseAudit.objects.filter(round=nobody, child__in=[hidden, sealed]).exists()
    assert nobody.left_out == 2
    assert nobody.criteria["left_out"][0]["reason"] == "restricted"
    assert "Alexis" not in str(nobody.criteria)

    allow_list_add(person=hidden, user=c.iro, reason="QA lead", by="test")
    allowed = draw(c, size=10, auditors=[c.iro, c.manager_b])
    audit = CaseAudit.objects.get(round=allowed, child=hidden)
    assert audit.auditor_id == c.iro.pk
    assert allowed.left_out == 1


def test_a_round_needs_auditors_a_theme_and_a_due_date_not_in_the_past(la):
    c = council(la, per_team=1)
    with pytest.raises(ValidationError) as refused:
        services.round_draw(local_authority=la, title="x", month=TODAY, template=c.template, method="themed",
                            sample_size=1, auditors=[], due_on=TODAY, by=c.head)
    assert {"theme", "auditors"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as late:
        services.round_draw(local_authority=la, title="x", month=TODAY, template=c.template, method="random",
                            sample_size=1, auditors=[c.iro], due_on=TODAY - timedelta(days=1), by=c.head)
    assert "due_on" in late.value.message_dict


def test_auditors_from_another_council_are_refused(la, other_la):
    c = council(la, per_team=1)
    stranger = make_user(other_la, Role.TEAM_MANAGER)
    with pytest.raises(ValidationError) as refused:
        draw(c, auditors=[stranger])
    assert "auditors" in refused.value.message_dict


# ------------------------------------------------------------------------------------------------ themes


def _plan(child, started, ended=None, previous=0):
    with acting_as("test"):
        episode = CINEpisode.objects.filter(child=child).first()
        plan = ChildProtectionPlan(local_authority_id=child.local_authority_id, child=child, episode=episode,
                                   started_on=started, ended_on=ended, initial_category="NEG",
                                   latest_category="NEG", previous_plans=previous,
                                   end_reason="step_down_cin" if ended else "")
        plan.save()
    return plan


def test_second_plans_are_flagged_repeats_or_children_with_an_earlier_plan_in_hearth(la):
    c = council(la, per_team=0)
    flagged, earlier, first_plan, none_open = (open_case(la, c.team_a, c.worker_a) for _ in range(4))
    _plan(flagged, TODAY - timedelta(days=30), previous=1)
    _plan(earlier, TODAY - timedelta(days=400), TODAY - timedelta(days=200))
    _plan(earlier, TODAY - timedelta(days=60))
    _plan(first_plan, TODAY - timedelta(days=60))
    _plan(none_open, TODAY - timedelta(days=400), TODAY - timedelta(days=200), previous=1)
    assert theme_children("second_cp_plan", local_authority_id=la.pk, on=TODAY) == {flagged.pk, earlier.pk}


def test_children_missing_three_times_in_the_last_twelve_months(la):
    c = council(la, per_team=0)
    three, two, old = (open_case(la, c.team_a, c.worker_a) for _ in range(3))

    def went(child, days_ago):
        start = datetime.combine(TODAY - timedelta(days=days_ago), time(20, 0), tzinfo=LONDON)
        with acting_as("test"):
            MissingEpisode(local_authority=la, child=child, missing_type="M", started_at=start,
                           ended_at=start + timedelta(hours=5)).save()

    for days in (5, 40, 300):
        went(three, days)
    for days in (5, 40):
        went(two, days)
    for days in (5, 40, 370):
        went(old, days)
    assert theme_children("missing_3plus", local_authority_id=la.pk, on=TODAY) == {three.pk}


def test_assessments_open_beyond_45_working_days_from_referral(la):
    c = council(la, per_team=0)
    late = open_case(la, c.team_a, c.worker_a, referred=TODAY - timedelta(days=100))
    recent = open_case(la, c.team_a, c.worker_a, referred=TODAY - timedelta(days=20))
    done = open_case(la, c.team_a, c.worker_a, referred=TODAY - timedelta(days=100))
    with acting_as("test"):
        for child, authorised in ((late, None), (recent, None), (done, TODAY - timedelta(days=5))):
            episode = CINEpisode.objects.get(child=child)
            Assessment(local_authority=la, child=child, episode=episode, started_on=episode.referral_date,
                       status="authorised" if authorised else "in_progress", authorised_on=authorised).save()
    assert theme_children("assessment_over_45", local_authority_id=la.pk, on=TODAY) == {late.pk}
    # Before it was authorised, the finished one was late too.
    assert done.pk in theme_children("assessment_over_45", local_authority_id=la.pk, on=TODAY - timedelta(days=6))


def test_children_in_care_with_three_placements_in_twelve_months(la):
    c = council(la, per_team=0)
    moved, steady, long_ago = (open_case(la, c.team_b, c.worker_b) for _ in range(3))

    def homes(child, starts):
        with acting_as("test"):
            period = PeriodOfCare(local_authority=la, child=child, started_on=starts[0], category_of_need="N1")
            period.save()
            for i, start in enumerate(starts):
                end = starts[i + 1] if i + 1 < len(starts) else None
                Placement(local_authority=la, child=child, period=period, placement_type="U6", provider="PR1",
                          carer_name=f"Carer {i}", started_on=start, ended_on=end).save()

    homes(moved, [TODAY - timedelta(days=300), TODAY - timedelta(days=200), TODAY - timedelta(days=50)])
    homes(steady, [TODAY - timedelta(days=300), TODAY - timedelta(days=50)])
    homes(long_ago, [TODAY - timedelta(days=900), TODAY - timedelta(days=800), TODAY - timedelta(days=50)])
    assert theme_children("placements_3plus", local_authority_id=la.pk, on=TODAY) == {moved.pk}


def test_child_protection_plans_open_eighteen_months_or_more(la):
    c = council(la, per_team=0)
    long_plan, short_plan, ended = (open_case(la, c.team_a, c.worker_a) for _ in range(3))
    _plan(long_plan, TODAY - relativedelta(months=19))
    _plan(short_plan, TODAY - relativedelta(months=10))
    _plan(ended, TODAY - relativedelta(months=30), TODAY - relativedelta(months=2))
    assert theme_children("cp_plan_18_months", local_authority_id=la.pk, on=TODAY) == {long_plan.pk}


def test_a_themed_round_draws_only_the_matching_open_cases(la):
    c = council(la, per_team=3)
    matching = c.children_a[:2]
    for child in matching:
        _plan(child, TODAY - timedelta(days=30), previous=2)
    closed = open_case(la, c.team_a, c.worker_a, referred=TODAY - timedelta(days=300),
                       closed=TODAY - timedelta(days=3))
    _plan(closed, TODAY - timedelta(days=100), previous=1)  # a plan left open on a closed case: not drawn
    themed = draw(c, size=10, method="themed", theme="second_cp_plan")
    assert set(CaseAudit.objects.filter(round=themed).values_list("child_id", flat=True)) == {m.pk for m in matching}
    assert themed.criteria["theme_label"] == THEMES["second_cp_plan"].label
    assert themed.criteria["matched"] == 2


def test_every_theme_has_words_for_the_board():
    for theme in THEMES.values():
        assert theme.label and len(theme.description) > 40

