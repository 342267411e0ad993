"""care_leavers."""
