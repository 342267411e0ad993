"""cla indicators (see ../shared/reference/indicators.md)."""

from __future__ import annotations
