"""Permissions: written by the finance helper."""
