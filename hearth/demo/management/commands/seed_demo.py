from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.demo.council import (
    CHILDREN_IN_CARE,
    CHILDREN_KNOWN,
    DEMO_PASSWORD,
    DEMO_TOTP_KEY_HEX,
    POPULATION_0_17,
    SIZES,
    build_council,
)
from hearth.tenancy.models import LocalAuthority


def _size_help() -> str:
    like = {"small": "for tests, loads in seconds", "medium": "Nottingham-sized", "large": "Birmingham-sized"}
    return "; ".join(
        f"{size}: {like[size]}, {POPULATION_0_17[size]:,} children in the population, ~{CHILDREN_KNOWN[size]:,} "
        f"children known over five years with their families, {SIZES[size]:,} open cases "
        f"({CHILDREN_IN_CARE[size]:,} in care)"
        for size in ("small", "medium", "large")
    )


class Command(BaseCommand):
    help = (
        "Load a synthetic council (invented people only): teams and staff, five years of children known to "
        "children's services with their families, addresses, GPs and schools, allocation histories, case notes, "
        "contacts and partner referrals, referrals, assessments, strategy discussions, section 47 enquiries, "
        "conferences, CIN and child protection plans with their statutory clocks, early help, "
        "children in care with their placements, reviews and visits, care leavers, missing episodes, education "
        "registers, foster carers and adopters, and planted duplicate records. Prints the demo logins. Sizes: "
        + _size_help() + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="medium", help=_size_help())
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same council")
        parser.add_argument("--error-rate", type=float, default=0.0,
                            help="Share of children given a realistic recording mistake in their details, of "
                                 "referrals given one in their casework and of periods of care given one in "
                                 "their care record (0 = none, and the CIN census and SSDA903 then validate "
                                 "with no errors); each one is listed in demo.PlantedError")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if a council is already loaded")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 <= options["error_rate"] <= 1:
            raise CommandError("--error-rate must be between 0 and 1")
        if LocalAuthority.objects.exists():
            if options["if_empty"]:
                self.stdout.write("A council is already loaded; leaving it as it is.")
                self._print_logins()
                return
            raise CommandError("A council is already loaded. Start from an empty database (make reset).")
        started = time.perf_counter()
        summary = build_council(size=options["size"], seed=options["seed"], error_rate=options["error_rate"])
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Loaded {summary.local_authority.name} ({options['size']}, seed {options['seed']}) in {elapsed:.1f}s: "
            f"{summary.teams} teams, {summary.staff} staff; {summary.people:,} people in {summary.families:,} "
            f"families, of whom {summary.children:,} children known over five years and {summary.open_cases:,} "
            f"open cases ({summary.restricted} restricted, {summary.sealed} sealed); "
            f"{summary.allocations:,} allocations; {summary.duplicates} planted duplicate records."
        )
        work = summary.casework
        if work is not None:
            self.stdout.write(
                f"Casework: {work.contacts:,} contacts ({work.partner_referrals:,} through the partner portal; "
                f"{work.contacts_undecided} waiting at the front door today, {work.contacts_overdue} overdue); "
                f"{work.referrals:,} referrals ({work.re_referrals:,} re-referrals, {work.referral_nfa:,} NFA); "
                f"{work.assessments:,} assessments ({work.assessments_open:,} open); {work.section47:,} section 47 "
                f"enquiries; {work.icpc:,} initial and transfer-in conferences; {work.cp_plans:,} CP plans "
                f"({work.cp_plans_open:,} open); {work.cin_plans:,} CIN plans ({work.cin_plans_open:,} open); "
                f"{work.early_help:,} early help episodes; {work.clocks:,} clocks ({work.clocks_open:,} running, "
                f"{work.clocks_overdue:,} overdue)."
            )
        care = summary.care
        if care is not None:
            self.stdout.write(
                f"Children in care: {care.periods:,} periods of care ({care.periods_open:,} open), "
                f"{care.placements:,} placements, {care.adoption_plans:,} adoption plans, {care.dolos} deprivation of "
                f"liberty orders; {care.reviews:,} reviews and {care.visits:,} visits in five years; "
                f"{care.care_leavers:,} care leavers ({care.contacts:,} contacts); {care.missing_episodes:,} missing "
                f"episodes with {care.return_interviews:,} return interviews and {care.screenings:,} exploitation "
                f"screenings; {care.cme_cases} missing-education and {care.ehe_cases} home-education cases; "
                f"{care.households:,} fostering households; {care.clocks:,} clocks ({care.clocks_open:,} running)."
            )
        self.stdout.write(
            f"Quality and performance: {summary.case_audit_rows:,} case audit rows, {summary.supervision_rows:,} "
            f"supervision rows, {summary.indicator_rows:,} indicator rows ({summary.indicator_months} month ends "
            f"frozen, with targets and some records changed after their month was reported)."
        )
        if summary.programme_rows:
            self.stdout.write(
                f"Improvement journey: {summary.programme_rows:,} rows (an inadequate inspection, its improvement "
                f"plan and monitoring visits, board meetings, the establishment and its funding, five years of "
                f"appointments and absence, training, budgets, reserves and grants)."
            )
        if summary.errors:
            kinds = ", ".join(f"{kind} {count}" for kind, count in summary.error_kinds.items())
            self.stdout.write(f"Planted {summary.errors:,} recording errors: {kinds}.")
        if summary.name_keys is None:
            self.stdout.write("Name search keys were not built (hearth.search cannot rebuild them yet).")
        if summary.restricted_example is not None:
            self.stdout.write(
                f"A restricted record in another team, to try breaking the glass as sw.demo: "
                f"/children/{summary.restricted_example.pk}/"
            )
        self._print_logins()

    def _print_logins(self) -> None:
        import base64

        secret = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        rows = [
            ("sw.demo", "Social worker, Safeguarding North"),
            ("sw.totp", f"Social worker who signs in with a security code; authenticator key {secret}"),
            ("tm.demo", "Team manager of sw.demo's team; sees break-glass alerts and access logs"),
            ("sp.demo", "Senior practitioner"),
            ("hos.demo", "Service manager / head of service"),
            ("dcs.demo", "Director of children's services"),
            ("iro.demo", "IRO / child protection chair"),
            ("pa.demo", "Personal adviser, with care leavers on their tray"),
            ("mfh.demo", "Missing from home advocate, with return home interviews waiting"),
            ("cic.demo", "Social worker, Children in care North, with looked-after children"),
            ("el.demo", "Exploitation lead: missing and exploitation patterns"),
            ("fsw.demo", "Fostering and adoption social worker: households, vacancies, adopters"),
            ("ewo.demo", "Education welfare officer: children missing education and home education"),
            ("bs.demo", "Business support"),
            ("analyst.demo", "Performance analyst (no access to individual records)"),
            ("im.demo", "Inspection and improvement manager: plan, board packs, self-evaluation"),
            ("fin.demo", "Finance business partner: budgets, reserves, grants, projection"),
            ("admin.demo", "System administrator (bank holiday calendar)"),
            ("dsl.demo", "Partner referrer: a school's designated safeguarding lead"),
        ]
        for username, what in rows:
            self.stdout.write(f"  {username:<14} {what}")
