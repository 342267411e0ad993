"""A coverage bar drawn as inline SVG: colours are presentation attributes, because the content security policy
refuses inline styles. The bar is decoration; the figure beside it says the same in words."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

WIDTH, HEIGHT = 300, 20
BLUE, GREY, BLACK = "#1d70b8", "#f3f2f1", "#0b0c0c"


@register.simple_tag
def coverage_bar(trained: int, target: int) -> SafeString:
    share = min(trained / target, 1.0) if target else 0.0
    filled = round(WIDTH * share, 1)
    # Numbers only: nothing typed by anyone reaches the markup.
    return mark_safe(
        f'<svg class="hearth-coverage-bar" width="100%" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="{GREY}"/>'
        f'<rect x="0" y="0" width="{filled}" height="{HEIGHT}" fill="{BLUE}"/>'
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" fill="none" stroke="{BLACK}" '
        f'stroke-width="1" vector-effect="non-scaling-stroke"/></svg>'
    )


@register.filter
def field_for(form: Any, booking: Any) -> Any:
    """The register's attendance field for one booking."""
    return form[f"mark-{booking.pk}"]
