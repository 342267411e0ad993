"""A foster enquiry reaches approval: a fostering social worker records the enquiry, the initial visit, both
assessment stages, the panel and the agency decision, and the household appears on the register with its
terms of approval and a vacancy. Every page visited is checked with axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hearth.fostering.models import FosterHousehold
from tests.e2e.conftest import check_accessibility, fill_date, screenshot, sign_in


def shot(page, n: int, name: str) -> None:
    screenshot(page, f"journey5-fostering-{n:02d}-{name}")
    check_accessibility(page, f"journey5-fostering-{n:02d}-{name}")


@pytest.fixture
def fostering_worker(transactional_db):
    from tests.factories import make_la
    from tests.fostering.factories import make_fostering_worker

    la = make_la()
    return make_fostering_worker(la, username="fran.foster", first_name="Fran", last_name="Foster")


def test_a_foster_enquiry_reaches_approval_and_the_register(page, fostering_worker):
    today = timezone.localdate()
    d = [today - timedelta(days=120) + timedelta(days=12 * i) for i in range(10)]
    sign_in(page, fostering_worker.username)
    page.get_by_role("link", name="Fostering", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fostering enquiries and assessments")
    shot(page, 1, "board-empty")

    # The enquiry: sent with no applicant, every problem shows; then put right.
    page.get_by_role("button", name="Record an enquiry").click()
    page.get_by_label("How the household is known").fill("Adeyemi household")
    fill_date(page, "Date of the enquiry", d[0])
    page.get_by_label("Connected person (family or friends) carers").check()
    page.get_by_label("Information event").check()
    page.get_by_label("Postcode").fill("ng7 2rd")
    page.get_by_role("button", name="Save enquiry").click()
    expect(page.get_by_role("alert").get_by_text("There is a problem")).to_be_visible()
    expect(page.locator("#id_applicant_1_first_name-error")).to_contain_text("first name and last name")
    expect(page.get_by_label("How the household is known")).to_have_value("Adeyemi household")
    shot(page, 2, "enquiry-refused")
    page.get_by_label("First applicant's first name").fill("Bola")
    page.get_by_label("First applicant's last name").fill("Adeyemi")
    page.get_by_label("Second applicant's first name").fill("Tunde")
    page.get_by_label("Second applicant's last name").fill("Adeyemi")
    page.get_by_label("Phone number").fill("0115 496 0123")
    page.get_by_role("button", name="Save enquiry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adeyemi household")
    expect(page.get_by_text("Bola Adeyemi")).to_be_visible()
    shot(page, 3, "household-enquiry")

    # Initial visit: a date before the enquiry is refused beside the date, the choices kept.
    page.get_by_role("button", name="Record the initial visit").click()
    fill_date(page, "Date of the initial visit", d[0] - timedelta(days=2))
    page.get_by_label("Who visited").select_option(label="Fran Foster")
    page.get_by_label("Proceed to an assessment").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_visited_on-error")).to_contain_text("cannot be before the enquiry")
    expect(page.get_by_label("Proceed to an assessment")).to_be_checked()
    shot(page, 4, "initial-visit-refused")
    fill_date(page, "Date of the initial visit", d[1])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Initial visit recorded")).to_be_visible()

    page.get_by_role("button", name="Start assessment stage 1").click()
    fill_date(page, "Date the stage started", d[2])
    page.get_by_role("button", name="Save").click()

    page.get_by_role("button", name="Record the end of stage 1 and its checks").click()
    fill_date(page, "Date stage 1 ended", d[3])
    for check in ("Enhanced DBS check", "Local authority checks", "Medical", "Personal references"):
        page.get_by_label(check, exact=True).check()
    page.get_by_label("Proceed to stage 2").check()
    shot(page, 5, "stage-1-checks")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("button", name="Start assessment stage 2").click()
    fill_date(page, "Date stage 2 started", d[4])
    page.get_by_label("Assessing social worker").select_option(label="Fran Foster")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("button", name="Record the completed Form F assessment").click()
    fill_date(page, "Date the Form F assessment was completed", d[5])
    page.get_by_role("button", name="Save").click()

    page.get_by_role("button", name="Record the fostering panel").click()
    fill_date(page, "Date of the fostering panel", d[6])
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Terms of approval recommended").fill("Two children aged 0 to 8, short-term and respite")
    shot(page, 6, "panel")
    page.get_by_role("button", name="Save").click()

    # The agency decision: approving without terms is refused; then approved on terms.
    page.get_by_role("button", name="Record the agency decision").click()
    decided = d[6] + timedelta(days=7)  # within 7 working days of the panel
    fill_date(page, "Date of the decision", decided)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_places-error")).to_contain_text("Enter the number of children")
    expect(page.locator("#id_care_types-error")).to_contain_text("Choose the types of care")
    shot(page, 7, "decision-refused")
    page.get_by_label("Number of children").fill("2")
    page.get_by_label("Youngest age").fill("0")
    page.get_by_label("Oldest age").fill("8")
    page.get_by_label("Short-term", exact=True).check()
    page.get_by_label("Short breaks (respite)").check()
    page.get_by_label("Supervising social worker").select_option(label="Fran Foster")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Agency decision recorded")).to_be_visible()
    expect(page.get_by_text("Up to 2 children, aged 0 to 8")).to_be_visible()
    shot(page, 8, "household-approved")

    # A vacancy within the approval.
    page.get_by_role("button", name="Offer a vacancy").click()
    page.get_by_label("Number of places").fill("2")
    page.get_by_label("Babies").check()
    page.get_by_label("Sibling groups").check()
    fill_date(page, "Available from", today)
    page.get_by_role("button", name="Save vacancy").click()
    expect(page.get_by_role("alert").get_by_text("Vacancy offered")).to_be_visible()

    # On the register with its terms, places and next review; and in the vacancies.
    page.get_by_role("link", name="Register of carers").click()
    row = page.get_by_role("row").filter(has_text="Adeyemi household")
    expect(row).to_contain_text("Ages 0 to 8")
    expect(row).to_contain_text("Short-term, Short breaks (respite)")
    approved_on = decided
    expect(row).to_contain_text(f"{approved_on.day} {approved_on:%b} {approved_on.year + 1}")
    shot(page, 9, "register")
    page.get_by_role("link", name="Vacancies").click()
    expect(page.get_by_role("row").filter(has_text="Adeyemi household")).to_contain_text("Sibling groups, Babies")
    shot(page, 10, "vacancies")
    page.get_by_role("link", name="Recruitment and retention").click()
    expect(page.get_by_role("img", name=re.compile("This year"))).to_be_visible()
    shot(page, 11, "recruitment")

    household = FosterHousehold.objects.get(name="Adeyemi household")
    assert household.stage == FosterHousehold.Stage.APPROVED and household.approved_on == approved_on
    assert household.approved_places == 2 and household.kind == "connected" and household.postcode == "NG7 2RD"


def test_a_child_is_matched_to_a_vacancy_and_an_adoptive_family_is_recorded(page, fostering_worker):
    from hearth.accounts.roles import Role
    from hearth.fostering import services
    from tests.factories import make_person, make_user
    from tests.fostering.factories import approved_household

    today = timezone.localdate()
    la = fostering_worker.local_authority
    household = approved_household(la, fostering_worker, enquiry_on=today - timedelta(days=200), postcode="NG7 1AA")
    assert household.approved_on is not None
    services.foster_vacancy_open(household=household, places=2, age_from=0, age_to=10,
                                 care_types=["short_term", "long_term"], needs=["siblings"],
                                 available_from=household.approved_on, by=fostering_worker)
    social_worker = make_user(la, Role.SOCIAL_WORKER, username="sam.worker", first_name="Sam", last_name="Worker")
    child = make_person(la, first_name="Mia", last_name="Stone", date_of_birth=today - timedelta(days=365 * 7))

    # The child's social worker asks for a placement.
    sign_in(page, social_worker.username, next_url=f"/fostering/children/{child.pk}/placement-request/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a foster placement")
    fill_date(page, "Date the placement is needed from", today + timedelta(days=2))
    page.get_by_label("Urgent (within a week)").check()
    page.get_by_label("Short-term", exact=True).check()
    page.get_by_label("Number of children").fill("1")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Postcode where the child lives now").fill("NG7 2RD")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#id_siblings_together-error")).to_contain_text("more than one child")
    expect(page.get_by_label("Postcode where the child lives now")).to_have_value("NG7 2RD")
    shot(page, 12, "request-refused")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mia Stone needs a foster placement")

    # The fostering team sees the vacancies that fit, with the reasons, and matches one.
    page.context.clear_cookies()
    sign_in(page, fostering_worker.username, next_url="/fostering/placement-requests/")
    shot(page, 13, "requests")
    page.get_by_role("link", name="Mia Stone").click()
    expect(page.get_by_text("Age 7 is within 0 to 10")).to_be_visible()
    expect(page.get_by_text("Same postcode district (NG7)")).to_be_visible()
    shot(page, 14, "request-candidates")
    page.get_by_role("button", name="Match with Patel household").click()
    expect(page.get_by_role("alert").get_by_text("Matched with Patel household")).to_be_visible()
    shot(page, 15, "request-matched")

    # A prospective adoptive family, and Annex A List 11.
    page.get_by_role("link", name="Prospective adopters").click()
    page.get_by_role("button", name="Record an enquiry").click()
    page.get_by_label("How the family is known").fill("Okoro family")
    fill_date(page, "Date of the enquiry", today - timedelta(days=30))
    page.get_by_label("Website or online form").check()
    page.get_by_label("No", exact=True).check()
    page.get_by_label("First adopter's first name").fill("Tola")
    page.get_by_label("First adopter's last name").fill("Okoro")
    page.get_by_label("First adopter's gender").select_option(label="Female")
    page.get_by_label("First adopter's ethnicity").select_option(label="African")
    shot(page, 16, "adopter-enquiry")
    page.get_by_role("button", name="Save enquiry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Okoro family")
    page.get_by_role("button", name="Record the registration of interest").click()
    fill_date(page, "Date registration of interest was accepted", today - timedelta(days=20))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Start stage 1")).to_be_visible()
    shot(page, 17, "adopter")
    page.get_by_role("link", name="Back to prospective adopters").click()
    shot(page, 18, "adopters")
    page.get_by_role("link", name="Annex A List 11 (adopters)").click()
    expect(page.get_by_role("cell", name="b) Female")).to_be_visible()
    shot(page, 19, "list-11")
