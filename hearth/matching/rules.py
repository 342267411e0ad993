import rules

from hearth.accounts.roles import Role

# Merging is a data-quality decision: the managers who know the cases, and business support who
# keep the records.
MERGE_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.BUSINESS_SUPPORT})


@rules.predicate
def may_merge_people(user) -> bool:
    return bool(user.is_authenticated and user.has_case_access and user.role in MERGE_ROLES)


# Record-level access (both records viewable) is checked for each pair on top of these.
rules.add_perm("matching.merge_people", may_merge_people)
rules.add_perm("matching.review_duplicates", may_merge_people)
rules.add_perm("matching.run_linkage", may_merge_people)
