"""Local indicators: measures the council sets itself, with no DfE definition or published benchmark.

``rhi_in_time``: return home interviews offered or held within 72 hours. Statutory guidance (Children who run
away or go missing from home or care, 2014) says an independent return interview should be offered within 72
hours of a child's return; Hearth makes an interview record for every return (``hearth.missing``), due 72
elapsed hours after it. The missing-from-home advocates' posts serve this measure.

* **Denominator**: every return in the period, missing or away: each interview whose child was found or
  returned in it (``hearth.missing.selectors.return_interviews_in_period``, London days, both ends in).
* **Numerator**: those offered by the due time, or held by it (a record held in time but with no offer time
  still counts: holding it is the offer taken up).
* **Declined interviews**: the child's right. One offered in time and then declined counts as done in time (the
  council did what it must); one declined with no offer recorded in time does not (nothing shows an offer was
  made within the 72 hours). Returns whose 72 hours have not yet run out at the period's end are counted like
  the rest, so the latest figure can rise as late offers come in.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from hearth.indicators.registry import Member, Period, Tally, indicator, key, with_teams

MISSING_GROUP = "missing"


@indicator(
    code="rhi_in_time", title="Return home interviews offered or held within 72 hours", group=MISSING_GROUP,
    unit="percent", polarity="high", measured="in_period", decimals=1,
    numerator="Returns in the period whose return home interview was offered, or held, within 72 hours of the "
              "child coming back",
    denominator="Every return from a missing or away episode in the period (one interview is due for each)",
    definition="A local measure, not DfE's: statutory guidance asks for an independent return interview to be "
               "offered within 72 hours of a child's return. Each return in the period counts once, missing or "
               "away; it meets the measure when the interview was offered or held by its due time (72 hours after "
               "the return). An interview offered in time and then declined by the child meets it; one declined "
               "with no offer recorded in time does not. No national benchmark is published.",
)
def rhi_in_time(period: Period) -> Tally:
    from hearth.missing.selectors import return_interviews_in_period

    rows = (return_interviews_in_period(local_authority=period.local_authority.pk, start=period.start,
                                        end=period.end)
            .annotate(in_time=Q(offered_at__lte=F("due_at")) | Q(completed_at__lte=F("due_at")))
            .order_by("episode__ended_at", "pk")
            .values_list("pk", "child_id", "episode__ended_at", "in_time", "response"))
    every: list[Member] = []
    met: list[Member] = []
    for pk, child_id, returned_at, in_time, response in rows:
        on = timezone.localtime(returned_at).date()
        declined = " (declined)" if response == "declined" else ""
        member = Member(key("missing.returninterview", pk), child_id, on,
                        note=("Offered or held within 72 hours" if in_time else "Not offered within 72 hours")
                        + declined)
        every.append(member)
        if in_time:
            met.append(member)
    return with_teams(period, Tally(met, every))
