"""care_plans."""
