import rules

from hearth.access.rules import may_view_person

# Anyone who works with cases and may open the child records their care (business support often
# keys placement changes); the services check each change against the 903 rules and its sequence.
rules.add_perm("care.view", may_view_person)
rules.add_perm("care.record", may_view_person)
