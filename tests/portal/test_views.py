from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hearth.access.models import AccessEvent
from hearth.front_door.models import Contact
from hearth.portal import throttle
from hearth.portal.models import PartnerProfile, PartnerReferral
from hearth.workspace.models import FormDraft
from tests.conftest import client_for
from tests.factories import make_person
from tests.portal.factories import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    contact_decide,
    contact_screening,
    docx_bytes,
    referral_post,
    upload,
)

NEW = "/refer/new/"


def _send(client, **overrides):
    return client.post(NEW, referral_post(**overrides))


def test_new_referral_lands_in_the_front_door_with_a_reference(partner):
    client = client_for(partner)
    page = client.get(NEW)
    assert page.status_code == 200
    assert "call 999" in page.content.decode()
    response = _send(client)
    referral = PartnerReferral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:sent", args=[referral.reference])
    sent = client.get(response["Location"])
    body = sent.content.decode()
    assert "Referral sent" in body and "govuk-panel--confirmation" in body
    assert referral.display_reference in body
    assert referral.contact.status == Contact.Status.RECEIVED
    assert Contact.objects.filter(channel="portal", local_authority=partner.local_authority).count() == 1


def test_reference_is_shown_split_and_accepted_either_way(partner):
    client = client_for(partner)
    _send(client)
    referral = PartnerReferral.objects.get()
    assert len(referral.reference) == 8
    assert client.get(f"/refer/{referral.display_reference}/").status_code == 200
    assert client.get(f"/refer/{referral.reference.lower()}/").status_code == 200


def test_missing_answers_give_messages_and_keep_what_was_typed(partner):
    client = client_for(partner)
    response = _send(client, child_first_name="", what_happened="", consent="", immediate_risk=None,
                     postcode="XYZ 123", referrer_email="not-an-email", school="Typed school name")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert body.count("Enter the child&#x27;s first name") == 2  # summary and field
    for message in ("Enter what has happened and why you are worried about the child",
                    "Select whether you asked the family for consent",
                    "Select yes if you think the child is at immediate risk of harm",
                    "Enter a real postcode, like NG2 3NG",
                    "Enter an email address in the correct format"):
        assert message in body
    assert 'href="#id_child_first_name"' in body
    assert 'value="Typed school name"' in body
    assert 'value="Brennan"' in body
    assert "<title>Error:" in body
    assert not PartnerReferral.objects.exists()


def test_date_of_birth_or_approximate_age(partner):
    client = client_for(partner)
    body = _send(client, date_of_birth_0="", date_of_birth_1="", date_of_birth_2="").content.decode()
    assert "Enter the child&#x27;s date of birth, or tick that you do not know it" in body
    body = _send(client, date_of_birth_0="", date_of_birth_1="", date_of_birth_2="",
                 date_of_birth_unknown="true").content.decode()
    assert "Enter the child&#x27;s approximate age in years" in body
    body = _send(client, date_of_birth_0="31", date_of_birth_1="2", date_of_birth_2="2016").content.decode()
    assert "Date of birth must be a real date" in body
    response = _send(client, date_of_birth_0="", date_of_birth_1="", date_of_birth_2="",
                     date_of_birth_unknown="true", approximate_age="9")
    assert response.status_code == 302
    details = PartnerReferral.objects.get().contact.child_details
    assert details["date_of_birth"] == "" and details["approximate_age"] == 9


def test_consent_reason_needed_unless_given(partner):
    body = _send(client_for(partner), consent_notes="").content.decode()
    assert "Explain why the family did not agree, or why you did not ask them" in body
    assert _send(client_for(partner), consent=Contact.Consent.GIVEN, consent_notes="").status_code == 302


def test_field_lengths_are_capped(partner):
    body = _send(client_for(partner), child_first_name="K" * 101, what_happened="x" * 6001).content.decode()
    assert "First name must be 100 characters or fewer" in body
    assert "What has happened and why are you worried? must be 6000 characters or fewer" in body
    assert not PartnerReferral.objects.exists()


def test_carer_needs_a_name_and_parental_responsibility(partner):
    body = _send(client_for(partner), carer_1_name="", carer_2_relationship="Father",
                 carer_2_parental_responsibility="").content.decode()
    assert "Enter the name of the first parent or carer" in body
    assert "Enter the name of the second parent or carer" in body


# ------------------------------------------------------------------------------------------------ uploads


def test_accepted_documents_are_attached(partner):
    files = [upload("body map.pdf", PDF_BYTES), upload("photo.jpeg", JPEG_BYTES, "image/jpeg"),
             upload("notes.docx", docx_bytes(), "application/octet-stream"), upload("a.png", PNG_BYTES, "image/png")]
    response = client_for(partner).post(NEW, {**referral_post(), "documents": files})
    assert response.status_code == 302
    attachments = list(PartnerReferral.objects.get().attachments.all())
    assert [a.original_name for a in attachments] == ["body map.pdf", "photo.jpeg", "notes.docx", "a.png"]
    assert attachments[2].content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(("name", "content", "declared"), [
    ("virus.exe", b"MZ\x90\x00", "application/x-msdownload"),
    ("renamed.pdf", b"MZ\x90\x00 a program", "application/pdf"),  # the name lies
    ("macro.docx", docx_bytes(macros=True), "application/vnd.openxmlformats-officedocument"),
    ("zip.docx", b"PK\x03\x04not really a zip", "application/zip"),
    ("image.png", JPEG_BYTES, "image/png"),  # a JPEG called PNG
    ("page.html", b"<html><script>alert(1)</script>", "text/html"),
])
def test_wrong_type_refused_with_its_name_and_other_answers_kept(partner, name, content, declared):
    response = client_for(partner).post(NEW, {**referral_post(), "documents": [upload(name, content, declared)]})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{name} must be a PDF, Word document (DOCX), JPG or PNG" in body
    assert 'href="#id_documents"' in body
    assert "Dean hit me because I spilled my cereal" in body
    assert not PartnerReferral.objects.exists()


def test_too_big_refused(partner):
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    body = client_for(partner).post(NEW, {**referral_post(), "documents": [big]}).content.decode()
    assert "scan.pdf must be smaller than 10MB" in body
    assert not PartnerReferral.objects.exists()


def test_empty_file_refused(partner):
    body = client_for(partner).post(NEW, {**referral_post(), "documents": [upload("e.pdf", b"")]}).content.decode()
    assert "e.pdf is empty" in body


def test_too_many_refused(partner):
    files = [upload(f"{n}.pdf", PDF_BYTES) for n in range(6)]
    body = client_for(partner).post(NEW, {**referral_post(), "documents": files}).content.decode()
    assert "You can only attach up to 5 files" in body
    assert not PartnerReferral.objects.exists()


def test_good_files_are_kept_while_other_answers_are_corrected(partner):
    client = client_for(partner)
    first = client.post(NEW, {**referral_post(child_last_name=""), "documents": [
        upload("chronology.pdf", PDF_BYTES), upload("bad.exe", b"MZ")]})
    body = first.content.decode()
    assert "Enter the child&#x27;s last name" in body and "bad.exe must be a PDF" in body
    assert "chronology.pdf" in body and 'name="keep_documents"' in body
    token = next(iter(client.session["portal_pending_documents"]))
    # Corrected, the kept file still ticked and nothing chosen again.
    response = client.post(NEW, {**referral_post(), "keep_documents": [token]})
    assert response.status_code == 302
    assert [a.original_name for a in PartnerReferral.objects.get().attachments.all()] == ["chronology.pdf"]
    assert "portal_pending_documents" not in client.session


def test_unticked_kept_file_is_dropped(partner):
    client = client_for(partner)
    client.post(NEW, {**referral_post(child_last_name=""), "documents": [upload("c.pdf", PDF_BYTES)]})
    assert client.post(NEW, referral_post()).status_code == 302
    assert not PartnerReferral.objects.get().attachments.exists()


def test_kept_files_count_towards_five(partner):
    client = client_for(partner)
    client.post(NEW, {**referral_post(child_last_name=""), "documents": [upload(f"{n}.pdf", PDF_BYTES)
                                                                          for n in range(4)]})
    tokens = list(client.session["portal_pending_documents"])
    body = client.post(NEW, {**referral_post(), "keep_documents": tokens,
                             "documents": [upload("x.pdf", PDF_BYTES), upload("y.pdf", PDF_BYTES)]}).content.decode()
    assert "You can only attach up to 5 files. You have already attached 4." in body


# ------------------------------------------------------------------------------------------------ rate limit


def test_rate_limit_per_partner_keeps_input(partner, monkeypatch):
    monkeypatch.setattr(throttle, "PER_USER_PER_HOUR", 2)
    client = client_for(partner)
    assert _send(client).status_code == 302
    assert _send(client).status_code == 302
    response = _send(client, what_happened="A third worry, typed carefully")
    assert response.status_code == 429
    body = response.content.decode()
    assert "You have sent a lot of referrals in the last hour. If a child is in immediate danger call 999" in body
    assert "A third worry, typed carefully" in body
    assert PartnerReferral.objects.count() == 2


def test_rate_limit_per_address(la, monkeypatch):
    from tests.portal.factories import make_partner

    monkeypatch.setattr(throttle, "PER_ADDRESS_PER_HOUR", 2)
    for _ in range(2):
        assert _send(client_for(make_partner(la))).status_code == 302
    assert _send(client_for(make_partner(la))).status_code == 429
    # Another address is not held back.
    other = client_for(make_partner(la))
    assert other.post(NEW, referral_post(), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_default_limits():
    assert (throttle.PER_USER_PER_HOUR, throttle.PER_ADDRESS_PER_HOUR) == (10, 30)


# ------------------------------------------------------------------------------------------------ prefill, drafts


def test_referrer_details_never_typed_twice(partner):
    client = client_for(partner)
    first = client.get(NEW).content.decode()
    assert 'value="Dana Lead"' in first and 'value="Hillside Primary School"' in first
    assert 'value="dsl@hillside.sch.uk"' in first
    _send(client, referrer_phone="0115 111 2222", agency_type="school")
    second = client.get(NEW).content.decode()
    assert 'value="0115 111 2222"' in second
    assert 'value="Designated safeguarding lead"' in second
    assert '<option value="school" selected>' in second
    assert PartnerProfile.objects.get(user=partner).phone == "0115 111 2222"


def test_draft_is_restored_and_discarded_after_sending(partner):
    client = client_for(partner)
    client.post("/drafts/save/", {"draft_key": "portal-referral-new", "child_first_name": "Half-typed"})
    page = client.get(NEW).content.decode()
    assert 'value="Half-typed"' in page and "We restored the referral" in page
    assert 'data-autosave data-draft-key="portal-referral-new"' in page
    _send(client)
    assert not FormDraft.objects.filter(user=partner).exists()


def test_sent_twice_is_saved_once(partner):
    client = client_for(partner)
    data = {**referral_post(), "submission_token": "a" * 32}
    client.post(NEW, data)
    client.post(NEW, data)
    assert PartnerReferral.objects.count() == 1


# ------------------------------------------------------------------------------------------------ list and status


def test_status_follows_the_contact(partner):
    client = client_for(partner)
    _send(client)
    referral = PartnerReferral.objects.get()
    detail_url = reverse("portal:detail", args=[referral.reference])
    assert ">Received<" in client.get("/refer/").content.decode()
    assert ">Received<" in client.get(detail_url).content.decode()
    contact_screening(referral.contact)
    assert ">Being screened<" in client.get("/refer/").content.decode()
    assert ">Being screened<" in client.get(detail_url).content.decode()
    referral.contact.refresh_from_db()
    contact_decide(referral.contact, Contact.Decision.STRATEGY_DISCUSSION)
    listing = client.get("/refer/").content.decode()
    detail = client.get(detail_url).content.decode()
    assert ">Decided: Strategy discussion<" in listing
    assert ">Decided: Strategy discussion<" in detail
    assert "SECRET RATIONALE" not in detail and "SECRET RATIONALE" not in listing


def test_partner_never_sees_case_data(partner, la, social_worker):
    client = client_for(partner)
    _send(client)
    referral = PartnerReferral.objects.get()
    child = make_person(la, first_name="Kai", last_name="Brennan", nhs_number="9434765919")
    contact = referral.contact
    with __import__("hearth.audit.actor", fromlist=["acting_as"]).acting_as("test"):
        contact.child = child
        contact.screening_notes = "SCREENING NOTE: dad in prison"
        contact.screened_by = social_worker
        contact.save()
    contact_decide(contact)
    body = client.get(reverse("portal:detail", args=[referral.reference])).content.decode()
    for secret in ("SCREENING NOTE", "SECRET RATIONALE", child.hearth_id, "9434765919",
                   social_worker.get_full_name(), f"/children/{child.pk}/"):
        assert secret not in body
    assert "Decided: Early help" in body
    # Only initials in the list.
    listing = client.get("/refer/").content.decode()
    assert "KB" in listing and "Brennan" not in listing


def test_partner_cannot_see_another_partners_referral(la, partner):
    from tests.portal.factories import make_partner

    other = make_partner(la, first_name="Olu", email="olu@st-anns.sch.uk", partner_organisation="St Ann's")
    _send(client_for(other), what_happened="Other school's worry about another child")
    theirs = PartnerReferral.objects.get()
    client = client_for(partner)
    assert client.get(reverse("portal:detail", args=[theirs.reference])).status_code == 404
    assert client.get(reverse("portal:sent", args=[theirs.reference])).status_code == 404
    assert theirs.display_reference not in client.get("/refer/").content.decode()


def test_partner_of_another_council_cannot_see_it(la, other_la, partner):
    from tests.portal.factories import make_partner

    _send(client_for(partner))
    referral = PartnerReferral.objects.get()
    stranger = make_partner(other_la)
    assert client_for(stranger).get(reverse("portal:detail", args=[referral.reference])).status_code == 404


def test_staff_do_not_use_the_partner_pages(social_worker):
    client = client_for(social_worker)
    assert client.get("/refer/").status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, referral_post()).status_code == 403


def test_unknown_reference_is_404(partner):
    assert client_for(partner).get("/refer/ABCD-EFGH/").status_code == 404


CONFINEMENT = "hearth.portal.middleware.PartnerConfinementMiddleware"


def test_confinement_middleware_is_installed(settings):
    # Staff pages check case access themselves; this closes every one of them to partners at once.
    middleware = list(settings.MIDDLEWARE)
    assert CONFINEMENT in middleware
    assert middleware.index(CONFINEMENT) > middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")


@pytest.fixture
def confined(settings):
    if CONFINEMENT not in settings.MIDDLEWARE:
        auth = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
        settings.MIDDLEWARE = [*settings.MIDDLEWARE[: auth + 1], CONFINEMENT, *settings.MIDDLEWARE[auth + 1 :]]


def test_partner_cannot_reach_staff_pages(la, partner, confined):
    child = make_person(la)
    client = client_for(partner)
    for url in (f"/children/{child.pk}/", "/search/?q=Jordan", "/front-door/", "/search/export.csv?q=Jordan",
                f"/children/{child.pk}/chronology/", "/duplicates/", "/trays/", "/oversight/"):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert child.last_name not in response.content.decode(), url
    assert not AccessEvent.objects.filter(user=partner, action=AccessEvent.Action.VIEW).exists()


def test_partner_home_is_their_referrals(partner, confined):
    response = client_for(partner).get("/")
    assert response.status_code == 302 and response["Location"] == "/refer/"


def test_staff_are_not_confined(social_worker, confined):
    assert client_for(social_worker).get("/search/?q=Jordan").status_code == 200


def test_referral_stored_in_display_form_with_plain_text_answers_still_shows(partner):
    # As the synthetic council writes them: reference with its hyphen, concerns and consent as text.
    from django.utils import timezone

    from hearth.audit.actor import acting_as
    from hearth.front_door.services import contact_receive

    contact = contact_receive(local_authority=partner.local_authority, received_at=timezone.now(), channel="portal",
                              source="2A", concerns="Worried about Sam", consent="given", by="test")
    with acting_as("test"):
        PartnerReferral(local_authority=partner.local_authority, reference="WXYZ-2345", submitted_by=partner,
                        submitted_at=timezone.now(), contact=contact,
                        answers={"child": {"first_name": "Sam", "last_name": "Lowe"}, "concerns": "Worried about Sam",
                                 "consent": "given", "referrer": {"name": "Dana Lead", "role": "DSL"}}).save()
    client = client_for(partner)
    assert "WXYZ-2345" in client.get("/refer/").content.decode()
    body = client.get("/refer/WXYZ-2345/").content.decode()
    assert "Worried about Sam" in body and "Received" in body
    assert client.get("/refer/WXYZ2345/sent/").status_code == 200


def test_an_address_is_whole_or_absent_as_on_the_childs_record(partner):
    from hearth.portal.forms import ReferralForm

    part = ReferralForm(referral_post(town=""))
    assert not part.is_valid() and part.errors["town"] == ["Enter the town or city"]
    none = ReferralForm(referral_post(address_line_1="", town="", postcode=""))
    assert none.is_valid(), none.errors
