"""Permissions: written by the improvement helper."""
