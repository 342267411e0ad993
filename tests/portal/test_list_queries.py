from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.portal.models import PartnerReferral
from hearth.portal.services import partner_referral_submit
from tests.conftest import client_for
from tests.portal.factories import contact_decide, contact_screening, referral_post


def _answers():
    from hearth.portal.forms import ReferralForm

    form = ReferralForm(referral_post())
    assert form.is_valid()
    return form.answers()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_rows(partner):
    client = client_for(partner)
    partner_referral_submit(user=partner, answers=_answers(), documents=[])
    few = _queries(client, "/refer/")
    for n in range(12):
        referral = partner_referral_submit(user=partner, answers=_answers(), documents=[])
        if n % 3 == 1:
            contact_screening(referral.contact)
        elif n % 3 == 2:
            contact_decide(referral.contact)
    many = _queries(client, "/refer/")
    assert many == few
    assert PartnerReferral.objects.count() == 13


def test_detail_query_count_is_fixed(partner):
    client = client_for(partner)
    referral = partner_referral_submit(user=partner, answers=_answers(), documents=[])
    assert _queries(client, f"/refer/{referral.reference}/") <= 8
