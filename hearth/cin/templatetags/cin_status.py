from typing import Any

from django import template

from hearth.cin.selectors import social_care_status

register = template.Library()


@register.inclusion_tag("cin/_status_tags.html")
def social_care_tags(person: Any) -> dict[str, Any]:
    """The child's current social care status for the record header (one query)."""
    return {"tags": social_care_status(child=person) if person is not None and person.pk else []}
