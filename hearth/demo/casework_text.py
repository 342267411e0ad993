"""Invented wording for the synthetic council's front door, assessments and child protection records.

Short, plausible and about no one real: ``{child}`` and ``{adult}`` are filled in with the invented
child's first name and "their mother" or similar. Nothing here names a real person or place.
"""

from __future__ import annotations

# Concerns by the kind of referrer (CIN census source code prefix).
CONCERNS: dict[str, list[str]] = {
    "1": [
        "A relative is worried that {child} is often left alone in the evenings and has been seen hungry.",
        "A neighbour reports shouting and things being thrown at the home late at night; {child} was heard crying.",
        "{adult} called asking for help: they are struggling to cope with {child}'s behaviour and are exhausted.",
    ],
    "2": [
        "{child} arrived at school with a bruise on the cheek and gave two different accounts of how it happened.",
        "{child}'s attendance has fallen to below 70% this term; when in school {child} is tired and hungry.",
        "{child} disclosed to a teaching assistant that {adult}'s partner hits {adult} and that {child} is scared.",
        "{child} has lost weight, is wearing the same clothes every day and says there is no food at home.",
        "{child} told the designated safeguarding lead about self-harm and said nobody at home knows.",
    ],
    "3": [
        "At the new birth visit the home was cold and cluttered; {adult} appeared low and disengaged.",
        "{child} attended A&E with an injury that does not fit the explanation given; a skeletal survey is planned.",
        "{adult} missed three appointments for {child}'s chronic condition; {child}'s health is deteriorating.",
        "{adult} disclosed heavy drinking at a GP appointment and said {adult} is the only carer for {child}.",
    ],
    "4": [
        "Housing officers report the family's flat is in a very poor state and there are rent arrears and threats.",
    ],
    "5": [
        "Adult social care report that {adult}'s mental health has deteriorated and {child} is caring for {adult}.",
        "The early help worker reports the family has stopped engaging and the concerns about neglect continue.",
        "Another council reports the family has moved into the area; {child} was known to them for neglect.",
    ],
    "6": [
        "Police attended a domestic incident at the home; {child} was present and hid upstairs. DASH risk: high.",
        "Police found {child} out late at night with older young people; concerns about criminal exploitation.",
        "Police notification: {adult} arrested for possession with intent to supply; {child} was in the house.",
        "{child} reported missing overnight and found in another city; would not say where {child} had been.",
    ],
    "7": [
        "Probation report that a man on licence for offences against children is living with {adult} and {child}.",
        "Cafcass raise concerns from a private law case about {child}'s safety during contact.",
    ],
    "8": [
        "The children's centre is worried about {child}'s speech and development and {adult}'s low mood.",
        "A youth worker reports that {child} has been sleeping at different addresses and seems frightened.",
    ],
    "9": [
        "An anonymous caller says {child} is left alone for long periods and the home smells of cannabis.",
    ],
    "10": [
        "Concerns about {child}'s care at home; details to be confirmed with the referrer.",
    ],
}

SCREENING = [
    "Checks with police, health and school completed. No previous involvement with children's social care.",
    "Known to the service before; last closed after an assessment. Health visitor and school consulted.",
    "Partner checks show repeated police call-outs in the last six months. Consent position recorded.",
    "School and GP confirm the concerns. {adult} spoken to by phone and is willing to accept support.",
]

RATIONALE: dict[str, list[str]] = {
    "nfa": [
        "Concerns addressed by the referrer; no role for children's services. Referrer informed.",
        "Single incident, appropriate parental response and protective factors in place. No further action.",
    ],
    "advice": [
        "Advice given to the referrer about supporting {child} in school and when to contact us again.",
        "{adult} signposted to the parenting helpline and the local family hub. Referrer given advice.",
    ],
    "early_help": [
        "Needs are below the threshold for statutory services; {adult} consents to an early help assessment.",
        "Family would benefit from a lead practitioner and a team around the family. Consent obtained.",
    ],
    "referral": [
        "Needs cannot be met by universal or early help services: a child and family assessment is needed.",
        "Cumulative concerns about neglect; threshold for a statutory assessment met. Passed to the assessment team.",
    ],
    "strategy_discussion": [
        "Reasonable cause to suspect {child} is suffering significant harm. Strategy discussion to be convened today.",
        "Injury with no plausible explanation: strategy discussion with police and health this afternoon.",
    ],
}

ASSESSMENT_SECTIONS: dict[str, list[str]] = {
    "reason_for_assessment": [
        "Referral from {referrer} about {concern}.",
    ],
    "childs_voice": [
        "{child} was seen at home and at school. {child} said they like their teacher and worry about {adult}.",
        "{child} used the three houses tool: worries about shouting at home, good things are friends and football.",
        "{child} is pre-verbal; observed {child} seeking comfort from {adult}, who responded warmly.",
    ],
    "developmental_needs": [
        "{child} is meeting most milestones; health appointments are up to date apart from dental checks.",
        "School report {child} is behind in reading and struggles to concentrate after difficult nights.",
    ],
    "parenting_capacity": [
        "{adult} loves {child} and can describe {child}'s needs, but routines break down when {adult} is unwell.",
        "Basic care is inconsistent; {adult} has engaged with some but not all of the support offered.",
    ],
    "family_and_environment": [
        "The family live in a privately rented flat; there are debts and little support from wider family.",
        "Maternal grandmother lives nearby and offers practical help; there is a history of domestic abuse.",
    ],
    "analysis": [
        "Strengths: {adult}'s commitment and the support of school. Risks: the pattern of incidents is escalating.",
        "Needs can be met with a plan of support; no indication of significant harm at present.",
    ],
    "recommendation": [
        "Recommend {outcome}.",
    ],
}

STRATEGY_REASON = [
    "Injury to {child} with an inconsistent explanation reported by {referrer}.",
    "{child} disclosed being hit by {adult}'s partner; police and school information shared.",
    "Escalating neglect despite support: home conditions, missed health appointments and poor attendance.",
    "Concerns that {child} is being criminally exploited: missing episodes and unexplained money.",
]

S47_FINDINGS = {
    "not_substantiated": "Joint visit and medical completed; explanation consistent. Concerns not substantiated.",
    "substantiated_no_risk": "Concerns substantiated but the protective parent has acted; support under a CIN plan.",
    "substantiated_at_risk": "Concerns substantiated and {child} is at continuing risk of significant harm: ICPC.",
}

CONFERENCE_CONCERNS = [
    "Long-standing neglect: poor home conditions, missed health appointments and {child} often hungry at school.",
    "Domestic abuse witnessed by {child}; {adult} finds it hard to keep the abusive partner away.",
    "{adult}'s drug use affects the care {child} receives; periods when no sober adult is at home.",
]

FAMILY_SUMMARY = [
    "We are worried that {child} does not always get the care they need at home. This plan says what will "
    "change, who will help, and what we will check at each meeting.",
    "Everyone at the meeting agreed that {child} needs to be kept safe from arguments and fighting at home. "
    "Your social worker will visit every two weeks and see {child} on their own.",
]

OUTLINE_PLAN = [
    "Home conditions to be kept to an agreed standard; health appointments kept; {adult} to attend a parenting "
    "course; {child} seen alone at each visit; school attendance above 90%.",
    "{adult} to engage with the domestic abuse service; safety plan agreed; police markers on the address; "
    "{child} to be referred for direct work.",
]

CORE_GROUP = [
    "Actions reviewed: most completed. Home conditions improved; attendance still a concern.",
    "Mixed progress: {adult} attended the course but missed two health appointments for {child}.",
    "Good progress on the safety plan; no police call-outs since the last meeting.",
]

VISIT = [
    "{child} seen in their bedroom and spoke about school. Home warm and clean; food in the cupboards.",
    "{child} seen alone; said things at home are \"better\". {adult} engaging well with the plan.",
    "No answer at the first attempt; visited the next day and saw {child} with {adult}.",
    "{child} quiet and withdrawn; agreed to see {child} at school this week.",
]

CIN_PLAN = [
    "Support with routines and school attendance; family support worker twice a week; review in three months.",
    "Respite and equipment for {child}'s needs; carers' assessment for {adult}; school to share progress.",
]

CIN_REVIEW = [
    "Plan reviewed with the family and school; most actions met. Plan continues.",
    "Some progress; attendance improved. New action: referral to the young carers' service.",
]

OVERSIGHT: dict[str, list[str]] = {
    "contact_decision": ["I agree with the decision and the reasons recorded. Threshold applied correctly."],
    "assessment_authorisation": [
        "Assessment is thorough and the child's voice is clear. Agree with the analysis and the recommendation.",
    ],
    "s47_outcome": ["Agree with the outcome of the enquiry and the next steps recorded."],
    "cp_plan_start": ["Plan agreed at conference; first core group booked within ten working days."],
    "cp_plan_end": ["Risk reduced and sustained; agree the plan ends. Step-down plan in place."],
}

EARLY_HELP_LEADS = [
    "Family support worker, {place} Family Hub",
    "Lead practitioner, {place} Children's Centre",
    "Pastoral lead, the child's school",
    "Early help practitioner, {place} Family Hub",
]

MYSTERY_SHOPPER_SCENARIOS = [
    "A childminder worried about a child who arrives hungry and with unexplained marks.",
    "A grandparent asking what to do about a daughter's new partner.",
    "A teacher asking whether a disclosure needs a referral or advice.",
    "A neighbour reporting young children left alone overnight.",
]
