from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from hearth.accounts.roles import Role
from hearth.audit.models import ChangeRecord
from hearth.front_door.models import Contact
from hearth.portal.forms import ReferralForm
from hearth.portal.models import PartnerProfile, PartnerReferral, PartnerReferralAttachment
from hearth.portal.services import Document, partner_referral_submit
from tests.factories import make_user
from tests.portal.factories import PDF_BYTES, PNG_BYTES, referral_post


def _answers(**overrides):
    form = ReferralForm(referral_post(**overrides))
    assert form.is_valid(), form.errors
    return form.answers()


def test_submit_creates_contact_referral_and_profile(partner):
    referral = partner_referral_submit(user=partner, answers=_answers(), documents=[])
    contact = referral.contact
    assert contact.channel == Contact.Channel.PORTAL
    assert contact.source == "2A"  # schools
    assert contact.status == Contact.Status.RECEIVED
    assert contact.child is None
    assert contact.referrer_name == "Dana Lead"
    assert contact.referrer_organisation == "Hillside Primary School"
    assert contact.referrer_role == "Designated safeguarding lead"
    assert contact.referrer_phone == "0115 876 5432"
    assert contact.referrer_email == "dsl@hillside.sch.uk"
    assert contact.consent == Contact.Consent.NOT_SOUGHT_RISK
    assert contact.consent_notes.startswith("Asking mum")
    assert contact.child_details["first_name"] == "Kai"
    assert contact.child_details["date_of_birth"] == "2016-06-14"
    assert contact.child_details["postcode"] == "NG7 1AB"
    assert contact.child_details["address"] == "12 Elm Grove, Nottingham"
    assert contact.child_details["parents_or_carers"][0]["name"] == "Leanne Brennan"
    assert "bruise on his cheek" in contact.concerns
    assert "\u201cDean hit me because I spilled my cereal\u201d" in contact.concerns
    assert "This morning at 8:45" in contact.concerns
    assert "Leanne Brennan (Mother, parental responsibility: yes, 07700 900123)" in contact.concerns
    assert referral.child_initials == "KB"
    assert referral.submitted_by == partner
    assert referral.local_authority_id == partner.local_authority_id
    profile = PartnerProfile.objects.get(user=partner)
    assert (profile.agency_type, profile.phone, profile.referral_source) == ("school", "0115 876 5432", "2A")
    # Audited, by the partner.
    assert ChangeRecord.objects.filter(model_label="portal.PartnerReferral", by_user=partner).exists()
    assert ChangeRecord.objects.filter(model_label="front_door.Contact", by_user=partner).exists()


def test_immediate_risk_leads_the_concerns(partner):
    referral = partner_referral_submit(user=partner, answers=_answers(immediate_risk="yes"), documents=[])
    assert referral.contact.concerns.startswith("IMMEDIATE RISK")
    assert referral.contact.child_details["immediate_risk"] is True


@pytest.mark.parametrize(("agency", "source"), [("gp", "3A"), ("police", "6"), ("health_visitor", "3B"),
                                                 ("voluntary", "8"), ("legal", "7")])
def test_agency_type_sets_the_census_referral_source(partner, agency, source):
    referral = partner_referral_submit(user=partner, answers=_answers(agency_type=agency), documents=[])
    assert referral.contact.source == source


def test_profile_is_updated_not_duplicated(partner):
    partner_referral_submit(user=partner, answers=_answers(), documents=[])
    partner_referral_submit(user=partner, answers=_answers(referrer_phone="0115 000 1111"), documents=[])
    assert PartnerProfile.objects.filter(user=partner).count() == 1
    assert PartnerProfile.objects.get(user=partner).phone == "0115 000 1111"


def test_documents_stored_under_random_names(partner):
    docs = [Document(name="Body map (Kai Brennan).pdf", size=len(PDF_BYTES), stream=io.BytesIO(PDF_BYTES)),
            Document(name="photo.png", size=len(PNG_BYTES), stream=io.BytesIO(PNG_BYTES))]
    referral = partner_referral_submit(user=partner, answers=_answers(), documents=docs)
    stored = list(referral.attachments.all())
    assert [a.original_name for a in stored] == ["Body map (Kai Brennan).pdf", "photo.png"]
    assert [a.content_type for a in stored] == ["application/pdf", "image/png"]
    for attachment in stored:
        assert "Kai" not in attachment.file.name and "Brennan" not in attachment.file.name
        path = Path(settings.MEDIA_ROOT) / attachment.file.name
        assert path.is_file()


def test_refused_document_rolls_everything_back(partner):
    good = Document(name="a.pdf", size=len(PDF_BYTES), stream=io.BytesIO(PDF_BYTES))
    bad = Document(name="b.pdf", size=12, stream=io.BytesIO(b"MZ not a pdf"))
    with pytest.raises(ValidationError) as refused:
        partner_referral_submit(user=partner, answers=_answers(), documents=[good, bad])
    assert "b.pdf must be a PDF" in str(refused.value)
    assert not PartnerReferral.objects.exists()
    assert not Contact.objects.exists()
    assert not PartnerReferralAttachment.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_too_many_documents_refused(partner):
    docs = [Document(name=f"{n}.pdf", size=len(PDF_BYTES), stream=io.BytesIO(PDF_BYTES)) for n in range(6)]
    with pytest.raises(ValidationError):
        partner_referral_submit(user=partner, answers=_answers(), documents=docs)
    assert not Contact.objects.exists()


def test_only_partners_submit(la, social_worker):
    with pytest.raises(PermissionDenied):
        partner_referral_submit(user=social_worker, answers=_answers(), documents=[])
    inactive = make_user(la, Role.PARTNER_REFERRER, None, is_active=False)
    with pytest.raises(PermissionDenied):
        partner_referral_submit(user=inactive, answers=_answers(), documents=[])
