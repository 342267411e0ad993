from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.allocations.services import allocation_start
from hearth.workspace.models import FormDraft
from tests.conftest import client_for
from tests.factories import make_person


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_reports_an_unreachable_database(client, db):
    with mock.patch("hearth.workspace.views.connection") as broken:
        broken.cursor.side_effect = RuntimeError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def test_my_work_lists_my_children_in_a_fixed_number_of_queries(la, team, social_worker):
    client = client_for(social_worker)

    def queries_with(children: int) -> int:
        for _ in range(children):
            child = make_person(la, first_name="Casey")
            allocation_start(child=child, team=team, worker=social_worker, started_on=child.date_of_birth, by="test")
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/")
        assert page.status_code == 200
        return len(ctx.captured_queries)

    few, many = queries_with(2), queries_with(20)
    assert few == many
    assert many <= 14  # with the two case-audit counts
    assert client.get("/").content.decode().count("Casey") == 22


def test_a_draft_is_saved_and_restored_after_a_timeout(la, social_worker):
    child = make_person(la, first_name="Jamie")
    client = client_for(social_worker)
    key = f"person-details-{child.pk}"
    saved = client.post("/drafts/save/", {"draft_key": key, "first_name": "Jaime", "csrfmiddlewaretoken": "x",
                                          "version": "1"})
    assert saved.json()["saved"] is True
    assert FormDraft.objects.get(user=social_worker, key=key).data == {"first_name": ["Jaime"], "version": ["1"]}

    client.get("/accounts/signed-out/")  # the idle timer ran out
    assert client.post("/drafts/save/", {"draft_key": key}).status_code == 401
    client.force_login(social_worker)
    page = client.get(f"/children/{child.pk}/details/").content.decode()
    assert 'value="Jaime"' in page and "We restored the changes you had not saved" in page


def test_keepalive_needs_a_session(client, db):
    assert client.post("/session/keepalive/").status_code == 401


def test_notifications_page_lists_alerts_in_a_fixed_number_of_queries(la, social_worker):
    from hearth.workspace.services import notification_send

    client = client_for(social_worker)
    notification_send(recipient=social_worker, title="First alert")
    with CaptureQueriesContext(connection) as few:
        assert "First alert" in client.get("/notifications/").content.decode()
    for i in range(10):
        notification_send(recipient=social_worker, title=f"Alert {i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/notifications/")
    assert len(few.captured_queries) == len(many.captured_queries)


def test_missing_pages_keep_the_council_layout(social_worker):
    response = client_for(social_worker).get("/children/999999/")
    page = response.content.decode()
    assert response.status_code == 404 and "Page not found" in page and "Go to my work" in page


def test_signing_out_lands_on_a_page_that_can_be_refreshed(social_worker):
    client = client_for(social_worker)
    response = client.post("/accounts/sign-out/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/signed-out/?reason=signed-out"
    assert "You have signed out" in response.content.decode()


def test_signed_in_pages_may_not_be_kept_by_a_browser_or_proxy(client, la, social_worker):
    child = make_person(la)
    for url in ("/", f"/children/{child.pk}/"):
        cache_control = client_for(social_worker).get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control
    # The sign-in page itself is not about anyone and stays cacheable by the usual rules.
    assert "no-store" not in client.get("/accounts/sign-in/").get("Cache-Control", "")
