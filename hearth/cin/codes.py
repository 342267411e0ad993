"""CIN census code lists (returns.md B.4), shared by the front door, assessment and protection apps."""
# ruff: noqa: RUF001  (en dashes are the right typography in these labels)

from django.db import models


class ReferralSource(models.TextChoices):
    FAMILY = "1A", "1A: Individual – family member, relative or carer"
    ACQUAINTANCE = "1B", "1B: Individual – acquaintance (e.g. neighbour, childminder)"
    SELF = "1C", "1C: Individual – self"
    INDIVIDUAL_OTHER = "1D", "1D: Individual – other (including strangers)"
    SCHOOLS = "2A", "2A: Schools"
    EDUCATION_SERVICES = "2B", "2B: Education services"
    GP = "3A", "3A: Health – GP"
    HEALTH_VISITOR = "3B", "3B: Health – health visitor"
    SCHOOL_NURSE = "3C", "3C: Health – school nurse"
    PRIMARY_HEALTH_OTHER = "3D", "3D: Health – other primary health services"
    A_AND_E = "3E", "3E: Health – A&E"
    HEALTH_OTHER = "3F", "3F: Health – other (e.g. hospice)"
    HOUSING = "4", "4: Housing"
    LA_SOCIAL_CARE = "5A", "5A: LA services – social care (e.g. adult social care)"
    LA_OTHER_INTERNAL = "5B", "5B: LA services – other internal (e.g. youth offending)"
    LA_EXTERNAL = "5C", "5C: LA services – external (e.g. another LA's adult social care)"
    EARLY_HELP = "5D", "5D: LA services – early help"
    POLICE = "6", "6: Police"
    LEGAL_AGENCY = "7", "7: Other legal agency (courts, probation, Cafcass, prison)"
    OTHER = "8", "8: Other (children's centres, voluntary organisations)"
    ANONYMOUS = "9", "9: Anonymous"
    UNKNOWN = "10", "10: Unknown"


class PrimaryNeed(models.TextChoices):
    # N1's label from 2025/26 (returns.md B.4).
    ABUSE_OR_NEGLECT = "N1", "N1: Abuse, neglect and exploitation"
    CHILD_DISABILITY = "N2", "N2: Child's disability"
    PARENTAL_DISABILITY = "N3", "N3: Parental disability or illness"
    ACUTE_STRESS = "N4", "N4: Family in acute stress"
    FAMILY_DYSFUNCTION = "N5", "N5: Family dysfunction"
    SOCIALLY_UNACCEPTABLE = "N6", "N6: Socially unacceptable behaviour"
    LOW_INCOME = "N7", "N7: Low income"
    ABSENT_PARENTING = "N8", "N8: Absent parenting"
    NOT_CHILD_IN_NEED = "N9", "N9: Cases other than children in need"
    NOT_STATED = "N0", "N0: Not stated"


class ClosureReason(models.TextChoices):
    ADOPTED = "RC1", "RC1: Adopted"
    DIED = "RC2", "RC2: Died"
    CHILD_ARRANGEMENTS = "RC3", "RC3: Child arrangements order"
    SPECIAL_GUARDIANSHIP = "RC4", "RC4: Special guardianship order"
    TRANSFERRED_LA = "RC5", "RC5: Transferred to another local authority"
    TRANSFERRED_ADULTS = "RC6", "RC6: Transferred to adult social care"
    SERVICES_CEASED = "RC7", "RC7: Services ceased for any other reason"
    NFA_AFTER_ASSESSMENT = "RC8", "RC8: Case closed after assessment, no further action"
    EARLY_HELP_AFTER_ASSESSMENT = "RC9", "RC9: Case closed after assessment, referred to early help"


# RC8 and RC9 need an assessment in the episode (rule 8825Q).
CLOSURE_NEEDS_ASSESSMENT = frozenset({ClosureReason.NFA_AFTER_ASSESSMENT, ClosureReason.EARLY_HELP_AFTER_ASSESSMENT})


class AssessmentFactor(models.TextChoices):
    """Factors identified at the end of an assessment. 18A and 19A are retired and never offered."""

    ALCOHOL_CHILD = "1A", "1A: Alcohol misuse – child"
    ALCOHOL_PARENT = "1B", "1B: Alcohol misuse – parent or carer"
    ALCOHOL_OTHER = "1C", "1C: Alcohol misuse – another person in the household"
    DRUGS_CHILD = "2A", "2A: Drug misuse – child"
    DRUGS_PARENT = "2B", "2B: Drug misuse – parent or carer"
    DRUGS_OTHER = "2C", "2C: Drug misuse – another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "3A: Domestic abuse – child"
    DOMESTIC_ABUSE_PARENT = "3B", "3B: Domestic abuse – parent or carer"
    DOMESTIC_ABUSE_OTHER = "3C", "3C: Domestic abuse – another person in the household"
    MENTAL_HEALTH_CHILD = "4A", "4A: Mental health – child"
    MENTAL_HEALTH_PARENT = "4B", "4B: Mental health – parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "4C: Mental health – another person in the household"
    LEARNING_DISABILITY_CHILD = "5A", "5A: Learning disability – child"
    LEARNING_DISABILITY_PARENT = "5B", "5B: Learning disability – parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", "5C: Learning disability – another person in the household"
    PHYSICAL_DISABILITY_CHILD = "6A", "6A: Physical disability or illness – child"
    PHYSICAL_DISABILITY_PARENT = "6B", "6B: Physical disability or illness – parent or carer"
    PHYSICAL_DISABILITY_OTHER = "6C", "6C: Physical disability or illness – another person in the household"
    YOUNG_CARER = "7A", "7A: Young carer"
    PF_OVERSEAS_RETURN = "8B", "8B: Privately fostered – overseas child intending to return"
    PF_OVERSEAS_STAY = "8C", "8C: Privately fostered – overseas child intending to stay"
    PF_UK_EDUCATION = "8D", "8D: Privately fostered – UK child in an educational placement"
    PF_UK_FAMILY = "8E", "8E: Privately fostered – UK child in an alternative family arrangement"
    PF_OTHER = "8F", "8F: Privately fostered – other"
    UASC = "9A", "9A: Unaccompanied asylum-seeking child"
    MISSING = "10A", "10A: Going or being missing"
    CSE = "11A", "11A: Child sexual exploitation"
    TRAFFICKING = "12A", "12A: Trafficking"
    GANGS = "13A", "13A: Gangs"
    SOCIALLY_UNACCEPTABLE = "14A", "14A: Socially unacceptable behaviour"
    SELF_HARM = "15A", "15A: Self-harm"
    NEGLECT = "16A", "16A: Neglect"
    EMOTIONAL_ABUSE = "17A", "17A: Emotional abuse"
    PHYSICAL_ABUSE_BY_CHILD = "18B", "18B: Physical abuse by another child"
    PHYSICAL_ABUSE_BY_ADULT = "18C", "18C: Physical abuse by an adult"
    SEXUAL_ABUSE_BY_CHILD = "19B", "19B: Sexual abuse by another child"
    SEXUAL_ABUSE_BY_ADULT = "19C", "19C: Sexual abuse by an adult"
    OTHER = "20", "20: Other"
    NO_FACTORS = "21", "21: No factors identified"
    FGM = "22A", "22A: Female genital mutilation"
    FAITH_ABUSE = "23A", "23A: Abuse linked to faith or belief"
    CCE = "24A", "24A: Child criminal exploitation"


class CategoryOfAbuse(models.TextChoices):
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    SEXUAL = "SAB", "Sexual abuse"
    # Kept for history and returns; no longer recommended (domain.md §2).
    MULTIPLE = "MUL", "Multiple (no longer recommended)"
