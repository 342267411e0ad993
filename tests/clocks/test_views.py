"""The bank holiday table: staff may look; only system administrators may change it."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from hearth.accounts.models import User
from hearth.clocks.models import BankHoliday
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def form_data(day: str, month: str, year: str, name: str) -> dict[str, str]:
    return {"on_0": day, "on_1": month, "on_2": year, "name": name}


def test_any_staff_member_may_view_a_year(worker: User) -> None:
    response = client_for(worker).get(reverse("clocks:holidays"), {"year": 2022})
    assert response.status_code == 200
    html = response.content.decode()
    assert "State Funeral" in html
    assert "Monday 19 September 2022" in html
    assert reverse("clocks:holiday_add") not in html  # no change links for a social worker


def test_nonsense_year_shows_this_year(worker: User) -> None:
    client = client_for(worker)
    assert client.get(reverse("clocks:holidays"), {"year": "99999"}).status_code == 200
    assert client.get(reverse("clocks:holidays"), {"year": "soon"}).status_code == 200


def test_signed_out_users_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("clocks:holidays"))
    assert response.status_code == 302


def test_social_worker_cannot_change(worker: User) -> None:
    client = client_for(worker)
    holiday = BankHoliday.objects.get(date=date(2025, 12, 25))
    assert client.get(reverse("clocks:holiday_add")).status_code == 403
    response = client.post(reverse("clocks:holiday_add"), form_data("7", "6", "2030", "One-off"))
    assert response.status_code == 403
    assert client.post(reverse("clocks:holiday_change", args=[holiday.pk]),
                       form_data("24", "12", "2025", "Moved")).status_code == 403
    assert client.post(reverse("clocks:holiday_remove", args=[holiday.pk])).status_code == 403
    assert not BankHoliday.objects.filter(date=date(2030, 6, 7)).exists()
    holiday.refresh_from_db()
    assert not holiday.removed


def test_system_admin_adds_a_one_off_holiday(system_admin: User) -> None:
    client = client_for(system_admin)
    page = client.get(reverse("clocks:holidays"))
    assert reverse("clocks:holiday_add") in page.content.decode()
    assert client.get(reverse("clocks:holiday_add")).status_code == 200
    response = client.post(reverse("clocks:holiday_add"), form_data("7", "6", "2030", "Jubilee of 2030"))
    assert response.status_code == 302
    assert response["Location"] == reverse("clocks:holidays") + "?year=2030"
    holiday = BankHoliday.objects.get(date=date(2030, 6, 7))
    assert holiday.name == "Jubilee of 2030"
    assert holiday.updated_by == system_admin
    listing = client.get(response["Location"]).content.decode()
    assert "Jubilee of 2030" in listing


def test_duplicate_date_keeps_what_was_typed(system_admin: User) -> None:
    response = client_for(system_admin).post(
        reverse("clocks:holiday_add"), form_data("25", "12", "2025", "My typed name")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "25 December 2025 is already a bank holiday" in html
    assert 'id="id_on-error"' in html
    assert 'value="My typed name"' in html
    assert 'name="on_0" type="text" inputmode="numeric" value="25"' in html
    assert "<title>Error:" in html


def test_bad_date_keeps_what_was_typed(system_admin: User) -> None:
    response = client_for(system_admin).post(
        reverse("clocks:holiday_add"), form_data("31", "2", "2027", "Leap of faith")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Date must be a real date" in html
    assert 'value="Leap of faith"' in html
    assert 'value="31"' in html
    assert not BankHoliday.objects.filter(name="Leap of faith").exists()


def test_missing_name(system_admin: User) -> None:
    response = client_for(system_admin).post(reverse("clocks:holiday_add"), form_data("7", "6", "2030", ""))
    assert response.status_code == 200
    assert "Enter the name of the bank holiday" in response.content.decode()


def test_change_and_remove(system_admin: User) -> None:
    client = client_for(system_admin)
    holiday = BankHoliday.objects.get(date=date(2027, 5, 31))
    page = client.get(reverse("clocks:holiday_change", args=[holiday.pk])).content.decode()
    assert 'value="31"' in page and 'value="2027"' in page

    response = client.post(reverse("clocks:holiday_change", args=[holiday.pk]),
                           form_data("31", "5", "2027", "Spring bank holiday"))
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.name == "Spring bank holiday"

    confirm = client.get(reverse("clocks:holiday_remove", args=[holiday.pk]))
    assert confirm.status_code == 200
    assert "Remove Spring bank holiday" in confirm.content.decode()
    response = client.post(reverse("clocks:holiday_remove", args=[holiday.pk]))
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.removed
    listing = client.get(response["Location"]).content.decode()
    assert "Spring bank holiday removed" in listing
    assert '<td class="govuk-table__cell">Spring bank holiday</td>' not in listing
    assert client.get(reverse("clocks:holiday_change", args=[holiday.pk])).status_code == 404


def test_moving_onto_another_holiday_is_refused(system_admin: User) -> None:
    holiday = BankHoliday.objects.get(date=date(2027, 5, 31))
    response = client_for(system_admin).post(
        reverse("clocks:holiday_change", args=[holiday.pk]), form_data("1", "1", "2027", "Typed")
    )
    assert response.status_code == 200
    assert "already a bank holiday" in response.content.decode()
    holiday.refresh_from_db()
    assert holiday.date == date(2027, 5, 31)


def test_two_administrators_changing_one_holiday_the_second_is_told_not_overwritten(db):
    from django.test import Client

    from hearth.accounts.roles import Role
    from hearth.clocks.models import BankHoliday
    from tests.factories import make_la, make_user

    la = make_la()
    first, second = make_user(la, Role.SYSTEM_ADMIN), make_user(la, Role.SYSTEM_ADMIN)
    holiday = BankHoliday.objects.filter(removed=False).order_by("date").first()
    clients = []
    for admin in (first, second):
        client = Client()
        client.force_login(admin)
        clients.append(client)
    seen = holiday.updated_at.isoformat()
    day = {"on_0": str(holiday.date.day), "on_1": str(holiday.date.month), "on_2": str(holiday.date.year)}
    assert clients[0].post(f"/calendar/holidays/{holiday.pk}/", {**day, "name": "First edit",
                                                                   "last_updated": seen}).status_code == 302
    refused = clients[1].post(f"/calendar/holidays/{holiday.pk}/", {**day, "name": "Second edit", "last_updated": seen})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else changed this bank holiday" in page
    assert 'value="Second edit"' in page
    holiday.refresh_from_db()
    assert holiday.name == "First edit"
    # Saving again after seeing the message works.
    again = clients[1].post(f"/calendar/holidays/{holiday.pk}/", {**day, "name": "Second edit",
                                                                    "last_updated": holiday.updated_at.isoformat()})
    assert again.status_code == 302
