"""Who may do what in a young person's leaving-care record. Record-level access to the child comes first."""

import rules

from hearth.access.rules import is_manager, may_view_person

# Anyone who works with cases and may open the record keeps it up to date: personal advisers, social
# workers, business support. Allocating a personal adviser is a manager's decision.
rules.add_perm("care_leavers.record", may_view_person)
rules.add_perm("care_leavers.allocate_adviser", is_manager & may_view_person)
