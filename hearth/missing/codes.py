"""Code lists for missing episodes, return home interviews and exploitation screening.

Missing (M) and away (A) are the SSDA903 ``MISSING`` codes in ``hearth.care.codes.MissingType``;
these are Hearth's own lists for what the 903 does not define.
"""

from __future__ import annotations

from django.db import models


class PoliceRisk(models.TextChoices):
    """The police's risk grading of a missing person (College of Policing APP on missing persons)."""

    VERY_LOW = "very_low", "Very low"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class HowReturned(models.TextChoices):
    OWN_ACCORD = "own_accord", "Came back of their own accord"
    POLICE = "police", "Found by the police"
    PARENT_OR_CARER = "parent_or_carer", "Found or collected by a parent or carer"
    PROFESSIONAL = "professional", "Found by a social worker or another professional"
    OTHER = "other", "Other"


class InterviewResponse(models.TextChoices):
    ACCEPTED = "accepted", "Accepted the interview"
    DECLINED = "declined", "Declined the interview"


class PushFactor(models.TextChoices):
    """What pushed the child away from where they should have been."""

    CONFLICT_AT_HOME = "conflict_at_home", "Conflict or arguments at home"
    PLACEMENT_UNHAPPY = "placement_unhappy", "Unhappy in the placement"
    BOUNDARIES = "boundaries", "Rules or boundaries set by parents or carers"
    ABUSE_OR_NEGLECT = "abuse_or_neglect", "Abuse or neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse at home"
    CARER_SUBSTANCE_MISUSE = "carer_substance_misuse", "Parent's or carer's drug or alcohol use"
    BULLYING = "bullying", "Bullying"
    SCHOOL = "school", "Problems at school"
    MENTAL_HEALTH = "mental_health", "Mental health or emotional wellbeing"
    LOSS = "loss", "Bereavement, loss or separation"
    IDENTITY = "identity", "Identity, sexuality or feeling they do not belong"
    OTHER = "other", "Something else"


class PullFactor(models.TextChoices):
    """What drew the child to where they went."""

    PEERS = "peers", "Friends or peers"
    PARTNER = "partner", "Boyfriend or girlfriend"
    OLDER_ADULTS = "older_adults", "Older adults"
    FAMILY = "family", "Birth family or relatives"
    PREVIOUS_AREA = "previous_area", "A place they used to live"
    DRUGS_ALCOHOL = "drugs_alcohol", "Drugs or alcohol"
    EXPLOITATION = "exploitation", "Suspected sexual or criminal exploitation"
    MONEY_OR_GIFTS = "money_or_gifts", "Money, gifts or somewhere to stay"
    ONLINE = "online", "Someone they met online"
    OTHER = "other", "Something else"


class RiskLevel(models.TextChoices):
    NONE = "none", "No risk identified"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


RISK_ORDER: dict[str, int] = {RiskLevel.NONE: 0, RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class Indicator(models.TextChoices):
    """Signs of child sexual (CSE) or criminal (CCE) exploitation seen at screening."""

    REPEAT_MISSING = "repeat_missing", "Going missing often, or out late without explanation"
    MONEY_OR_GIFTS = "money_or_gifts", "Unexplained money, gifts, clothes or phones"
    PHONES = "phones", "More than one phone, or secretive phone use"
    OLDER_PARTNER = "older_partner", "Relationship with an older person"
    KNOWN_EXPLOITERS = "known_exploiters", "Links to known or suspected exploiters or gangs"
    OUT_OF_AREA = "out_of_area", "Found out of area, or in places linked to exploitation"
    CARRYING_DRUGS = "carrying_drugs", "Carrying or selling drugs ('county lines')"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug or alcohol misuse"
    WEAPONS_OR_VIOLENCE = "weapons_or_violence", "Carrying weapons, or involved in violence"
    INJURIES = "injuries", "Unexplained injuries"
    SEXUAL_HEALTH = "sexual_health", "Sexual health concerns or pregnancy"
    ONLINE = "online", "Risky online contact or images shared"
    VEHICLES = "vehicles", "Picked up in cars by unknown adults"
    SCHOOL = "school", "Not attending school, or excluded"
    ARRESTS = "arrests", "Arrested, or arrested with older people"
    DEBT = "debt", "Owes money or favours to others (debt bondage)"
    TRAFFICKING = "trafficking", "Signs of trafficking or modern slavery"
