"""Views for worktrays."""
