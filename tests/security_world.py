"""A council with one of everything issue 4 built, for the access and security tests.

``council_world`` makes, through the real services, a contact from a partner's online referral
(with a document), a child in need with an assessment awaiting authorisation and a CIN plan,
a child on a child protection plan (strategy discussion, S47, ICPC), and a child in early help.
``staff_urls`` lists every page of the front door, CIN, protection, oversight and work trays
apps for that world, so a test can try each one as someone who should not see it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType

from hearth.accounts.models import Team, User
from hearth.accounts.roles import Role
from hearth.cin import services as cin_services
from hearth.cin.models import Assessment, CINEpisode, CINPlan
from hearth.front_door.models import Contact, EarlyHelpEpisode
from hearth.front_door.services import contact_link_child, early_help_start
from hearth.oversight.models import DecisionPoint
from hearth.people.models import Person
from hearth.portal.models import PartnerReferral, PartnerReferralAttachment
from hearth.portal.services import Document, partner_referral_submit
from hearth.protection.models import ChildProtectionConference, ChildProtectionPlan, Section47Enquiry
from hearth.tenancy.models import LocalAuthority
from tests.factories import make_person, make_team, make_user
from tests.portal.factories import PDF_BYTES, make_partner
from tests.protection.factories import make_chair, plan_for


@dataclass
class World:
    la: LocalAuthority
    team: Team
    social_worker: User
    manager: User
    service_manager: User
    chair: User
    partner: User
    contact: Contact
    referral: PartnerReferral
    attachment: PartnerReferralAttachment
    cin_child: Person
    episode: CINEpisode
    assessment: Assessment
    cin_plan: CINPlan
    cp_child: Person
    s47: Section47Enquiry
    conference: ChildProtectionConference
    cp_plan: ChildProtectionPlan
    eh_child: Person
    early_help: EarlyHelpEpisode
    names: list[str] = field(default_factory=list)


def _answers(first: str, last: str) -> dict[str, Any]:
    return {
        "child": {"first_name": first, "last_name": last, "date_of_birth": "2016-06-14", "sex": "M"},
        "carers": [],
        "concerns": {"what_happened": "Bruise on his cheek", "immediate_risk": False},
        "consent": {"consent": Contact.Consent.GIVEN},
        "referrer": {"name": "Dana Lead", "job_title": "DSL", "organisation": "Hillside Primary School",
                     "agency_type": "school", "phone": "0115 876 5432", "email": "dsl@hillside.sch.uk"},
    }


def council_world(la: LocalAuthority, *, prefix: str, level: str = Person.AccessLevel.OPEN,
                  team: Team | None = None) -> World:
    """Everything in one council; every child's name starts with ``prefix`` so a leak is easy to find."""
    team = team or make_team(la, f"{prefix} Safeguarding")
    social_worker = make_user(la, Role.SOCIAL_WORKER, team)
    manager = make_user(la, Role.TEAM_MANAGER, team)
    service_manager = make_user(la, Role.SERVICE_MANAGER)
    chair = make_chair(la)
    partner = make_partner(la)
    by = social_worker

    referral = partner_referral_submit(
        user=partner, answers=_answers(f"{prefix}Referred", "Child"),
        documents=[Document(name="letter.pdf", size=len(PDF_BYTES), stream=io.BytesIO(PDF_BYTES))],
    )
    contact = referral.contact
    referred_child = make_person(la, level, first_name=f"{prefix}Referred", last_name="Child")
    contact_link_child(contact=contact, child=referred_child, by=by)
    contact.refresh_from_db()

    cin_child = make_person(la, level, first_name=f"{prefix}Needs", last_name="Child")
    episode = cin_services.cin_episode_open(child=cin_child, referral_date=date(2025, 3, 3),
                                            referral_source="2A", team=team, by=by)
    assessment = cin_services.assessment_start(episode=episode, started_on=date(2025, 3, 4), worker=social_worker,
                                               by=by)
    cin_services.assessment_child_seen_record(assessment=assessment, seen_on=date(2025, 3, 5), seen_alone=True,
                                              by=by)
    cin_services.assessment_section_save(assessment=assessment, section="analysis", text="Analysis", by=by)
    cin_services.assessment_section_save(assessment=assessment, section="recommendation", text="Plan", by=by)
    cin_services.assessment_conclusion_record(assessment=assessment, factors=["21"], outcome="cin_plan", by=by)
    cin_services.assessment_submit(assessment=assessment, submitted_on=date(2025, 3, 10), by=by)
    cin_plan = cin_services.cin_plan_start(episode=episode, started_on=date(2025, 3, 11), plan="Support", by=by)

    cp_child = make_person(la, level, first_name=f"{prefix}Protected", last_name="Child")
    cp_plan = plan_for(cp_child, chair=chair, manager=manager, by=by)
    conference = ChildProtectionConference.objects.get(child=cp_child)
    s47 = Section47Enquiry.objects.get(child=cp_child)

    eh_child = make_person(la, level, first_name=f"{prefix}Helped", last_name="Child")
    early_help = early_help_start(child=eh_child, started_on=date(2025, 3, 3), origin=EarlyHelpEpisode.Origin.DIRECT,
                                  lead_team=team, by=by)
    return World(
        la=la, team=team, social_worker=social_worker, manager=manager, service_manager=service_manager,
        chair=chair, partner=partner, contact=contact, referral=referral,
        attachment=referral.attachments.get(), cin_child=cin_child, episode=episode, assessment=assessment,
        cin_plan=cin_plan, cp_child=cp_child, s47=s47, conference=conference, cp_plan=cp_plan, eh_child=eh_child,
        early_help=early_help,
        names=[f"{prefix}Referred", f"{prefix}Needs", f"{prefix}Protected", f"{prefix}Helped"],
    )


def _ct(model: type[Any]) -> int:
    return ContentType.objects.get_for_model(model).pk


def child_urls(w: World) -> list[str]:
    """Every page about one of the world's children (each names or shows a child's case data)."""
    cin = f"/children/{w.cin_child.pk}/cin"
    cp = f"/children/{w.cp_child.pk}/protection"
    return [
        f"/front-door/contacts/{w.contact.pk}/",
        f"/front-door/contacts/{w.contact.pk}/screen/",
        f"/front-door/contacts/{w.contact.pk}/decide/",
        f"/front-door/early-help/{w.early_help.pk}/",
        f"/front-door/early-help/{w.early_help.pk}/change/",
        f"/front-door/early-help/{w.early_help.pk}/end/",
        f"/front-door/early-help/{w.early_help.pk}/step-up/",
        f"{cin}/",
        f"{cin}/referral/new/",
        f"{cin}/episodes/{w.episode.pk}/",
        f"{cin}/episodes/{w.episode.pk}/primary-need/",
        f"{cin}/episodes/{w.episode.pk}/close/",
        f"{cin}/episodes/{w.episode.pk}/assessments/new/",
        f"{cin}/episodes/{w.episode.pk}/plans/new/",
        f"{cin}/assessments/{w.assessment.pk}/",
        f"{cin}/assessments/{w.assessment.pk}/sections/analysis/",
        f"{cin}/assessments/{w.assessment.pk}/child-seen/",
        f"{cin}/assessments/{w.assessment.pk}/factors/",
        f"{cin}/assessments/{w.assessment.pk}/submit/",
        f"{cin}/assessments/{w.assessment.pk}/authorise/",
        f"{cin}/assessments/{w.assessment.pk}/return/",
        f"{cin}/plans/{w.cin_plan.pk}/",
        f"{cin}/plans/{w.cin_plan.pk}/edit/",
        f"{cin}/plans/{w.cin_plan.pk}/reviews/new/",
        f"{cin}/plans/{w.cin_plan.pk}/end/",
        f"{cp}/strategy/new/",
        f"{cp}/s47/{w.s47.pk}/",
        f"{cp}/s47/{w.s47.pk}/complete/",
        f"{cp}/s47/{w.s47.pk}/oversight/",
        f"{cp}/conferences/new/review/",
        f"{cp}/conferences/{w.conference.pk}/",
        f"{cp}/conferences/{w.conference.pk}/pdf/",
        f"{cp}/transfer-in/",
        f"{cp}/plans/{w.cp_plan.pk}/",
        f"{cp}/plans/{w.cp_plan.pk}/change/",
        f"{cp}/plans/{w.cp_plan.pk}/end/",
        f"{cp}/plans/{w.cp_plan.pk}/oversight/",
        f"{cp}/plans/{w.cp_plan.pk}/visits/new/",
        f"{cp}/plans/{w.cp_plan.pk}/core-groups/new/",
        f"{cp}/plans/{w.cp_plan.pk}/pdf/",
        f"{cp}/plans/{w.cp_plan.pk}/family-pdf/",
        f"/oversight/record/{DecisionPoint.S47_OUTCOME}/{_ct(Section47Enquiry)}/{w.s47.pk}/",
        f"/oversight/record/{DecisionPoint.ASSESSMENT_AUTHORISATION}/{_ct(Assessment)}/{w.assessment.pk}/",
        f"/oversight/record/{DecisionPoint.CONTACT_DECISION}/{_ct(Contact)}/{w.contact.pk}/",
        f"/oversight/children/{w.cp_child.pk}/",
        f"/refer/documents/{w.attachment.pk}/",
    ]


def crossed_urls(mine: World, theirs: World) -> list[str]:
    """My child's pages with another council's (or another child's) record in them."""
    cin = f"/children/{mine.cin_child.pk}/cin"
    cp = f"/children/{mine.cp_child.pk}/protection"
    return [
        f"{cin}/episodes/{theirs.episode.pk}/",
        f"{cin}/episodes/{theirs.episode.pk}/close/",
        f"{cin}/assessments/{theirs.assessment.pk}/",
        f"{cin}/assessments/{theirs.assessment.pk}/authorise/",
        f"{cin}/assessments/{theirs.assessment.pk}/sections/analysis/",
        f"{cin}/plans/{theirs.cin_plan.pk}/",
        f"{cin}/plans/{theirs.cin_plan.pk}/edit/",
        f"{cp}/s47/{theirs.s47.pk}/",
        f"{cp}/s47/{theirs.s47.pk}/complete/",
        f"{cp}/s47/{theirs.s47.pk}/oversight/",
        f"{cp}/conferences/{theirs.conference.pk}/",
        f"{cp}/conferences/{theirs.conference.pk}/pdf/",
        f"{cp}/plans/{theirs.cp_plan.pk}/",
        f"{cp}/plans/{theirs.cp_plan.pk}/end/",
        f"{cp}/plans/{theirs.cp_plan.pk}/pdf/",
        f"{cp}/plans/{theirs.cp_plan.pk}/visits/new/",
    ]


def list_urls(w: World) -> list[str]:
    """Pages that list or count children: the queue, early help, trays."""
    return [
        "/front-door/",
        "/front-door/early-help/",
        "/trays/mine/",
        f"/trays/team/{w.team.pk}/",
        "/trays/service/",
    ]


# Not found, refused, or the wrong method: none of them says whether the record exists or what it holds.
HIDDEN = (403, 404, 405)


def sweep(client: Any, urls: list[str], *, names: list[str], allowed: tuple[int, ...] = HIDDEN,
          methods: tuple[str, ...] = ("GET", "POST")) -> list[tuple[str, str, int]]:
    """Try each page; return those that answered with another status or named one of ``names``."""
    leaks = []
    for url in urls:
        for method in methods:
            response = client.get(url) if method == "GET" else client.post(url, {})
            body = b"".join(response) if getattr(response, "streaming", False) else response.content
            text = body.decode(errors="replace")
            if response.status_code not in allowed or any(name in text for name in names):
                leaks.append((method, url, response.status_code))
    return leaks


def names_shown(client: Any, urls: list[str], names: list[str]) -> list[tuple[str, str]]:
    """Which of ``names`` each list page shows."""
    shown = []
    for url in urls:
        text = client.get(url).content.decode()
        shown += [(url, name) for name in names if name in text]
    return shown


def only(urls: list[str], part: str) -> list[str]:
    return [url for url in urls if part in url]
