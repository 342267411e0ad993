"""DfE code lists used on a person's record (CIN census and SSDA903 share them)."""

from django.db import models


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism"
    DDA = "DDA", "Other"


class UPNUnknown(models.TextChoices):
    UN1 = "UN1", "Not of school age, no UPN yet"
    UN2 = "UN2", "Never attended an English maintained school"
    UN3 = "UN3", "Educated outside England"
    UN4 = "UN4", "Newly looked after, UPN not yet known"
    UN5 = "UN5", "Sources disagree"
    UN7 = "UN7", "Referral with no further action"


class ImmigrationStatus(models.TextChoices):
    BRITISH = "british", "British citizen"
    SETTLED = "settled", "Settled or pre-settled status"
    LEAVE = "leave_to_remain", "Limited leave to remain"
    ASYLUM_SEEKER = "asylum_seeker", "Asylum seeker"
    REFUGEE = "refugee", "Refugee status"
    NRPF = "nrpf", "No recourse to public funds"
    NOT_KNOWN = "not_known", "Not known"
