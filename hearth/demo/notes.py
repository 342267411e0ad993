"""Invented case note text for the synthetic council: short, plausible, about no one real."""

from __future__ import annotations

from hearth.accounts.models import Team

# Case note templates: (title, paragraphs). {child}, {adult}, {attendance} and {pet} are filled in.
GENERAL_NOTES: list[tuple[str, list[str]]] = [
    ("Home visit", [
        "Visited {child} at home with {adult} present. The home was warm and there was food in the cupboards.",
        "{child} showed me their bedroom and talked about school. {child} said things at home were \"alright\".",
        "Agreed to visit again within ten working days. {adult} was reminded of the plan and who to call.",
    ]),
    ("Phone call with school", [
        "Spoke to the designated safeguarding lead about {child}'s attendance, which is {attendance}% this term.",
        "School report {child} has been more settled since half term and is eating breakfast in the club.",
        "School will share any new concerns the same day.",
    ]),
    ("Direct work session", [
        "Saw {child} alone at school and used the three houses tool.",
        "In the house of worries {child} drew arguments at home; in the house of good things, their {pet}.",
        "{child}'s wishes and feelings will be shared at the next meeting with their agreement.",
    ]),
    ("Core group meeting", [
        "Attended: {adult}, school, health visitor and social worker. Actions from the last meeting reviewed.",
        "Progress on the plan is mixed: appointments kept, but the home conditions have slipped again.",
        "Next core group in four weeks.",
    ]),
    ("Contact with parent", [
        "Telephone call with {adult}, who asked about the date of the next review.",
        "{adult} said the new medication is helping and that they are attending the group on Tuesdays.",
    ]),
    ("Health appointment follow-up", [
        "Checked with the GP surgery that {child} attended the appointment; they did.",
        "Immunisations are now up to date. No concerns raised by the practice nurse.",
    ]),
]
NOTES_BY_KIND: dict[str, list[tuple[str, list[str]]]] = {
    Team.Kind.CHILDREN_IN_CARE: [
        ("Statutory visit to placement", [
            "Visited {child} at the placement and saw them alone in their room.",
            "{child} said they like their carers and the {pet}, and would like more time with their brother.",
            "Carers report {child} is sleeping better. School attendance this term is {attendance}%.",
        ]),
        ("Family time", [
            "Supervised family time at the contact centre. {child} was excited to see {adult} and they played a "
            "board game together.",
            "The session ended calmly. Next family time is in two weeks.",
        ]),
        ("Personal education plan meeting", [
            "PEP meeting with the designated teacher and the virtual school.",
            "Targets agreed for reading; pupil premium plus to fund one-to-one tuition.",
        ]),
    ],
    Team.Kind.CARE_LEAVERS: [
        ("Pathway plan review", [
            "Met {child} at a café near their flat to review the pathway plan.",
            "{child} is on the college course and managing the rent; help needed with the council tax letter.",
            "Agreed to meet again next month and to chase the setting-up-home allowance.",
        ]),
        ("Visit to flat", [
            "Visited {child} at their flat. It was tidy and there was food in.",
            "{child} asked about driving lessons and the leaving care grant.",
        ]),
    ],
    Team.Kind.EXPLOITATION: [
        ("Return home interview", [
            "Return home interview after {child} was missing overnight.",
            "{child} said they were with friends in the city centre and would not say more.",
            "Information shared with the police missing person coordinator.",
        ]),
        ("Safety planning", [
            "Direct work with {child} on a safety plan: who they can call and where they can go.",
            "{child} agreed to keep their phone charged and to text {adult} if they are going to be late.",
        ]),
    ],
    Team.Kind.DISABLED_CHILDREN: [
        ("Short breaks review", [
            "Reviewed the short breaks package with {adult}.",
            "{child} enjoys the Saturday club; {adult} asked for an extra overnight stay each month.",
        ]),
    ],
}
PETS = ["dog", "cat", "rabbit", "hamster", "goldfish", "gran's dog"]
