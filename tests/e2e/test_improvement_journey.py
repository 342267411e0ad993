"""The improvement programme, end to end (issue 8's must-show): the inspection and improvement manager opens the
improvement plan and an action, updates its status, RAG and progress, adds evidence (a document, then a link to
an indicator), goes to the next improvement board meeting, generates the board pack and opens the PDF; its first
two pages are rendered to PNG (journey8-board-pack-page1.png, page2.png). Every page passes axe; screenshots are
journey8-*.png.

The council is small and hand-built (tests/improvement/pack_factories.py), with three years of assessments whose
timeliness improves, so the action's impact chart and the board's indicators show a real trend."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pypdfium2 as pdfium
from dateutil.relativedelta import relativedelta

from tests.e2e.conftest import SCREENSHOTS, check_accessibility, screenshot, sign_in

ASSESSMENTS_A_MONTH = 5


def _assessments(la: Any, today: date) -> None:
    """Five assessments authorised a month for three years, the share within 45 working days rising from about
    half to four in five (what the action's impact chart and the board's timeliness row draw)."""
    from tests.indicators.compute_fixtures import make_assessment, make_episode

    months = 36
    first = today.replace(day=1) - relativedelta(months=months)
    for i in range(months):
        month = first + relativedelta(months=i)
        in_time = round(ASSESSMENTS_A_MONTH * (0.45 + 0.37 * i / (months - 1)))
        for n in range(ASSESSMENTS_A_MONTH):
            started = month + timedelta(days=n * 4)
            authorised = started + timedelta(days=40 if n < in_time else 95)
            if authorised >= today:
                continue
            episode = make_episode(la, started)
            make_assessment(episode, started, authorised)


def test_the_improvement_manager_updates_an_action_then_generates_and_opens_the_board_pack(
        page: Any, transactional_db: None) -> None:
    from django.utils import timezone

    from hearth.improvement.models import ActionEvidence, BoardPack, ImprovementAction
    from tests.factories import make_la
    from tests.improvement.pack_factories import CHILD_FIRST, CHILD_LAST, build_programme

    today = timezone.localdate()
    world = build_programme(make_la())
    _assessments(world.la, today)
    action = world.actions["1.2"]

    # The manager opens the plan, then the action.
    sign_in(page, world.manager.username)
    page.get_by_role("link", name="Improvement", exact=True).click()
    page.wait_for_url("**/improvement/")
    check_accessibility(page, "journey8-improvement-index")
    screenshot(page, "journey8-improvement-index")
    page.get_by_role("navigation", name="Improvement programme").get_by_role("link", name="Improvement plan").click()
    page.wait_for_url("**/improvement/plan/")
    check_accessibility(page, "journey8-plan")
    screenshot(page, "journey8-plan")
    page.get_by_role("link", name=re.compile("Assessments completed within 45 working days")).first.click()
    page.wait_for_url(f"**/improvement/actions/{action.pk}/")
    check_accessibility(page, "journey8-action")
    screenshot(page, "journey8-action")

    # Status, RAG and progress.
    page.get_by_role("button", name="Update progress").click()
    page.get_by_role("group", name="Status").get_by_label("In progress").check()
    page.get_by_role("group", name="RAG rating").get_by_label("Green: on track").check()
    page.get_by_label("Progress summary").fill(
        "Weekly performance clinics in every team since July; 71% of assessments were completed within 45 working "
        "days in October, up from 58% when the plan began.")
    check_accessibility(page, "journey8-action-update")
    screenshot(page, "journey8-action-update")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/improvement/actions/{action.pk}/")
    assert page.locator(".govuk-notification-banner--success").is_visible()
    action.refresh_from_db()
    assert (action.status, action.rag) == (ImprovementAction.Status.IN_PROGRESS, ImprovementAction.Rag.GREEN)

    # Evidence: an audit report uploaded, then the indicator itself linked.
    page.get_by_role("button", name="Add evidence").click()
    page.get_by_label("A document").check()
    page.get_by_label("File to upload").set_input_files(files=[{
        "name": "front-door-audit-october-2026.txt", "mimeType": "text/plain",
        "buffer": b"Front door audit, October 2026: 18 of 25 assessments completed within 45 working days.\n"}])
    page.get_by_label("What this shows").fill("October's front door audit: 18 of 25 assessments in time")
    check_accessibility(page, "journey8-evidence-document")
    screenshot(page, "journey8-evidence-document")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/improvement/actions/{action.pk}/")
    assert page.locator(".govuk-notification-banner--success").is_visible()

    page.get_by_role("button", name="Add evidence").click()
    page.get_by_label("A link to something in Hearth").check()
    link = page.get_by_label("What it links to")
    value = link.locator("option", has_text="Assessments completed within 45 working days").first.get_attribute(
        "value")
    link.select_option(value=value)
    page.get_by_label("What this shows").fill("Timeliness has risen every quarter since the clinics began")
    check_accessibility(page, "journey8-evidence-link")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/improvement/actions/{action.pk}/")
    kinds = set(ActionEvidence.objects.filter(action=action).values_list("kind", flat=True))
    assert {ActionEvidence.Kind.DOCUMENT, ActionEvidence.Kind.INDICATOR} <= kinds
    check_accessibility(page, "journey8-action-with-evidence")
    screenshot(page, "journey8-action-with-evidence")

    # The next board meeting: generate the pack (the test settings make it in the request), then open it.
    page.get_by_role("navigation", name="Improvement programme").get_by_role("link", name="Improvement board").click()
    page.wait_for_url("**/improvement/board/")
    check_accessibility(page, "journey8-board")
    screenshot(page, "journey8-board")
    page.get_by_role("link", name="Thursday 10 December 2026").click()
    page.wait_for_url(f"**/improvement/board/{world.meeting.pk}/")
    check_accessibility(page, "journey8-meeting-before")
    # Made in the request here (the tasks run at once in tests): a minute or so on a busy machine.
    with page.expect_navigation(timeout=240_000):
        page.get_by_role("button", name="Generate board pack").click(timeout=240_000)
    pack = BoardPack.objects.get(meeting=world.meeting)
    assert pack.status == BoardPack.Status.READY, pack.error
    opener = page.get_by_role("link", name=re.compile(r"Open the board pack \(PDF, \d+ pages\)"))
    assert opener.is_visible()
    check_accessibility(page, "journey8-meeting-pack-ready")
    screenshot(page, "journey8-meeting-pack-ready")

    href = opener.get_attribute("href")
    assert href
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    document = pdfium.PdfDocument(body)
    assert pack.pages is not None and len(document) == pack.pages > 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for n in (1, 2):
        document[n - 1].render(scale=1.6).to_pil().save(SCREENSHOTS / f"journey8-board-pack-page{n}.png")
    text = " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))
    assert "Improvement board pack — 10 December 2026" in text
    assert "Assessments completed within 45 working days" in text
    assert CHILD_FIRST not in text and CHILD_LAST not in text
