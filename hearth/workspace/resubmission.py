"""Refusing a form sent twice (a double click with JavaScript off, a resent page) for pages that add records."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import SubmissionToken

View = Callable[..., HttpResponse]


def refuses_resubmission(view: View) -> View:
    """Wrap an "add" view whose form carries ``{% submission_token %}``.

    The token is claimed in the same transaction as the save; a form that fails validation gives
    its token back, so correcting and resending works. A second send of a saved form goes back to
    the page with a message, and nothing is added twice.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get("submission_token", "") if request.method == "POST" else ""
        user = request.user
        if not token or not user.is_authenticated or len(token) > 32 or user.local_authority_id is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = SubmissionToken.objects.create(
                        local_authority_id=user.local_authority_id, user=user, token=token
                    )
            except IntegrityError:
                messages.info(request, "That form was already saved, so it has not been saved again.")
                return redirect(request.get_full_path())
            response = view(request, *args, **kwargs)
            if response.status_code not in (301, 302, 303):
                claim.delete()
            return response

    return wrapped
