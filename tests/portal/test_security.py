"""Access and security in the partner portal: confinement, caching, rate limits, uploads and downloads."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from hearth.accounts.roles import Role
from hearth.portal import throttle
from hearth.portal.models import PartnerReferral
from hearth.portal.services import Document, partner_referral_submit
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.portal.factories import PDF_BYTES, make_partner, referral_post, upload
from tests.security_world import council_world, sweep

NEW = "/refer/new/"


def _answers() -> dict:
    return {
        "child": {"first_name": "Kai", "last_name": "Brennan", "date_of_birth": "2016-06-14", "sex": "M"},
        "carers": [], "concerns": {"what_happened": "Bruise", "immediate_risk": False},
        "consent": {"consent": "given"},
        "referrer": {"name": "Dana Lead", "job_title": "DSL", "organisation": "Hillside", "agency_type": "school",
                     "phone": "0115 876 5432", "email": "dsl@hillside.sch.uk"},
    }


def test_no_portal_page_may_be_kept_by_the_browser(partner):
    # Found in review: the portal's pages (a child's name, address and what happened to them) went out
    # with no Cache-Control, so a school's shared computer could show them again from its cache.
    client = client_for(partner)
    sent = client.post(NEW, referral_post())
    reference = PartnerReferral.objects.get().reference
    for response in (client.get("/refer/"), client.get(NEW), client.get(sent["Location"]),
                     client.get(reverse("portal:detail", args=[reference])), sent):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_partner_limit_holds_whatever_address_or_forwarding_header_is_sent(partner, monkeypatch):
    monkeypatch.setattr(throttle, "PER_USER_PER_HOUR", 2)
    client = client_for(partner)
    for n in range(2):
        assert client.post(NEW, referral_post(), REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    response = client.post(NEW, referral_post(), REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="192.0.2.77",
                           HTTP_X_REAL_IP="192.0.2.78")
    assert response.status_code == 429 and PartnerReferral.objects.count() == 2


def test_the_address_limit_is_not_lifted_by_a_forged_forwarding_header(la, monkeypatch):
    monkeypatch.setattr(throttle, "PER_ADDRESS_PER_HOUR", 2)
    for n in range(2):
        assert client_for(make_partner(la)).post(NEW, referral_post(),
                                                 HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 302
    forged = client_for(make_partner(la)).post(NEW, referral_post(), HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert forged.status_code == 429


@pytest.mark.parametrize(("name", "content"), [
    ("report.pdf", b"<html><script>alert(document.cookie)</script></html>"),
    ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ("letter.pdf", b"MZ\x90\x00\x03\x00\x00\x00 a Windows program"),
    ("page.html", PDF_BYTES),
    ("report.pdf.exe", PDF_BYTES),
])
def test_a_file_is_judged_by_its_content_and_name_together(partner, name, content):
    response = client_for(partner).post(NEW, {**referral_post(), "documents": [upload(name, content)]})
    assert response.status_code == 200 and "must be a PDF" in response.content.decode()
    assert not PartnerReferral.objects.exists()


def test_a_hostile_file_name_is_made_safe_in_the_download(partner):
    name = '..\\..\\windows\\"evil"\r\nSet-Cookie: session=stolen; x=<b>.pdf'
    referral = partner_referral_submit(user=partner, answers=_answers(), documents=[
        Document(name=name, size=len(PDF_BYTES), stream=io.BytesIO(PDF_BYTES))])
    attachment = referral.attachments.get()
    assert "\\" not in attachment.original_name and "/" not in attachment.original_name
    assert "\r" not in attachment.original_name and '"' not in attachment.original_name
    assert "windows" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    response = client_for(partner).get(reverse("portal:document", args=[attachment.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
    assert "Set-Cookie" not in response.cookies and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]


def test_a_document_is_not_found_by_anyone_but_its_sender_and_the_councils_staff(la, other_la):
    ours = council_world(la, prefix="Ours")
    theirs = council_world(other_la, prefix="Theirs")
    url = f"/refer/documents/{ours.attachment.pk}/"
    for user in (make_partner(la, email="other@school.sch.uk"), theirs.partner, theirs.social_worker,
                 theirs.manager, make_user(la, Role.PERFORMANCE_ANALYST), make_user(la, Role.SYSTEM_ADMIN)):
        assert sweep(client_for(user), [url], names=[], allowed=(403, 404, 405), methods=("GET",)) == [], user.role
    assert client_for(ours.partner).get(url).status_code == 200
    assert client_for(ours.social_worker).get(url).status_code == 200


@pytest.mark.parametrize("path", ["/refer/../children/{pk}/", "/static/../children/{pk}/", "/REFER/",
                                  "/children/{pk}/cin/", "/children/{pk}/protection/strategy/new/",
                                  "/oversight/children/{pk}/", "/trays/mine/", "/admin/", "/front-door/contacts/new/"])
def test_a_partner_cannot_step_outside_the_portal(la, partner, path):
    child = make_person(la, first_name="Zanzibar")
    client = client_for(partner)
    for response in (client.get(path.format(pk=child.pk)), client.post(path.format(pk=child.pk), {})):
        assert response.status_code in (403, 404, 405) and "Zanzibar" not in response.content.decode()


def test_staff_cannot_send_a_referral_as_a_partner(la, social_worker):
    response = client_for(social_worker).post(NEW, referral_post())
    assert response.status_code == 403 and not PartnerReferral.objects.exists()
