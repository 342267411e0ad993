import rules

from hearth.access.rules import is_manager, may_view_person

# Anyone who works with cases and may open the child records child protection work (business support
# often minutes conferences); the services check each step's sequence, managers alone record oversight.
rules.add_perm("protection.record", may_view_person)
rules.add_perm("protection.record_oversight", is_manager & may_view_person)
