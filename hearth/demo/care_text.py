"""Words for the synthetic council's children in care, care leavers, missing children and carers.

Every name here is invented: children's homes, fostering agencies and supported accommodation
providers are made up, and nothing points at a real service. ``{child}`` is the child's first name.
"""

from __future__ import annotations

# Providers outside the council, each with an invented Ofsted URN (SC and six digits, or seven digits).
FOSTERING_AGENCIES = [
    ("Brightpath Fostering", "PR4", "SC481205"), ("Oakleaf Family Placements", "PR4", "SC472318"),
    ("Horizon Foster Care", "PR4", "SC455602"), ("Compass Family Care", "PR4", "SC490117"),
    ("Kindred Futures Fostering", "PR5", "SC438841"), ("Hearthstone Foster Families", "PR5", "SC466730"),
]
CHILDRENS_HOMES = [
    ("Meadow View", "PR1", "SC040112"), ("Larch House", "PR1", "SC040187"), ("Beacon Lodge", "PR4", "SC493321"),
    ("Willowbank", "PR4", "SC487764"), ("The Old Rectory", "PR4", "SC482290"), ("Hollybrook", "PR4", "SC479915"),
    ("Fernlea", "PR4", "SC496803"), ("Kestrel House", "PR5", "SC461127"), ("Riverside Cottage", "PR4", "SC498416"),
    ("Ashdown Farm", "PR4", "SC470058"),
]
SECURE_HOMES = [("Ashcroft secure children's home", "PR2", "SC034551"),
                ("Northgate secure children's home", "PR2", "SC035209")]
SUPPORTED_ACCOMMODATION = [
    ("Stepping Stones supported housing", "PR4", "2710345"), ("Keystone Youth Housing", "PR5", "2708812"),
    ("Foundations 16+", "PR4", "2715560"), ("Lantern Supported Living", "PR4", "2711927"),
]
RESIDENTIAL_SCHOOLS = [("Greystones residential school", "PR4", "SC477302")]
FAMILY_CENTRES = [("Cedars parent and baby unit", "PR5", "SC459874")]
ADOPTION_AGENCIES = [("Adoption East Midlands (regional adoption agency)", "PR1", "XXXXXXX"),
                     ("Family Bridges voluntary adoption agency", "PR5", "SC421963")]
COUNCIL_FOSTERING_URN = "SC049212"
COUNCIL_ADOPTION_URN = "SC049213"

# Outward codes beyond the city, with roughly how far they are (miles) from its centre.
OUT_OF_AREA = [
    ("DE1", 15), ("DE7", 10), ("DE21", 17), ("DE55", 16), ("LE1", 26), ("LE11", 15), ("LE12", 13),
    ("LN1", 36), ("NG17", 14), ("NG18", 15), ("NG24", 20), ("S1", 38), ("S41", 28), ("DN1", 45),
    ("B1", 50), ("B23", 47), ("ST4", 50), ("CV1", 50), ("NN1", 60), ("WS1", 55), ("PE1", 55),
    ("LS1", 70), ("M1", 70), ("BS1", 130), ("TS1", 120),
]

OUT_OF_AREA_TOWNS = {
    "DE": "Derby", "LE": "Leicester", "LN": "Lincoln", "NG": "Mansfield", "S": "Sheffield", "DN": "Doncaster",
    "B": "Birmingham", "ST": "Stoke-on-Trent", "CV": "Coventry", "NN": "Northampton", "WS": "Walsall",
    "PE": "Peterborough", "LS": "Leeds", "M": "Manchester", "BS": "Bristol", "TS": "Middlesbrough",
}
STREETS = ["Station Road", "Church Lane", "Park Avenue", "Mill Street", "Victoria Road", "Manor Close",
           "Orchard Way", "The Green", "High Street", "Meadow Drive", "Cedar Grove", "School Lane"]

CARE_PLAN_SUMMARIES = {
    "return_home": "{child} is looked after while the family works on the concerns that brought them into care. "
                   "The plan is for {child} to return home when it is safe.",
    "adoption": "{child} cannot return to birth family. The plan is adoption, with contact agreed for siblings.",
    "sgo_cao": "{child} will live permanently with family under a special guardianship order.",
    "supported_living": "{child} is preparing for adult life, in supported accommodation with their personal "
                        "adviser's help.",
    "long_term_residential": "{child} needs a stable residential placement that can meet their needs until 18.",
    "long_term_fostering": "{child} will stay with their long-term foster carers until adulthood.",
    "other": "Plan to be confirmed at the next review.",
}
NEEDS = [
    "Health: registered with a GP and dentist; annual health review. Education: attends school regularly with "
    "support from the virtual school. Identity: life story work started.",
    "Emotional wellbeing: CAMHS referral made. Contact: supervised contact with mother fortnightly.",
    "Education: PEP targets on reading and attendance. Health: immunisations up to date.",
]
PLACEMENT_PLANS = [
    "Delegated authority agreed for school trips, haircuts and sleepovers. Contact arrangements set out.",
    "Carer to take {child} to school; social worker to arrange contact with siblings weekly.",
    "Routines, health appointments and pocket money agreed with the carer and {child}.",
]
REVIEW_RECOMMENDATIONS = [
    "Care plan endorsed. Social worker to update the life story book before the next review.",
    "Placement is meeting {child}'s needs. PEP targets to be reviewed with the designated teacher.",
    "Contact to continue as planned. IRO to check the referral to CAMHS has been made.",
    "Permanence planning to be completed before the next review. Health review due: social worker to chase.",
]
VISIT_NOTES = [
    "Saw {child} at the placement. {child} showed me their room and talked about school.",
    "{child} was relaxed and chatty. Carer reports a settled few weeks; no concerns.",
    "Spoke with {child} alone about contact with family; {child} wants more time with their brother.",
    "{child} was upset about a falling out at school. Agreed with the carer to speak to the school.",
]
HEALTH_BY = ["Dr Patel, looked after children health team", "Nurse Khan, looked after children health team",
             "Dr Osei, community paediatrics", "Nurse Walsh, school nursing"]
DESIGNATED_TEACHERS = ["Mrs Hughes", "Mr Okafor", "Ms Lewis", "Mr Begum", "Mrs Thompson", "Ms Novak"]

PATHWAY_SECTIONS = {
    "accommodation": "Living in supported accommodation; working towards a tenancy.",
    "education_employment": "Enrolled at college; PA to help with the bursary application.",
    "health": "Registered with a GP; to book a dentist appointment.",
    "money": "Setting up a bank account and budgeting with the PA.",
    "relationships": "In touch with their sister; wants contact with their father.",
    "support": "PA visits every eight weeks; out-of-hours number given.",
}
CONTACT_NOTES = ["Met for coffee; all going well.", "Phone call: worried about money, PA to help with the budget.",
                 "No answer; left a message and sent a text.", "Visited the flat; tidy and settled.",
                 "Caught up at the drop-in; looking for work."]

MISSING_CIRCUMSTANCES = [
    "Did not return from school at the agreed time; phone switched off.",
    "Left after an argument about phone use; said they were going to a friend's.",
    "Went out in the evening and did not come back by the agreed time.",
    "Seen getting into a car with older young people near the shops.",
]
CHILD_ACCOUNTS = [
    "{child} said they were with friends and lost track of time.",
    "{child} said they went to see their mum and did not tell anyone.",
    "{child} did not want to say where they had been, but said they were safe.",
    "{child} said an older friend gave them money and a lift.",
]
RISKS = ["No new risks identified.", "Possible exploitation: older males, money and a new phone.",
         "Substance misuse; staying with unknown adults."]
ACTIONS = ["Share with the social worker; no further action.", "Exploitation screening to be completed.",
           "Advocate to see {child} again next week; safety plan updated."]
DECLINED = ["Did not want to talk about it.", "Said they would speak to their social worker instead."]
LATE_REASONS = ["Child not available until after the weekend.", "Advocate on leave; interview rearranged.",
                "Child refused two appointments before agreeing."]
SCREENING_NOTES = ["Screened after repeat missing episodes.", "Screened at the request of the school.",
                   "Review: risks reduced since the move of placement.", "Review: police intelligence about "
                   "links to older males; risk remains."]

CME_DETAIL = ["Left the school roll after moving; new address not known.", "Family said they were moving abroad.",
              "Offered a school place in September but did not start."]
CME_FOUND = ["School confirms the child is not on roll.", "GP records show a new address in another area.",
             "Housing confirm the family left the tenancy.", "Home visit: no answer; neighbours say they moved.",
             "Other council confirms the child is on a school roll there."]
EHE_VISIT = ["Saw work books and a timetable; the child talked about their projects.",
             "Parents sent a written report with samples of work.", "Family declined a visit at this time."]
