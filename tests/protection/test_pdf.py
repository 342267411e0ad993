"""The conference report, the plan and the family's plain-language plan as PDFs, each logged as a print."""

from __future__ import annotations

import subprocess
from pathlib import Path

from hearth.access.models import AccessEvent
from hearth.protection import services
from tests.conftest import client_for

from .factories import plan_for


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _get_pdf(client, url: str):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    return response


def test_the_three_documents_render_and_each_is_logged_as_a_print(child, social_worker, team_manager, chair,
                                                                    tmp_path):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    services.cp_plan_update(plan=plan, outline_plan="Mum to attend the parenting course by March.",
                            family_summary="Mum will go to a parenting course.", visit_interval_days=None,
                            by=social_worker)
    conference = plan.conferences.get()
    client = client_for(social_worker)
    base = f"/children/{child.pk}/protection/"

    report = _get_pdf(client, f"{base}conferences/{conference.pk}/pdf/")
    assert report["Content-Disposition"].startswith(f'inline; filename="conference-report-{child.hearth_id}-')
    text = pdf_text(report.content, tmp_path)
    assert "OFFICIAL-SENSITIVE" in text and "Initial child protection conference" in text and "Neglect" in text

    text = pdf_text(_get_pdf(client, f"{base}plans/{plan.pk}/pdf/").content, tmp_path)
    assert "Child protection plan" in text and "parenting course by March" in text and "First review" in text

    text = pdf_text(_get_pdf(client, f"{base}plans/{plan.pk}/family-pdf/").content, tmp_path)
    assert "The plan to keep Casey safe" in text and "Mum will go to a parenting course." in text
    assert "OFFICIAL-SENSITIVE" not in text and "section 47" not in text.lower()

    prints = AccessEvent.objects.filter(person=child, user=social_worker, action=AccessEvent.Action.PRINT)
    assert prints.count() == 3
    assert not AccessEvent.objects.filter(person=child, action=AccessEvent.Action.VIEW).exists()


def test_a_repeat_plan_says_so_in_print(child, social_worker, team_manager, chair, tmp_path):
    plan = plan_for(child, chair=chair, manager=team_manager, by=social_worker)
    plan.previous_plans = 2
    plan.save(by="test")
    response = _get_pdf(client_for(social_worker), f"/children/{child.pk}/protection/plans/{plan.pk}/pdf/")
    assert "Second or subsequent plan" in pdf_text(response.content, tmp_path)
