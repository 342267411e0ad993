"""Permissions: written by the workforce helper."""
