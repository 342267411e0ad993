"""The templates and themes a council starts with; a head of service revises them from there."""

from __future__ import annotations

from .models import Area

# (slug, name)
THEMES: list[tuple[str, str]] = [
    ("voice-of-the-child", "Voice of the child"),
    ("drift-and-delay", "Drift and delay"),
    ("management-oversight", "Management oversight"),
    ("chronology", "Chronology"),
    ("contingency-planning", "Contingency planning"),
    ("partnership-working", "Partnership working"),
    ("risk-analysis", "Risk analysis"),
    ("direct-work", "Direct work"),
]

# family, name, description, [(area, question, guidance)]
TEMPLATES: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "standard",
        "Standard case audit",
        "The council's monthly audit of practice for any child open to children's social care.",
        [
            (Area.VOICE, "Is the child's voice heard, and does it shape the work?",
             "Wishes and feelings recorded in the child's own words; seen alone where right for them; direct "
             "work; how their views changed the plan."),
            (Area.ASSESSMENT, "Is the assessment current and analytical, and does it show the child's lived "
                              "experience?",
             "Updated when circumstances change; history used; analysis, not description; needs of brothers and "
             "sisters considered."),
            (Area.RISK, "Are risks and protective factors identified, analysed and acted on?",
             "Harm and its likelihood named; cumulative harm and patterns seen; safety planning when needed."),
            (Area.PLAN, "Is there a specific plan that meets the child's needs and is it moving on without drift?",
             "Outcomes, actions, who and by when; contingency plan; reviews on time; progress visible."),
            (Area.MANAGEMENT, "Is management oversight and supervision visible, reflective and directive?",
             "Decisions recorded with reasons at each key point; supervision notes on the record; drift "
             "challenged."),
            (Area.CHRONOLOGY, "Is the chronology up to date, and is the record clear and timely?",
             "Significant events with their impact; case notes within the council's timescale."),
            (Area.PARTNERSHIP, "Do partners contribute to the assessment and plan?",
             "Health, school, police and others invited, attending and acting; information shared."),
            (Area.IMPACT, "Has the work made a difference to the child's life?",
             "What is better, or worse, for the child since the last review, in the record's own evidence."),
        ],
    ),
    (
        "missing-from-home",
        "Children missing from home or care",
        "A themed audit of children who go missing, with the risk of exploitation in view.",
        [
            (Area.VOICE, "Were return home interviews offered and held, and does the child's account inform "
                         "the plan?",
             "Offered within 72 hours; independent; push and pull factors recorded; what the child said used."),
            (Area.RISK, "Is the risk of exploitation assessed and reviewed after each episode?",
             "Screening completed and reviewed; contextual safeguarding; places and people of concern known."),
            (Area.PARTNERSHIP, "Is information shared with the police and partners, with strategy discussions "
                               "when needed?",
             "Missing reports timely; intelligence shared; strategy discussion after repeated episodes."),
            (Area.PLAN, "Does the plan tackle why the child goes missing?",
             "Push and pull factors addressed; safety plan shared with carers; disruption activity."),
            (Area.MANAGEMENT, "Does management oversight respond to the pattern of episodes?",
             "A manager sees each episode; escalation after three episodes; drift challenged."),
            (Area.IMPACT, "Are episodes becoming fewer or shorter?",
             "The pattern over the last six months, and what the record says made the difference."),
        ],
    ),
]
