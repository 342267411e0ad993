from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "HEARTH_SECRET_KEY": "k" * 60,
    "DATABASE_URL": "postgres://hearth@127.0.0.1:5432/hearth",
}


def start_production(extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEARTH_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "hearth.settings.production", **extra})
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_starts_when_safe():
    result = start_production(GOOD)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 31536000


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"HEARTH_DEBUG": "1"}, "DEBUG is on"),
        ({"HEARTH_SECRET_KEY": "insecure-dev-key-change-me"}, "HEARTH_SECRET_KEY"),
        ({"DATABASE_URL": ""}, "SQLite"),
        ({"HEARTH_INSECURE_COOKIES": "1"}, "not marked Secure"),
    ],
)
def test_production_refuses_unsafe_settings(change, complaint):
    env = {**GOOD, **change}
    env = {k: v for k, v in env.items() if v}
    result = start_production(env)
    assert result.returncode != 0
    assert "refuses to start" in result.stderr and complaint in result.stderr


def test_security_headers_are_sent(client, db):
    response = client.get("/accounts/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
