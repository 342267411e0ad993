"""DfE validation rules for the SSDA903 and the CIN census. Importing this package registers them all."""

from __future__ import annotations

from . import (
    cin,
    ssda903_adoption,
    ssda903_episodes_1,
    ssda903_episodes_2,
    ssda903_header,
    ssda903_other,
    ssda903_outcomes,
)

_903_MODULES = (ssda903_header, ssda903_episodes_1, ssda903_episodes_2, ssda903_adoption, ssda903_outcomes,
                ssda903_other)


def not_implemented_903() -> dict[str, str]:
    """SSDA903 rule codes Hearth does not check, with the reason."""
    out: dict[str, str] = {}
    for module in _903_MODULES:
        out.update(module.NOT_IMPLEMENTED)
    return out


def not_implemented_cin() -> dict[str, str]:
    return dict(cin.NOT_IMPLEMENTED)
