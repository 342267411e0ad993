import rules

from hearth.access.rules import may_view_person

# Anyone who works with cases and may open the child records their care plan work: the social worker,
# the IRO who chairs the reviews, business support who minute them. The services check the facts.
rules.add_perm("care_plans.record", may_view_person)
