"""The council a command is run for, named by its DfE LA number on the command line."""

from __future__ import annotations

from django.core.management.base import CommandError

from hearth.tenancy.models import LocalAuthority


def council_numbered(number: str) -> LocalAuthority:
    """The loaded council with DfE LA number ``number``; a CommandError (exit status 2) when there is none."""
    found = LocalAuthority.objects.filter(dfe_la_number=number).first()
    if found is None:
        raise CommandError(f"No council with DfE LA number {number} is loaded", returncode=2)
    return found
