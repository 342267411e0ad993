"""The case audit pages: who reaches what, refusals shown with the typing kept, every view of a child logged,
restricted records never named, and every list page reading the same number of queries for few rows and many."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.access.models import AccessEvent
from hearth.case_audits import services
from hearth.case_audits.models import AuditQuestion, CaseAudit, Grade, PracticeWeek
from hearth.people.models import Person
from tests.conftest import client_for
from tests.queries import query_count

from .factories import audit_of, council, draw, open_case, submit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def c(la):
    return council(la, per_team=2)


def _grow(c, n: int) -> None:
    """More cases, audits (submitted and moderated), actions and a restricted record, for the query counts."""
    for i in range(n):
        child = open_case(c.la, c.team_a if i % 2 else c.team_b, c.worker_a if i % 2 else c.worker_b,
                          level=Person.AccessLevel.RESTRICTED if i % 5 == 4 else Person.AccessLevel.OPEN)
        audit = audit_of(c, child, c.iro, moderation_required=True)
        if child.access_level != Person.AccessLevel.OPEN:
            continue
        submit(audit, Grade.GOOD if i % 3 else Grade.INADEQUATE, themes=("chronology", "drift-and-delay"))
        audit.refresh_from_db()
        services.action_set(audit=audit, what="Act", assigned_to=audit.worker, due_on=TODAY, by=c.iro)
        if i % 2:
            services.audit_moderate(audit=audit, agreed=False,
                                    grade=Grade.OUTSTANDING if audit.overall_grade != Grade.OUTSTANDING else Grade.GOOD,
                                    rationale="Moderated", by=c.manager_b if audit.team_id == c.team_a.pk else c.head)


LIST_PAGES = [
    ("head", "/audits/"),
    ("head", "/audits/rounds/"),
    ("head", "/audits/themes/"),
    ("head", "/audits/actions/"),
    ("head", "/audits/actions/?show=overdue"),
    ("head", "/audits/templates/"),
    ("head", "/audits/practice-weeks/"),
    ("iro", "/audits/mine/"),
    ("worker_a", "/audits/actions/mine/"),
    ("manager_a", "/audits/actions/"),
    ("analyst", "/audits/themes/"),
]


@pytest.mark.parametrize(("who", "url"), LIST_PAGES)
def test_list_pages_read_the_same_number_of_queries_for_few_and_many_rows(c, who, url):
    client = client_for(getattr(c, who))

    def week() -> None:
        services.practice_week_create(local_authority=c.la, title="Week", start=TODAY, end=TODAY,
                                      teams=[c.team_a], by=c.head)

    draw(c, size=2)
    _grow(c, 2)
    week()
    few = query_count(lambda: client.get(url))
    draw(c, size=3)
    _grow(c, 12)
    week()
    many = query_count(lambda: client.get(url))
    assert few == many, url


def test_the_round_page_reads_the_same_number_of_queries_for_few_and_many_audits(c):
    client = client_for(c.head)
    small = draw(c, size=2)
    _grow(c, 15)
    big = draw(c, size=15)
    assert query_count(lambda: client.get(f"/audits/rounds/{small.pk}/")) == query_count(
        lambda: client.get(f"/audits/rounds/{big.pk}/"))


def test_who_reaches_what(c):
    assert client_for(c.worker_a).get("/audits/").url == "/audits/actions/mine/"
    assert client_for(c.worker_a).get("/audits/rounds/").status_code == 403
    assert client_for(c.analyst).get("/audits/rounds/new/").status_code == 403
    assert client_for(c.manager_a).get("/audits/rounds/new/").status_code == 403
    assert client_for(c.head).get("/audits/rounds/new/").status_code == 200
    assert client_for(c.analyst).get("/audits/").status_code == 200
    assert client_for(c.analyst).get("/audits/actions/").status_code == 403
    assert client_for(c.analyst).get("/audits/mine/").status_code == 403


def test_an_analyst_sees_counts_and_never_a_childs_name(c):
    audit_round = draw(c, size=4)
    for audit in CaseAudit.objects.filter(round=audit_round):
        submit(audit)
    names = [p.full_name for p in c.children_a + c.children_b]
    for url in ("/audits/", "/audits/themes/", f"/audits/rounds/{audit_round.pk}/"):
        page = client_for(c.analyst).get(url).content.decode()
        assert not any(name in page for name in names), url
    assert "Not named to your role" in client_for(c.analyst).get(f"/audits/rounds/{audit_round.pk}/").content.decode()
    page = client_for(c.head).get("/audits/themes/").content.decode()
    assert "Drift and delay" in page and "Plans need clearer timescales" in page


def test_a_restricted_childs_audit_is_listed_unnamed_and_a_sealed_one_not_at_all(c):
    restricted = open_case(c.la, c.team_a, c.worker_a, level=Person.AccessLevel.RESTRICTED, first_name="Alexis")
    sealed = open_case(c.la, c.team_a, c.worker_a, level=Person.AccessLevel.SEALED, first_name="Morgan")
    audit_round = draw(c, size=2)
    audit_of(c, restricted, c.iro, round_=audit_round)
    audit_of(c, sealed, c.iro, round_=audit_round)
    page = client_for(c.manager_b).get(f"/audits/rounds/{audit_round.pk}/").content.decode()
    assert "A restricted record" in page
    assert "Alexis" not in page and "Morgan" not in page
    assert page.count("A restricted record") == 1
    audit = CaseAudit.objects.get(child=restricted)
    assert client_for(c.manager_b).get(f"/audits/{audit.pk}/").status_code == 404


def test_opening_an_audit_logs_a_view_of_the_childs_record(c):
    audit = audit_of(c, c.children_a[0], c.iro)
    response = client_for(c.iro).get(f"/audits/{audit.pk}/")
    assert response.status_code == 200
    assert AccessEvent.objects.filter(person=c.children_a[0], user=c.iro, action=AccessEvent.Action.VIEW,
                                      page=f"/audits/{audit.pk}/").exists()
    client_for(c.iro).get(f"/audits/{audit.pk}/audit/")
    assert AccessEvent.objects.filter(person=c.children_a[0], user=c.iro, page=f"/audits/{audit.pk}/audit/").exists()


def test_submitting_with_a_missing_grade_is_refused_beside_the_question_with_everything_kept(c):
    audit = audit_of(c, c.children_a[0], c.iro)
    questions = list(AuditQuestion.objects.filter(template=audit.round.template).order_by("order"))
    post = {"version": audit.version, "action": "submit", "overall_grade": Grade.GOOD,
            "areas_for_development": "Sharper plans", "themes": ["chronology"]}
    for q in questions:
        post[f"evidence_{q.pk}"] = f"Evidence typed for {q.order}"
        if q.order != 3:
            post[f"grade_{q.pk}"] = Grade.GOOD
    client = client_for(c.iro)
    response = client.post(f"/audits/{audit.pk}/audit/", post)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'href="#id_grade_{questions[2].pk}"' in page  # linked from the summary to the question
    assert "Select a grade for question 3" in page
    assert "Evidence typed for 3" in page and "Sharper plans" in page  # nothing typed is lost
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.ALLOCATED

    post[f"grade_{questions[2].pk}"] = Grade.REQUIRES_IMPROVEMENT
    response = client.post(f"/audits/{audit.pk}/audit/", post)
    assert response.status_code == 302 and response.url == f"/audits/{audit.pk}/"
    audit.refresh_from_db()
    assert audit.status == CaseAudit.Status.SUBMITTED and audit.themes == ["chronology"]


def test_save_and_come_back_later_keeps_a_partial_audit(c):
    audit = audit_of(c, c.children_a[0], c.iro)
    first = AuditQuestion.objects.filter(template=audit.round.template).order_by("order").first()
    assert first is not None
    response = client_for(c.iro).post(f"/audits/{audit.pk}/audit/", {
        "version": audit.version, "action": "save", f"grade_{first.pk}": Grade.GOOD,
        f"evidence_{first.pk}": "Child seen alone", "strengths": "Warm"})
    assert response.status_code == 302
    page = client_for(c.iro).get(f"/audits/{audit.pk}/audit/").content.decode()
    assert "Child seen alone" in page and "Warm" in page


def test_a_stale_audit_save_is_refused_with_the_typing_kept(c):
    audit = audit_of(c, c.children_a[0], c.iro)
    old_version = audit.version
    services.audit_save(audit=audit, answers={}, strengths="First save", by=c.iro)
    response = client_for(c.iro).post(f"/audits/{audit.pk}/audit/", {
        "version": old_version, "action": "save", "strengths": "Second thoughts"})
    page = response.content.decode()
    assert response.status_code == 200 and "Someone else saved changes" in page and "Second thoughts" in page


def test_moderating_through_the_page(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro, moderation_required=True))
    client = client_for(c.manager_b)
    refused = client.post(f"/audits/{audit.pk}/moderate/", {"decision": "change", "rationale": "Weak plan"})
    assert refused.status_code == 200 and "Choose the grade you would give" in refused.content.decode()
    assert "Weak plan" in refused.content.decode()
    done = client.post(f"/audits/{audit.pk}/moderate/", {"decision": "change", "grade": Grade.INADEQUATE,
                                                         "rationale": "Weak plan"})
    assert done.status_code == 302
    page = client.get(f"/audits/{audit.pk}/").content.decode()
    assert "Changed the grade from good to inadequate" in page
    assert client_for(c.manager_a).get(f"/audits/{audit.pk}/moderate/").status_code == 403


def test_the_worker_completes_an_action_from_their_audit_actions_page(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro))
    response = client_for(c.iro).post(f"/audits/{audit.pk}/actions/new/", {
        "what": "Add a contingency plan", "assigned_to": c.worker_a.pk,
        "due_on_0": str(TODAY.day), "due_on_1": str(TODAY.month), "due_on_2": str(TODAY.year)})
    assert response.status_code == 302
    worker = client_for(c.worker_a)
    assert "Add a contingency plan" in worker.get("/audits/actions/mine/").content.decode()
    action = audit.actions.get()
    blank = worker.post(f"/audits/actions/{action.pk}/complete/", {"version": action.version, "note": ""})
    assert "Enter what was done" in blank.content.decode()
    done = worker.post(f"/audits/actions/{action.pk}/complete/", {"version": action.version, "note": "Plan added"})
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.completed_on == TODAY
    assert client_for(c.worker_b).get(f"/audits/actions/{action.pk}/complete/").status_code == 403


def test_drawing_a_round_through_the_page(c):
    client = client_for(c.head)
    post = {"month": TODAY.replace(day=1).isoformat(), "template": c.template.pk, "method": "themed",
            "sample_size": "3", "auditors": [c.iro.pk, c.manager_b.pk], "due_on_0": "1", "due_on_1": "1",
            "due_on_2": str(TODAY.year + 1), "moderation_percent": "15", "seed": "77"}
    refused = client.post("/audits/rounds/new/", post)
    assert refused.status_code == 200 and "Choose the theme to sample" in refused.content.decode()
    post["method"] = "random"
    made = client.post("/audits/rounds/new/", post)
    assert made.status_code == 302
    page = client.get(made.url).content.decode()
    assert "Seed" in page and "77" in page and "random sample" in page


def test_revising_a_template_through_the_page(c):
    template = c.template
    client = client_for(c.head)
    page = client.get(f"/audits/templates/{template.pk}/revise/")
    assert page.status_code == 200
    questions = list(template.questions.order_by("order"))
    post = {"name": template.name, "description": "New"}
    for i, q in enumerate(questions, start=1):
        post.update({f"area_{i}": q.area, f"text_{i}": q.text, f"guidance_{i}": ""})
    post.update({f"area_{len(questions) + 1}": "", f"text_{len(questions) + 1}": "Is the family's culture understood?"})
    refused = client.post(f"/audits/templates/{template.pk}/revise/", post)
    assert "Choose the area of practice" in refused.content.decode()
    post[f"area_{len(questions) + 1}"] = "assessment"
    made = client.post(f"/audits/templates/{template.pk}/revise/", post)
    assert made.status_code == 302
    template.refresh_from_db()
    assert template.replaced_on == TODAY


def test_a_practice_week_page_print_and_pdf(c):
    audit = submit(audit_of(c, c.children_a[0], c.iro))
    services.action_set(audit=audit, what="Act", assigned_to=c.worker_a, due_on=TODAY, by=c.iro)
    client = client_for(c.head)
    refused = client.post("/audits/practice-weeks/new/", {"title": "Week", "start_0": "9", "start_1": "3",
                                                          "start_2": "2027", "end_0": "1", "end_1": "3",
                                                          "end_2": "2027", "teams": [c.team_a.pk]})
    assert "The last day must be the same as or after the first day" in refused.content.decode()
    made = client.post("/audits/practice-weeks/new/", {
        "title": "Practice week: safeguarding", "start_0": str((TODAY - timedelta(days=6)).day),
        "start_1": str((TODAY - timedelta(days=6)).month), "start_2": str((TODAY - timedelta(days=6)).year),
        "end_0": str(TODAY.day), "end_1": str(TODAY.month), "end_2": str(TODAY.year), "teams": [c.team_a.pk]})
    assert made.status_code == 302
    week = PracticeWeek.objects.get()
    page = client.get(f"/audits/practice-weeks/{week.pk}/").content.decode()
    assert "What the audits say" in page and "1 audit submitted" in page
    saved = client.post(f"/audits/practice-weeks/{week.pk}/teams/{c.team_a.pk}/summary/", {
        "version": 1, "what_we_found": "Plans drift", "what_we_will_do": "Weekly plan reviews"})
    assert saved.status_code == 302
    printed = client.get(f"/audits/practice-weeks/{week.pk}/print/").content.decode()
    assert "Weekly plan reviews" in printed and "OFFICIAL-SENSITIVE" in printed
    pdf = client.get(f"/audits/practice-weeks/{week.pk}/practice-week.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client_for(c.manager_a).get(f"/audits/practice-weeks/{week.pk}/summary/").status_code == 403


def test_the_themes_page_logs_a_view_of_each_child_whose_audit_it_quotes(c):
    """The auditors' words about a child are read from the child's case: quoting them is logged, as opening the
    audit is. Counts alone (the analyst's page) log nothing."""
    audit_round = draw(c, size=4)
    for audit in CaseAudit.objects.filter(round=audit_round):
        submit(audit)
    quoted = set(CaseAudit.objects.filter(round=audit_round).values_list("child_id", flat=True))
    page = client_for(c.head).get("/audits/themes/").content.decode()
    assert "Plans need clearer timescales" in page
    logged = set(AccessEvent.objects.filter(user=c.head, action=AccessEvent.Action.VIEW)
                 .values_list("person_id", flat=True))
    assert logged and logged <= quoted
    assert len(logged) == min(len(quoted), 3)  # three quoted for the one theme
    client_for(c.analyst).get("/audits/themes/")
    assert not AccessEvent.objects.filter(user=c.analyst).exists()


def test_posts_need_the_form_token_and_nothing_changes_on_a_get(c):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(c.head)
    assert client.post("/audits/templates/set-up/").status_code == 403
    assert client_for(c.head).get("/audits/templates/set-up/").status_code == 405
    week = services.practice_week_create(local_authority=c.la, title="Week", start=TODAY, end=TODAY,
                                         teams=[c.team_a], by=c.head)
    response = client.post(f"/audits/practice-weeks/{week.pk}/summary/",
                           {"version": "1", "what_we_found": "Changed", "what_we_will_do": ""})
    assert response.status_code == 403
    week.refresh_from_db()
    assert week.what_we_found == ""


def test_a_practice_week_names_overdue_workers_only_to_those_who_see_their_supervision(c):
    """As on the supervision pages: the team's own manager and heads of service see who is overdue; another
    team's manager and an analyst see the figures only, on the page and in print."""
    from datetime import date

    c.worker_a.started_on = date(2024, 1, 1)  # in post long enough to be overdue, never supervised
    c.worker_a.save()
    week = services.practice_week_create(local_authority=c.la, title="Week", start=TODAY - timedelta(days=6),
                                         end=TODAY, teams=[c.team_a], by=c.head)
    for who, named in ((c.head, True), (c.manager_a, True), (c.manager_b, False), (c.analyst, False)):
        for url in (f"/audits/practice-weeks/{week.pk}/", f"/audits/practice-weeks/{week.pk}/print/"):
            page = client_for(who).get(url).content.decode()
            assert "supervised in time" in page, url
            assert (c.worker_a.get_full_name() in page) == named, (who.role, url)


def test_another_councils_staff_find_nothing_by_guessing_ids(c, other_la):
    from hearth.accounts.roles import Role
    from hearth.case_audits.models import AuditAction
    from tests.factories import make_user

    audit_round = draw(c, size=2)
    audit = CaseAudit.objects.filter(round=audit_round).first()
    assert audit is not None
    submit(audit)
    audit.refresh_from_db()
    services.action_set(audit=audit, what="Act", assigned_to=c.worker_a, due_on=TODAY, by=audit.auditor)
    action = AuditAction.objects.get(audit=audit)
    week = services.practice_week_create(local_authority=c.la, title="Week", start=TODAY, end=TODAY,
                                         teams=[c.team_a], by=c.head)
    stranger = client_for(make_user(other_la, Role.SERVICE_MANAGER))
    for url in (f"/audits/rounds/{audit_round.pk}/", f"/audits/{audit.pk}/", f"/audits/{audit.pk}/audit/",
                f"/audits/{audit.pk}/moderate/", f"/audits/{audit.pk}/actions/new/",
                f"/audits/actions/{action.pk}/complete/", f"/audits/templates/{c.template.pk}/",
                f"/audits/templates/{c.template.pk}/revise/", f"/audits/practice-weeks/{week.pk}/",
                f"/audits/practice-weeks/{week.pk}/print/", f"/audits/practice-weeks/{week.pk}/practice-week.pdf",
                f"/audits/practice-weeks/{week.pk}/summary/",
                f"/audits/practice-weeks/{week.pk}/teams/{c.team_a.pk}/summary/"):
        assert stranger.get(url).status_code == 404, url
    themes = stranger.get(f"/audits/themes/?team={c.team_a.pk}").content.decode()
    assert audit.child.full_name not in themes and "Plans need clearer timescales" not in themes
