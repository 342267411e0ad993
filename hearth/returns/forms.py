from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from hearth.workspace.forms import GovUKDateField

from .models import ReturnRun
from .years import collection_period, year_title

ACTIONS = {"validate": ReturnRun.Action.VALIDATE, "export": ReturnRun.Action.EXPORT}


def years_begun(years: tuple[int, ...], today: date) -> list[int]:
    """The supported collection years that have started, newest first (a year under way can be checked)."""
    return sorted((y for y in years if collection_period(y)[0] <= today), reverse=True)


def latest_finished(years: list[int], today: date) -> int | None:
    """The newest collection year that has ended: the one a return is normally made for."""
    ended = [y for y in years if collection_period(y)[1] < today]
    return max(ended) if ended else (max(years) if years else None)


def year_choice(year: int, today: date) -> str:
    if collection_period(year)[1] < today:
        return year_title(year)
    return f"{year_title(year)} (not yet ended)"


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Collection year", coerce=int, choices=(),
                                  help_text="1 April to 31 March",
                                  error_messages={"required": "Select the collection year",
                                                  "invalid_choice": "Select one of the collection years listed"})

    def __init__(self, *args: Any, years: tuple[int, ...], **kwargs: Any) -> None:
        today = timezone.localdate()
        begun = years_begun(years, today)
        # The year under way can be checked, but the return people make is for the last year that ended.
        kwargs.setdefault("initial", {"year": latest_finished(begun, today)})
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, year_choice(y, today)) for y in begun]


class AnnexAForm(forms.Form):
    start = GovUKDateField(label="Start date", help_text="Ofsted usually asks for the 6 months before the request")
    end = GovUKDateField(label="End date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"start": today - relativedelta(months=6), "end": today})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned


class FindingFilterForm(forms.Form):
    rule = forms.ChoiceField(label="Rule", required=False, choices=())
    severity = forms.ChoiceField(label="Severity", required=False,
                                 choices=[("", "Errors and queries"), ("error", "Errors"), ("query", "Queries")])
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None, choices=())

    def __init__(self, *args: Any, rules: list[str], teams: list[tuple[int, str]] | None,
                 checked: Iterable[str] = (), **kwargs: Any) -> None:
        """``rules``: the codes among the findings; ``checked``: every rule the run checked, so a filter kept
        from an earlier run ("Check again") on a rule now passed shows that nothing matches."""
        super().__init__(*args, **kwargs)
        rule = self.fields["rule"]
        assert isinstance(rule, forms.ChoiceField)
        codes = list(rules)
        asked = self.data.get(self.add_prefix("rule"), "") if self.is_bound else ""
        if asked and asked not in codes and asked in set(checked):
            codes.append(asked)
        rule.choices = [("", "All rules"), *((r, r) for r in codes)]
        team = self.fields["team"]
        assert isinstance(team, forms.TypedChoiceField)
        if teams is None:
            del self.fields["team"]
        else:
            team.choices = [("", "All teams"), *teams]

    def chosen(self) -> dict[str, Any]:
        """The filters that are valid; one that is not (a rule no longer listed, a team closed) is ignored
        rather than throwing the others away."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
