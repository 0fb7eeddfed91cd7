"""Which recent flags still stand today: a stop or a cut does not vanish overnight.

A day's flags are judged on that day (domain.redflags). The next morning, before anything new
is logged, today has no flags of its own, yet a stop of yesterday is still a stop. So `status`
and Today's banner show, with today's own flags, the flags of the last logged day that still
stand (`standing_flags`), said with their date ("on 7 Dec", "since 6 Dec"). The decision is
rule-agnostic, by level, recency and what today has logged:

- only today (by the clock) carries flags, from the most recent logged day within the last
  CARRY_DAYS days;
- only flags of level "contact your doctor today" or above, and not seen by a doctor (a
  one-off "ask at the next visit" is for the visit, History and the report keep it);
- never a flag today already has (today's own wording, seen or not, is what shows);
- until today's log changes the situation: the dose rules' flags (stop, cut, too much) until
  diazepam is logged today, which is the stop rule's own condition ("no diazepam since the
  last dose"); any other flag until today is logged (domain.day_status.day_logged), when
  today's own judgement of the same symptoms and ticks takes over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from diazlog.domain.day_status import day_logged
from diazlog.domain.dose_flags import DOSE_RULES
from diazlog.domain.flag_context import FlagContext, days_between, diazepam_total, short_date
from diazlog.domain.models import Alert, DayLog, Level

CARRY_DAYS = 2  # the last logged day is carried from at most this many days before today


def _changed_today(alert: Alert, today: DayLog, context: FlagContext) -> bool:
    """Whether today's log has changed what the flag is about (see the module's docstring)."""
    if alert.rule in DOSE_RULES:
        return diazepam_total(today, context) > 0
    return day_logged(today)


def standing_flags(
    today: DayLog,
    alerts: Sequence[Alert],
    earlier: Mapping[str, Sequence[Alert]],
    starts: Mapping[tuple[str, str], str],
    context: FlagContext,
) -> list[Alert]:
    """Today's own `alerts` and the recent flags that still stand, most urgent first.

    `earlier` holds the days before `today` with their flags (seen ones marked), `starts`
    each (day, key)'s episode start (redflags.episode_starts). A carried flag keeps its own
    date, so marking it seen marks its episode; its title says when it was flagged.
    """
    if context.now is None or today.date != context.now.date().isoformat():
        return list(alerts)
    before = [d for d in earlier if d < today.date]
    if not before:
        return list(alerts)
    last = max(before)
    if days_between(last, today.date) > CARRY_DAYS:
        return list(alerts)
    own = {a.key for a in alerts}
    carried = []
    for alert in earlier[last]:
        if alert.level < Level.TODAY or alert.seen_on or alert.key in own:
            continue
        if _changed_today(alert, today, context):
            continue
        start = starts.get((last, alert.key), last)
        when = f"since {short_date(start)}" if start < last else f"on {short_date(last)}"
        carried.append(replace(alert, title=f"{alert.title} ({when})"))
        own.add(alert.key)
    return sorted([*alerts, *carried], key=lambda a: -a.level)
