"""Every indicator in ``../shared/reference/indicators.md``, one module per area, and the council's local ones
(``local``); importing registers them."""

from . import cin, cla, local, workforce  # noqa: F401
