from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from hearth.chronology.services import sanitise_note_html

register = template.Library()


@register.filter
def note_html(body: str) -> SafeString:
    """A note's body, cleaned again on the way out in case a row reached the table another way."""
    return mark_safe(sanitise_note_html(body))  # nh3 has just cleaned it


@register.filter
def local_link(url: str) -> str:
    """Only links within Hearth are followed from the chronology."""
    return url if url.startswith("/") and not url.startswith("//") else ""


@register.filter
def css_string(value: object) -> SafeString:
    """Text for a CSS string ("..."): anything but letters, digits and spaces as a CSS escape."""
    out = []
    for char in str(value):
        out.append(char if (char.isalnum() and char.isascii()) or char == " " else f"\\{ord(char):x} ")
    return mark_safe("".join(out))  # every other character is escaped
