"""Every indicator in ``../shared/reference/indicators.md``, one module per area; importing registers them."""

from . import cin, cla, workforce  # noqa: F401
