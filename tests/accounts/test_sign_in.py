from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD


def totp_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_production_hashes_passwords_with_argon2():
    from hearth.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_password_then_security_code(social_worker):
    device = TOTPDevice.objects.create(user=social_worker, name="phone", confirmed=True)
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "worker", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/sign-in/code/"
    assert client.get("/").status_code == 302  # not signed in until the code is given

    wrong_code = "000000" if totp_now(device) != "000000" else "111111"
    wrong = client.post("/accounts/sign-in/code/", {"otp_token": wrong_code})
    assert "The code is not right" in wrong.content.decode()

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    signed_in = client.post("/accounts/sign-in/code/", {"otp_token": totp_now(device)})
    assert signed_in.status_code == 302
    my_work = client.get("/")
    assert my_work.status_code == 200 and "My work" in my_work.content.decode()


def test_bad_password_is_explained_and_the_username_kept(social_worker):
    response = Client().post("/accounts/sign-in/", {"username": "worker", "password": "nope"})
    page = response.content.decode()
    assert "Enter a correct username and password" in page and 'value="worker"' in page


def test_five_failures_lock_the_account(social_worker):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/sign-in/", {"username": "worker", "password": "wrong"})
    locked = client.post("/accounts/sign-in/", {"username": "worker", "password": PASSWORD})
    assert locked.status_code == 429 and "locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(HEARTH_REQUIRE_TWO_FACTOR=True)
def test_when_two_factor_is_required_a_password_alone_only_reaches_set_up(social_worker, la):
    from tests.factories import make_person

    child = make_person(la)
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "worker", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/"
    assert "Set up your authenticator app" in response.content.decode()
    assert client.get(f"/children/{child.pk}/").url == "/accounts/two-factor/"
    device = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    client.post("/accounts/two-factor/", {"otp_token": totp_now(device)})
    assert client.get(f"/children/{child.pk}/").status_code == 200


@override_settings(HEARTH_REQUIRE_TWO_FACTOR=True)
def test_a_user_with_a_device_cannot_enrol_another_without_the_code(social_worker):
    TOTPDevice.objects.create(user=social_worker, name="phone", confirmed=True)
    client = Client()
    client.force_login(social_worker)
    response = client.get("/accounts/two-factor/")
    assert response.url == "/accounts/sign-in/"
    assert TOTPDevice.objects.filter(user=social_worker).count() == 1


def test_sign_out_needs_a_post_and_ends_the_session(social_worker):
    client = Client()
    client.force_login(social_worker)
    assert client.get("/accounts/sign-out/").status_code == 405
    client.post("/accounts/sign-out/")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_timed_out_page_never_offers_an_off_site_return(next_url, social_worker):
    client = Client()
    client.force_login(social_worker)
    page = client.get("/accounts/signed-out/", {"next": next_url}).content.decode()
    assert "evil.example" not in page
