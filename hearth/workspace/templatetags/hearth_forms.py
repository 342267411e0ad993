import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def submission_token() -> SafeString:
    """A one-time token per rendered form, so a second click or a resent form adds nothing twice."""
    return format_html('<input type="hidden" name="submission_token" value="{}">', uuid.uuid4().hex)
