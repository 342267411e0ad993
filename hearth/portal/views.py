"""Views for portal."""
