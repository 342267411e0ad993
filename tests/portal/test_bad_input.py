"""The partner referral form under bad input: every problem beside its question, nothing typed lost, no 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.portal.models import PartnerReferral
from tests.conftest import client_for
from tests.portal.factories import referral_post
from tests.workspace.bad_input_helpers import assert_error_beside, assert_kept, checked, date_fields, walk

pytestmark = pytest.mark.django_db


def test_a_date_of_birth_in_the_future_is_refused_beside_it_with_every_answer_kept(partner) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(partner).post("/refer/new/", referral_post(**date_fields("date_of_birth", tomorrow)))
    assert_error_beside(response, "date_of_birth", "Date of birth must be today or in the past", date_field=True)
    assert_kept(response, "Dean hit me because I spilled my cereal", "Asking mum could put Kai at risk",
                "Leanne Brennan", "12 Elm Grove", "This morning at 8:45")
    assert checked(response, "consent", "not_sought_risk") and checked(response, "immediate_risk", "no")
    assert not PartnerReferral.objects.exists()


def test_a_date_of_birth_in_year_one_is_a_message_not_a_server_error(partner) -> None:
    response = client_for(partner).post("/refer/new/",
                                        referral_post(**date_fields("date_of_birth", ("1", "1", "0001"))))
    assert_error_beside(response, "date_of_birth", "Date of birth must be in 1900 or later", date_field=True)


def test_text_over_its_limit_is_refused_beside_it_and_kept(partner) -> None:
    response = client_for(partner).post("/refer/new/", referral_post(what_happened="W" * 6001))
    assert_error_beside(response, "what_happened", "must be 6000 characters or fewer")
    assert_kept(response, "W" * 6001)


def test_text_at_its_limit_is_accepted_whole(partner) -> None:
    response = client_for(partner).post("/refer/new/", referral_post(what_happened="W" * 6000))
    assert response.status_code == 302
    assert PartnerReferral.objects.get().answers["concerns"]["what_happened"] == "W" * 6000


def test_the_referral_form_survives_junk(partner) -> None:
    assert walk(client_for(partner), "/refer/new/", referral_post(), dates=("date_of_birth",)) == []
