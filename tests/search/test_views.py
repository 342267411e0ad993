"""The search page: full page and htmx partial, the capped list, garbage input, and the CSV export."""

from __future__ import annotations

from hearth.access.models import AccessEvent
from hearth.accounts.roles import Role
from hearth.search.services import name_keys_rebuild
from tests.conftest import client_for
from tests.factories import make_person, make_user
from tests.search.conftest import Town


def test_search_page_lists_matches_with_reasons_and_strength(town: Town, social_worker):
    response = client_for(social_worker).get("/search/", {"q": "jordan smith"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Find a child</h1>" in html
    assert f'href="/children/{town.jordan.pk}/"' in html
    assert town.jordan.hearth_id in html and "27 Mar 2015" in html and "NG2 3NG" in html
    assert "Same first name" in html and "Last name sounds the same (Smith / Smyth)" in html
    assert "govuk-tag--green" in html and "Strong" in html
    assert "2 results for \u2018jordan smith\u2019" in html
    # The restricted and sealed Jordan Smiths are not there, nor counted.
    assert f"/children/{town.restricted.pk}/" not in html and f"/children/{town.sealed.pk}/" not in html
    assert town.restricted.hearth_id not in html and town.sealed.hearth_id not in html


def test_typing_returns_only_the_results_partial(town: Town, social_worker):
    response = client_for(social_worker).get("/search/", {"q": "jordan"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="search-results"')
    assert "<h1" not in html and "<html" not in html
    assert f"/children/{town.jordan.pk}/" in html


def test_empty_page_has_the_form_and_no_results(social_worker):
    response = client_for(social_worker).get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html and "govuk-table" not in html and "No results" not in html
    assert "govuk-error-summary" not in html


def test_garbage_gets_a_helpful_message_and_keeps_what_was_typed(town: Town, social_worker):
    client = client_for(social_worker)
    for query, message in (("!!!", "Search by name, date of birth, postcode, NHS number, UPN or Hearth ID"),
                           ("31/2/2015", "\u201831/2/2015\u2019 is not a real date"),
                           ("12", "\u201812\u2019 is not a date of birth, NHS number, UPN or Hearth ID we recognise"),
                           ("j", "Enter at least 2 letters of a name")):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        html = response.content.decode()
        assert "govuk-error-summary" in html and message in html, query
        assert f'value="{query}"' in html
        assert "<title>Error: " in html
        partial = client.get("/search/", {"q": query}, HTTP_HX_REQUEST="true").content.decode()
        assert message in partial and "govuk-error-summary" not in partial


def test_no_results_says_what_to_try(town: Town, social_worker):
    html = client_for(social_worker).get("/search/", {"q": "Zebedee Quixote"}).content.decode()
    assert "No results for \u2018Zebedee Quixote\u2019" in html and "fewer words" in html


def test_long_lists_are_capped_with_a_message(la, social_worker):
    for i in range(55):
        make_person(la, first_name="Riley", last_name=f"Stone{i:02d}")
    name_keys_rebuild(local_authority=la)
    html = client_for(social_worker).get("/search/", {"q": "riley"}).content.decode()
    assert "The best 50 matches for \u2018riley\u2019" in html and "There are more matches than we can show" in html
    assert html.count('class="govuk-table__row"') == 51  # header + 50


def test_analyst_is_told_search_shows_no_one(town: Town, la):
    analyst = make_user(la, Role.PERFORMANCE_ANALYST)
    html = client_for(analyst).get("/search/", {"q": "jordan"}).content.decode()
    assert "does not include opening children's records" in html
    assert f"/children/{town.jordan.pk}/" not in html


def test_sign_in_is_required(client):
    response = client.get("/search/", {"q": "jordan"})
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_export_logs_every_exported_person(town: Town, social_worker):
    response = client_for(social_worker).post("/search/export.csv", {"q": "jordan smith"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0] == "hearth_id,first_name,last_name,date_of_birth,sex,postcode,match,why"
    assert len(lines) == 3 and town.jordan.hearth_id in lines[1]
    logged = set(AccessEvent.objects.filter(user=social_worker, action=AccessEvent.Action.EXPORT)
                 .values_list("person_id", flat=True))
    assert logged == {town.jordan.pk, town.jordon.pk}
    assert AccessEvent.objects.get(user=social_worker, person=town.jordan).page == "/search/export.csv"


def test_export_of_nothing_redirects_without_logging(town: Town, social_worker):
    response = client_for(social_worker).post("/search/export.csv", {"q": "!!!"})
    assert response.status_code == 302 and response["Location"] == "/search/"
    assert not AccessEvent.objects.filter(user=social_worker).exists()


def test_export_needs_post(social_worker):
    assert client_for(social_worker).get("/search/export.csv", {"q": "jordan"}).status_code == 405


def test_export_guards_against_spreadsheet_formulas(la, social_worker):
    make_person(la, first_name="=HYPERLINK", last_name="Formula")
    name_keys_rebuild(local_authority=la)
    response = client_for(social_worker).post("/search/export.csv", {"q": "formula"})
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body
