"""A school's DSL refers a pupil online: a mistake and a wrong file are caught, nothing typed is lost,
the reference comes at once, and the status follows the front door's work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.conftest import check_accessibility, screenshot, sign_in
from tests.portal.factories import PDF_BYTES, contact_decide, contact_screening


def test_dsl_refers_a_pupil(page: Any, transactional_db: None, tmp_path: Path) -> None:
    from hearth.portal.models import PartnerReferral
    from tests.factories import make_la
    from tests.portal.factories import make_partner

    la = make_la()
    make_partner(la, username="dana.lead")
    body_map = tmp_path / "body map.pdf"
    body_map.write_bytes(PDF_BYTES)
    program = tmp_path / "photo.png"
    program.write_bytes(b"MZ\x90\x00 not an image")

    sign_in(page, "dana.lead", next_url="/refer/new/")
    page.wait_for_url("**/refer/new/")
    assert page.get_by_label("Your full name").input_value() == "Dana Lead"
    assert page.get_by_label("Your organisation").input_value() == "Hillside Primary School"
    check_accessibility(page, "portal-new")
    screenshot(page, "portal-01-new")

    page.get_by_label("First name").first.fill("Kai")
    page.get_by_label("Day", exact=True).fill("14")
    page.get_by_label("Month", exact=True).fill("6")
    page.get_by_label("Year", exact=True).fill("2016")
    page.get_by_role("group", name="Sex").get_by_label("Male", exact=True).check()
    page.get_by_label("Address line 1").fill("12 Elm Grove")
    page.get_by_label("Town or city").fill("Nottingham")
    page.get_by_label("Postcode").fill("ng7 1ab")
    page.get_by_role("group", name="interpreter").get_by_label("No", exact=True).check()
    page.get_by_label("What has happened and why are you worried?").fill(
        "Kai came to school with a bruise on his cheek and said his mum's boyfriend hit him.")
    page.get_by_label("When did it happen, or when did you find out?").fill("This morning at 8:45")
    page.get_by_label("What has the child said?").fill("Dean hit me because I spilled my cereal")
    page.get_by_role("group", name="immediate risk").get_by_label("No", exact=True).check()
    page.get_by_label("Yes, and the family agreed to this referral").check()
    page.get_by_label("Your job title").fill("Designated safeguarding lead")
    page.get_by_label("What kind of organisation is it?").select_option("school")
    page.get_by_label("Your telephone number").fill("0115 876 5432")
    page.get_by_label("Attach documents (optional)").set_input_files([str(body_map), str(program)])
    page.get_by_role("button", name="Send referral").click()

    # The last name was missed and one file is not what it claims: both said, the rest kept.
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter the child's last name" in summary.inner_text()
    assert "photo.png must be a PDF, Word document (DOCX), JPG or PNG" in summary.inner_text()
    assert page.get_by_label("What has the child said?").input_value() == "Dean hit me because I spilled my cereal"
    assert page.get_by_label("body map.pdf").is_checked()
    check_accessibility(page, "portal-new-errors")
    screenshot(page, "portal-02-errors")

    page.get_by_label("Last name").first.fill("Brennan")
    page.get_by_role("button", name="Send referral").click()
    page.wait_for_url("**/sent/")
    reference = PartnerReferral.objects.get().display_reference
    assert page.locator("[data-reference]").inner_text() == reference
    check_accessibility(page, "portal-sent")
    screenshot(page, "portal-03-sent")

    referral = PartnerReferral.objects.get()
    assert [a.original_name for a in referral.attachments.all()] == ["body map.pdf"]
    contact_screening(referral.contact)
    referral.contact.refresh_from_db()
    contact_decide(referral.contact)
    page.goto("/refer/")
    assert "Decided: Early help" in page.locator("table").inner_text()
    check_accessibility(page, "portal-list")
    screenshot(page, "portal-04-list")
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(f"**/refer/{referral.reference}/")
    assert page.locator("[data-status]").inner_text() == "Decided: Early help"
    check_accessibility(page, "portal-detail")
    screenshot(page, "portal-05-detail")
