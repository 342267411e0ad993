"""Roles and what each may do in broad terms. Record-level rules live in hearth.access."""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager / head of service"
    DIRECTOR = "director", "Director of children's services"
    IRO = "iro", "IRO / child protection chair"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    MISSING_ADVOCATE = "missing_advocate", "Missing from home advocate"
    EXPLOITATION_LEAD = "exploitation_lead", "Exploitation lead"
    FOSTERING_WORKER = "fostering_worker", "Fostering or adoption social worker"
    EDUCATION_OFFICER = "education_officer", "Education welfare officer (CME and EHE)"
    BUSINESS_SUPPORT = "business_support", "Business support"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    IMPROVEMENT_MANAGER = "improvement_manager", "Inspection and improvement manager"
    FINANCE_OFFICER = "finance_officer", "Finance business partner"
    SYSTEM_ADMIN = "system_admin", "System administrator"
    PARTNER_REFERRER = "partner_referrer", "Partner referrer"


# Roles that work with children's records. Analysts see aggregates and pseudonymised
# lists only; administrators run the system, not cases; partners see their own referrals.
CASE_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.SENIOR_PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.DIRECTOR,
        Role.IRO,
        Role.PERSONAL_ADVISER,
        Role.MISSING_ADVOCATE,
        Role.EXPLOITATION_LEAD,
        Role.FOSTERING_WORKER,
        Role.EDUCATION_OFFICER,
        Role.BUSINESS_SUPPORT,
    }
)

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR})

# Roles that carry a caseload of their own.
ALLOCATABLE_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.SENIOR_PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.PERSONAL_ADVISER,
        Role.MISSING_ADVOCATE,
        Role.IRO,
    }
)

STAFF_ROLES = frozenset(Role) - {Role.PARTNER_REFERRER}
