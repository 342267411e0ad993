"""Statutory returns, walked as a council does them: a performance analyst validates the CIN census and
finds two children sharing a UPN (the record lets a typo through; the census refuses it); the team
manager follows the Fix link to the child's identifiers and corrects it; the analyst checks again and the
finding is gone; then exports the SSDA903 and downloads the zip."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

from playwright.sync_api import expect

from hearth.accounts.roles import Role
from hearth.returns.models import ReturnRun
from tests.e2e.conftest import World, check_accessibility, screenshot, sign_in
from tests.factories import make_user
from tests.returns.run_factories import SHARED_UPN, a_upn, census_child, make_run


def sign_out(page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def look(page, name: str) -> None:
    screenshot(page, f"journey6-returns-{name}")
    check_accessibility(page, f"journey6-returns-{name}")


def test_an_analyst_validates_a_team_fixes_and_a_check_again_shows_it_gone(page, world: World):
    analyst = make_user(world.la, Role.PERFORMANCE_ANALYST, username="pat.analyst", first_name="Pat",
                        last_name="Osei", job_title="Performance analyst")
    first = census_child(world.la, team=world.team_a, worker=world.worker, first_name="Mia", last_name="Holt",
                         upn=SHARED_UPN)
    census_child(world.la, team=world.team_a, worker=world.worker, first_name="Leah", last_name="Holt",
                 upn=SHARED_UPN, date_of_birth=date(2013, 9, 30))
    # A restricted child in another team: counted, never named.
    census_child(world.la, team=world.team_b, first_name="Alexis", last_name="Marchetti", level="restricted",
                 upn="")

    # The analyst opens Returns from the menu.
    sign_in(page, analyst.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Returns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statutory returns")
    expect(page.get_by_label("Collection year").first).to_have_value("2026")
    look(page, "01-returns")

    # A return still running shows its progress bar, and the page reloads itself when it finishes.
    running = make_run(world.la, analyst, kind="ssda903", year=2025, status=ReturnRun.Status.RUNNING, progress=40,
                       stage="Reading episodes")
    page.goto(f"/returns/runs/{running.pk}/")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "40")
    expect(page.get_by_text("Reading episodes")).to_be_visible()
    look(page, "02-progress")
    running.status, running.progress, running.stage = ReturnRun.Status.DONE, 100, "Finished"
    running.save()
    expect(page.get_by_role("heading", name=re.compile("^Findings"))).to_be_visible(timeout=5_000)
    expect(page.get_by_role("progressbar")).to_have_count(0)

    # Validate the CIN census 2025/26.
    page.goto("/returns/")
    page.get_by_role("button", name="Validate CIN census").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CIN census 2025/26")
    findings = page.get_by_role("table")
    same_upn = findings.get_by_role("row").filter(has_text="More than one record with the same UPN.")
    expect(same_upn).to_have_count(2)
    expect(same_upn.first).to_contain_text("1520")
    expect(same_upn.first).to_contain_text("Error")
    expect(same_upn.first).to_contain_text("Safeguarding North")
    expect(findings).to_contain_text("A restricted record")
    for name in ("Holt", "Marchetti", "Alexis"):
        expect(page.get_by_text(name)).to_have_count(0)
    look(page, "03-findings")
    page.get_by_label("Rule", exact=True).select_option("1520")
    page.get_by_role("button", name="Filter findings").click()
    expect(page.get_by_role("heading", name="Findings (2 matching the filters)")).to_be_visible()
    check_accessibility(page, "journey6-returns-03b-filtered")
    run_url = page.url.split("?")[0]
    sign_out(page)

    # The team manager reads their team's findings and follows the link to where it is fixed.
    sign_in(page, world.manager_a.username)
    page.goto(run_url)
    expect(page.get_by_role("heading", name="Findings about children your team holds (2)")).to_be_visible()
    expect(page.get_by_text("A restricted record")).to_have_count(0)
    look(page, "04-team-findings")
    page.get_by_role("link", name=f"Fix rule 1520 for child {first.hearth_id}").click()
    expect(page).to_have_url(re.compile(f"/children/{first.pk}/identifiers/$"))
    upn = page.get_by_label("Unique pupil number (UPN)")
    expect(upn).to_have_value(SHARED_UPN)
    upn.fill(a_upn(world.la))
    look(page, "05-fix")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page).to_have_url(re.compile(f"/children/{first.pk}/$"))
    expect(page.get_by_text(re.compile("saved"))).to_be_visible()
    check_accessibility(page, "journey6-returns-05b-saved")
    sign_out(page)

    # The analyst checks again: the finding is gone.
    sign_in(page, analyst.username)
    page.goto(run_url)
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CIN census 2025/26")
    expect(page).not_to_have_url(run_url)
    expect(page.get_by_text("More than one record with the same UPN.")).to_have_count(0)
    expect(page.get_by_role("table").first).to_be_visible()
    look(page, "06-checked-again")

    # Export the SSDA903 2025/26 and download the zip of its tables.
    page.goto("/returns/")
    page.get_by_label("Collection year").nth(1).select_option("2026")
    page.get_by_role("button", name="Export SSDA903").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SSDA903 2025/26")
    download_button = page.get_by_role("button", name=re.compile("^Download ssda903_"))
    expect(download_button).to_be_visible()
    look(page, "07-export")
    with page.expect_download() as downloading:
        download_button.click()
    download = downloading.value
    assert re.fullmatch(r"ssda903_\d{3}_2025_26\.zip", download.suggested_filename)
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        assert archive.read("header.csv").decode().splitlines()[0] == "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
    # The year under way can be checked too, and says plainly that it is provisional.
    page.goto("/returns/")
    ssda903_year = page.get_by_label("Collection year").nth(1)
    expect(ssda903_year).to_have_value("2026")
    ssda903_year.select_option("2027")
    page.get_by_role("button", name="Validate SSDA903").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SSDA903 2026/27")
    expect(page.get_by_text("Provisional: the year ends 31 March 2027")).to_be_visible()
    look(page, "08-provisional")

    page.goto("/returns/")
    expect(page.get_by_role("row").filter(has_text="SSDA903 2025/26 export")).to_contain_text("Finished")
    expect(page.get_by_role("row").filter(has_text="SSDA903 2026/27 validation")).to_contain_text("Provisional")
    look(page, "09-recent-runs")
