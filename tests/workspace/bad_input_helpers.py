"""Checks shared by the bad-input reviews: an error beside its field, a summary link that lands, typing kept."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

from django.http import HttpResponse
from django.test import Client

# What people mistype (or tamper with), for every kind of field: none of it may give a 500.
JUNK = ["abc", "-1", "99999999999999999999", "\x00", "x" * 20000]
BAD_DATES = [("31", "2", "2025"), ("aa", "bb", "cccc"), ("1", "1", "99999"), ("1", "1", "0001"),
             ("1", "1", "9999"), ("0", "0", "2025"), ("1", "13", "2025"), ("1", "", "2025")]


def date_fields(name: str, day: date | tuple[str, str, str]) -> dict[str, str]:
    parts = (str(day.day), str(day.month), str(day.year)) if isinstance(day, date) else day
    return {f"{name}_0": parts[0], f"{name}_1": parts[1], f"{name}_2": parts[2]}


def text(response: HttpResponse) -> str:
    return html.unescape(response.content.decode())


def summary_links(body: str) -> list[tuple[str, str]]:
    """(href target, message) for every linked line of the error summary."""
    if "govuk-error-summary__list" not in body:
        return []
    summary = body.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [(target, message.strip()) for target, message in re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary)]


def summary_top(body: str) -> list[str]:
    """The summary lines not linked to a field (service refusals about the whole form)."""
    if "govuk-error-summary__list" not in body:
        return []
    summary = body.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [line.strip() for line in re.findall(r"<li>([^<]+)</li>", summary)]


def assert_links_land(body: str) -> None:
    for target, _ in summary_links(body):
        assert f'id="{target}"' in body, f"the error summary links to #{target}, which is not on the page"


def assert_error_beside(response: HttpResponse, field: str, words: str, *, date_field: bool = False) -> None:
    """The message is under the field (``id_<field>-error``) and in the summary, linked to the field's input."""
    assert response.status_code == 200, response.status_code
    body = text(response)
    beside = re.search(rf'<p id="id_{field}-error" class="govuk-error-message">(.*?)</p>', body, re.S)
    assert beside is not None, f"no error beside {field}"
    assert words in beside.group(1), beside.group(1)
    target = f"id_{field}_0" if date_field else f"id_{field}"
    assert any(t == target and words in m for t, m in summary_links(body)), summary_links(body)
    assert_links_land(body)


def assert_kept(response: HttpResponse, *values: str) -> None:
    body = text(response)
    for value in values:
        assert value in body, f"{value!r} was lost"


def checked(response: HttpResponse, name: str, value: str) -> bool:
    """Whether the radio or checkbox ``name=value`` is ticked on the page."""
    body = response.content.decode()
    pattern = rf'<input[^>]*name="{name}"[^>]*value="{re.escape(value)}"[^>]*>'
    return any(" checked" in tag for tag in re.findall(pattern, body))


def selected(response: HttpResponse, value: str) -> bool:
    body = response.content.decode()
    return re.search(rf'<option value="{re.escape(value)}"[^>]*selected', body) is not None


def token_from(response: HttpResponse) -> str:
    match = re.search(r'name="submission_token" value="([0-9a-f]{32})"', response.content.decode())
    assert match is not None, "the form carries no submission token"
    return match.group(1)


def walk(client: Client, url: str, base: dict[str, Any], *, dates: tuple[str, ...] = (),
         page: str | None = None) -> list[str]:
    """Send the form with each field junk in turn (and each date impossible): what went wrong, if anything."""
    problems: list[str] = []
    client.raise_request_exception = False
    shown = client.get(page or url)
    names = set(re.findall(r'name="([a-z_0-9]+)"', shown.content.decode())) - {
        "csrfmiddlewaretoken", "submission_token", "draft_key", "viewport", "robots", "theme"}
    trials: list[dict[str, Any]] = [{**base, name: junk} for name in sorted(names) for junk in JUNK]
    trials += [{**base, **date_fields(name, bad)} for name in dates for bad in BAD_DATES]
    for data in trials:
        response = client.post(url, data)
        if response.status_code >= 500:
            problems.append(f"{response.status_code} for {sorted(k for k in data if data[k] != base.get(k))}")
        elif response.status_code == 200:
            try:
                assert_links_land(text(response))
            except AssertionError as error:
                problems.append(str(error))
    return problems
