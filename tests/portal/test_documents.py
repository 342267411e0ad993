from __future__ import annotations

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.access.models import AccessEvent
from hearth.access.services import person_set_access_level
from hearth.accounts.roles import Role
from hearth.audit.actor import acting_as
from hearth.front_door.models import Contact
from hearth.front_door.services import contact_receive
from hearth.people.models import Person
from hearth.portal.models import PartnerReferral
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.portal.factories import PDF_BYTES, PNG_BYTES, make_partner, referral_post, upload


def _referral_with_documents(partner) -> PartnerReferral:
    files = [upload("body map.pdf", PDF_BYTES), upload("bruise.png", PNG_BYTES, "image/png")]
    assert client_for(partner).post("/refer/new/", {**referral_post(), "documents": files}).status_code == 302
    return PartnerReferral.objects.get()


def test_partner_downloads_their_own_document(partner):
    referral = _referral_with_documents(partner)
    attachment = referral.attachments.first()
    response = client_for(partner).get(reverse("portal:document", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="body map.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_other_partner_cannot_download(la, partner):
    attachment = _referral_with_documents(partner).attachments.first()
    other = make_partner(la, email="x@y.sch.uk")
    assert client_for(other).get(reverse("portal:document", args=[attachment.pk])).status_code == 404


def test_staff_download_while_child_unknown_is_not_logged_against_anyone(partner, social_worker):
    attachment = _referral_with_documents(partner).attachments.first()
    assert client_for(social_worker).get(reverse("portal:document", args=[attachment.pk])).status_code == 200
    assert not AccessEvent.objects.exists()


def test_staff_download_of_a_known_childs_document_is_logged(la, partner, social_worker):
    referral = _referral_with_documents(partner)
    child = make_person(la)
    contact = referral.contact
    with acting_as("test"):
        contact.child = child
        contact.save()
    attachment = referral.attachments.first()
    assert client_for(social_worker).get(reverse("portal:document", args=[attachment.pk])).status_code == 200
    event = AccessEvent.objects.get()
    assert (event.person, event.user, event.action) == (child, social_worker, AccessEvent.Action.EXPORT)


def test_restricted_childs_documents_stay_restricted(la, partner, social_worker, team_manager):
    referral = _referral_with_documents(partner)
    child = make_person(la)
    person_set_access_level(person=child, level=Person.AccessLevel.RESTRICTED, reason="Adoption", by=team_manager)
    contact = referral.contact
    with acting_as("test"):
        contact.child = child
        contact.save()
    url = reverse("portal:document", args=[referral.attachments.first().pk])
    assert client_for(social_worker).get(url).status_code == 404
    assert client_for(team_manager).get(url).status_code == 200  # allow-listed when restricting


def test_other_roles_and_councils_cannot_download(la, other_la, partner):
    url = reverse("portal:document", args=[_referral_with_documents(partner).attachments.first().pk])
    analyst = make_user(la, Role.PERFORMANCE_ANALYST)
    stranger = make_user(other_la, Role.SOCIAL_WORKER)
    assert client_for(analyst).get(url).status_code == 404
    assert client_for(stranger).get(url).status_code == 404


def test_documents_are_not_served_from_media_url(la, partner):
    attachment = _referral_with_documents(partner).attachments.first()
    staff = make_user(la, Role.TEAM_MANAGER)
    assert client_for(staff).get(f"/documents/{attachment.file.name}").status_code == 404
    # A partner is confined to the portal before any URL is resolved.
    assert client_for(partner).get(f"/documents/{attachment.file.name}").status_code == 403


# ------------------------------------------------------------------------------------------------ on the contact page

PARTIAL = Template('{% include "portal/_referral_on_contact.html" with contact=contact %}')


def test_contact_partial_names_the_referrer_and_lists_documents(partner):
    referral = _referral_with_documents(partner)
    contact = Contact.objects.get(pk=referral.contact_id)
    with CaptureQueriesContext(connection) as queries:
        html = PARTIAL.render(Context({"contact": contact}))
    assert len(queries) <= 2
    assert "Submitted online by Dana Lead, Hillside Primary School on" in html
    assert f"reference <strong>{referral.display_reference}</strong>" in html
    for attachment in referral.attachments.all():
        assert reverse("portal:document", args=[attachment.pk]) in html
    assert "body map.pdf" in html and "bruise.png" in html


def test_contact_partial_uses_what_the_page_loaded(partner):
    _referral_with_documents(partner)
    contact = (
        Contact.objects.select_related("partner_referral").prefetch_related("partner_referral__attachments").get()
    )
    with CaptureQueriesContext(connection) as queries:
        html = PARTIAL.render(Context({"contact": contact}))
    assert len(queries) == 0
    assert "body map.pdf" in html


def test_contact_partial_is_silent_for_other_contacts(la, social_worker):
    from django.utils import timezone

    contact = contact_receive(local_authority=la, received_at=timezone.now(), channel="phone", source="1A",
                              concerns="Neighbour worried", consent="given", by=social_worker)
    with CaptureQueriesContext(connection) as queries:
        html = PARTIAL.render(Context({"contact": contact}))
    assert html.strip() == "" and len(queries) == 0
