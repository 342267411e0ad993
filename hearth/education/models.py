"""education."""
