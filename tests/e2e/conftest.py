"""Browser journeys: headless Chromium (Debian's, never a downloaded build) driving a live server.

Every test in this folder is marked ``e2e``. Helpers here are imported by the test modules:
``check_accessibility`` (axe-core, fails on serious or critical violations), ``screenshot``
(full-page PNGs in test-results/screenshots/), ``sign_in`` and ``fill_date``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; without this Django's ORM refuses
# to run here (SynchronousOnlyOperation) when a test builds its data.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = REPO_ROOT / "test-results"
SCREENSHOTS = RESULTS / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Skipping is only for a developer machine without Chromium; in CI a missing browser must fail.
    skip = None
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        skip = pytest.mark.skip(
            reason=f"{CHROMIUM} is not installed (apt-get install chromium, or run scripts/setup-system.sh)"
        )
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            if skip is not None:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (cookies, storage) per test, pointed at the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,  # so axe can be injected; the app's own scripts still load from 'self'
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.js_errors = errors
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def fill_date(page: Any, legend: str | re.Pattern[str], day: date) -> None:
    """Type ``day`` into the GOV.UK date input whose legend contains ``legend`` (plain text, or a pattern)."""
    name = legend if isinstance(legend, re.Pattern) else re.compile(re.escape(legend))
    group = page.get_by_role("group", name=name)
    for label, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        group.get_by_label(label, exact=True).fill(str(value))


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG (the full page unless told otherwise) as test-results/screenshots/<name>.png.

    Use ``full_page=False`` for a modal dialog: its backdrop covers the viewport only, so a
    full-page capture shows the page below it undimmed, which is not what a person sees.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (name if name.endswith(".png") else f"{name}.png")
    page.screenshot(path=str(path), full_page=full_page)
    return path


def _describe(violation: dict[str, Any]) -> str:
    nodes = "; ".join(
        " ".join(str(part) for part in node.get("target", [])) for node in violation.get("nodes", [])
    )
    return f"- [{violation['impact']}] {violation['id']}: {violation['help']} -> {nodes}"


def check_accessibility(page: Any, name: str, *, fail: bool = True) -> list[str]:
    """Run axe-core (WCAG 2.2 AA tags) on the page; fail on any serious or critical violation.

    Every violation, whatever its impact, is written to test-results/axe/<name>.json. With
    ``fail=False`` the serious and critical ones are returned, described, instead of failing, so
    a test visiting several pages can report them all at the end.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = result["violations"]
    report_dir = RESULTS / "axe"
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / f"{name.removesuffix('.png')}.json").write_text(
        json.dumps(
            [
                {"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "targets": [node["target"] for node in v["nodes"]]}
                for v in violations
            ],
            indent=2,
        )
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if not blocking:
        return []
    described = [f"Accessibility violations on {name} ({page.url}):", *(_describe(v) for v in blocking)]
    if fail:
        pytest.fail("\n".join(described), pytrace=False)
    return described


def totp_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(page: Any, username: str, *, device: TOTPDevice | None = None, next_url: str = "") -> None:
    """Sign in through the form, as a person would; with a device, give the security code too."""
    page.goto("/accounts/sign-in/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    if device is not None:
        page.wait_for_url("**/accounts/sign-in/code/")
        page.get_by_label("Security code").fill(totp_now(device))
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


# ---------------------------------------------------------------- a small council to walk through

BREAK_GLASS_REASON = (
    "Police called at 2am about an incident at the home; I am the duty worker and need the history "
    "to plan tonight's visit"
)


class World:
    """Two teams of one council: the social worker in team A, a restricted child in team B."""

    def __init__(self) -> None:
        from datetime import date

        from hearth.accounts.models import Team
        from hearth.accounts.roles import Role
        from hearth.allocations.services import allocation_start
        from hearth.people.models import Person
        from tests.factories import make_la, make_person, make_team, make_user

        self.la = make_la()
        self.team_a = make_team(self.la, "Safeguarding North")
        self.worker = make_user(self.la, Role.SOCIAL_WORKER, self.team_a, username="sam.okafor",
                                first_name="Sam", last_name="Okafor", job_title="Social worker")
        self.manager_a = make_user(self.la, Role.TEAM_MANAGER, self.team_a, username="ruth.evans",
                                   first_name="Ruth", last_name="Evans")
        self.device = TOTPDevice.objects.create(user=self.worker, name="Authenticator app", confirmed=True)
        self.children = [
            make_person(self.la, first_name="Jordan", last_name="Whitfield", date_of_birth=date(2015, 3, 27)),
            make_person(self.la, first_name="Kai", last_name="Brennan", date_of_birth=date(2018, 11, 2), sex="M"),
        ]
        for child in self.children:
            allocation_start(child=child, team=self.team_a, worker=self.worker, started_on=date(2025, 1, 6),
                             by="test")

        self.team_b = make_team(self.la, "Children in Care East", kind=Team.Kind.CHILDREN_IN_CARE)
        self.manager_b = make_user(self.la, Role.TEAM_MANAGER, self.team_b, username="priya.shah",
                                   first_name="Priya", last_name="Shah")
        self.worker_b = make_user(self.la, Role.SOCIAL_WORKER, self.team_b, username="tom.hughes",
                                  first_name="Tom", last_name="Hughes")
        self.restricted = make_person(self.la, Person.AccessLevel.RESTRICTED, first_name="Alexis",
                                      last_name="Marchetti", date_of_birth=date(2012, 7, 14))
        allocation_start(child=self.restricted, team=self.team_b, worker=self.worker_b,
                         started_on=date(2024, 9, 2), by="test")


@pytest.fixture(autouse=True)
def national_calendar(transactional_db: None) -> None:
    """The bank holidays the migration seeds: a browser test's database is flushed after each test,
    and every clock in a journey needs the real calendar."""
    from hearth.clocks.models import BankHoliday
    from hearth.clocks.seeding import DEFAULT_YEARS, add_missing

    add_missing(BankHoliday, DEFAULT_YEARS)


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()
