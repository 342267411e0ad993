from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from hearth.portal.models import PartnerReferral
from hearth.portal.services import REFERENCE_ALPHABET, normalise_reference, reference_generate

REFERENCE = re.compile(f"^[{REFERENCE_ALPHABET}]{{8}}$")


def test_alphabet_has_no_lookalikes():
    assert not set("0O1I") & set(REFERENCE_ALPHABET)
    assert len(set(REFERENCE_ALPHABET)) == len(REFERENCE_ALPHABET) == 32


@settings(max_examples=50)
@given(st.integers(min_value=1, max_value=2000))
def test_references_are_unique_and_in_the_alphabet(count):
    references = [reference_generate() for _ in range(count)]
    assert all(REFERENCE.match(r) for r in references)
    assert len(set(references)) == count


@given(st.text(alphabet=REFERENCE_ALPHABET, min_size=8, max_size=8))
def test_display_form_reads_back(reference):
    shown = PartnerReferral(reference=reference).display_reference
    assert shown == f"{reference[:4]}-{reference[4:]}"
    assert normalise_reference(shown) == reference
    assert normalise_reference(shown.lower()) == reference


def test_reference_clash_draws_another(partner, monkeypatch):
    from hearth.portal import services
    from hearth.portal.forms import ReferralForm
    from tests.portal.factories import referral_post

    form = ReferralForm(referral_post())
    assert form.is_valid()
    draws = iter(["AAAABBBB", "AAAABBBB", "CCCCDDDD"])
    monkeypatch.setattr(services, "reference_generate", lambda: next(draws))
    first = services.partner_referral_submit(user=partner, answers=form.answers(), documents=[])
    second = services.partner_referral_submit(user=partner, answers=form.answers(), documents=[])
    assert (first.reference, second.reference) == ("AAAABBBB", "CCCCDDDD")
