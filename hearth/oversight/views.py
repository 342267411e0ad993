"""Views for oversight."""
