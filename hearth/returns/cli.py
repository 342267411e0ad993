"""What the returns' management commands share: which council, who is exporting, where the output may go,
last year's SSDA903 files, and the access log of every child in an export.

Every problem is a ``CommandError`` worded for a council's data manager; nothing here prints a child's name
or identifier.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.management.base import CommandError, CommandParser

from hearth.accounts.models import User
from hearth.tenancy.models import LocalAuthority

from .services import log_export
from .years import year_title

if TYPE_CHECKING:
    from .rules.base import Return903


def add_council_arguments(parser: CommandParser, *, by: bool = True) -> None:
    """--council, and --by for a command that exports (the person the export is logged against)."""
    parser.add_argument("--council", help="DfE LA number of the council (needed when more than one is loaded)")
    if by:
        parser.add_argument("--by", help="Username of the person exporting (default: logged as this command)")


def council_from(number: str | None) -> LocalAuthority:
    """The council named by its DfE LA number, or the only one loaded."""
    if number:
        found = LocalAuthority.objects.filter(dfe_la_number=number).first()
        if found is None:
            raise CommandError(f"No council with DfE LA number {number} is loaded")
        return found
    councils = list(LocalAuthority.objects.order_by("dfe_la_number")[:50])
    if not councils:
        raise CommandError("No council is loaded")
    if len(councils) > 1:
        numbers = ", ".join(c.dfe_la_number for c in councils)
        raise CommandError(f"More than one council is loaded: say which with --council ({numbers})")
    return councils[0]


def exporting_user(username: str | None, council: LocalAuthority) -> User | None:
    """The active user of ``council`` named by --by; None when no one is named (the command is logged)."""
    if not username:
        return None
    user = User.objects.filter(username=username, local_authority=council, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {username} in {council.name}")
    return user


def years_supported(years: Iterable[int]) -> str:
    """'2025 (2024/25), 2026 (2025/26)': a --year value and the collection year it names."""
    return ", ".join(f"{y} ({year_title(y)})" for y in years)


def check_file_writable(output: Path, *, kind: str, suffix: str | None = None) -> None:
    """Refuse, before any work, an output file that cannot be written. ``kind`` names it ("XML file")."""
    if suffix is not None and output.suffix.lower() != suffix:
        raise CommandError(f"--output must be an {kind} ending {suffix} (got {output.name or output})")
    if output.is_dir():
        raise CommandError(f"{output} is a folder: give the name of the {kind} to write")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(f"The folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise CommandError(f"Cannot write to {output}: permission denied")


def check_folder_writable(output: Path, *, kind: str) -> None:
    """Refuse an output folder that cannot be written; it may be new, in a folder that exists."""
    if output.exists() and not output.is_dir():
        raise CommandError(f"{output} is a file: give the folder to write the {kind} into")
    folder = output if output.exists() else output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(f"The folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise CommandError(f"Cannot write to {folder}: permission denied")


def previous_903(folder: str | None, *, year: int) -> Return903 | None:
    """Last year's SSDA903 as submitted, from a folder of its CSV files, for the rules that compare years;
    None when no folder is given (the caller rebuilds last year from the record)."""
    if not folder:
        return None
    from .ssda903 import read_903_csv

    try:
        return read_903_csv(Path(folder), year=year - 1)
    except ValueError as error:  # a file that is not a 903 table, or not UTF-8 text
        raise CommandError(f"Last year's return could not be read: {error}") from error


def log_command_export(*, command: str, council: LocalAuthority, user: User | None, person_pks: Iterable[int],
                       page: str) -> int:
    """One access event per child exported from the command line: against --by's user when given, and always
    naming the command that ran."""
    return log_export(local_authority_id=council.pk, person_pks=person_pks, user=user, system=f"manage.py {command}",
                      page=page)
