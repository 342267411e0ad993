"""Permissions: written by the training helper."""
