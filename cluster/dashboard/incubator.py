"""The incubator, counted by calendar year, one stay (incubation) at a time.

From one year to the next, with ``[start, end)`` periods and T0, T1 the first days of the
year and of the next one:

- continuing from the year before: entered before T0, not left by T0 (end empty or after);
- entries: entered in the year (T0 <= start < T1);
- hosted during the year = continuing + entries;
- exits: last day in the year (T0 < end <= T1), by outcome;
- continuing into the next year = hosted − exits.

An incubator hosts tens of start-ups, not thousands: one query fetches the stays of the
two years and Python counts them.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from startups.models import Incubation, KpiSnapshot
from startups.models import Programme as IncubationProgramme

from .figures import Column, Figure, KeyFigure
from .periods import Period

ZERO = Decimal("0.00")


def _stays(first, last):
    """Return the stays overlapping the years ``first`` to ``last`` (1 query)."""
    return list(
        Incubation.objects.overlapping(first.start, last.end).values_list(
            "start", "end", "outcome", "programme__stage"
        )
    )


def count(stays, period):
    """Return the year's counts of stays: continuing, entries, exits by outcome, by stage."""
    t0, t1 = period.start, period.end
    continuing = entries = 0
    exits, stages = Counter(), Counter()
    for start, end, outcome, stage in stays:
        if start >= t1 or (end is not None and end <= t0):
            continue  # not hosted during the year
        if start < t0:
            continuing += 1
        else:
            entries += 1
        stages[stage] += 1
        if end is not None and end <= t1:
            exits[outcome] += 1
    hosted = continuing + entries
    return {
        "continuing": continuing,
        "entries": entries,
        "hosted": hosted,
        "exits": exits,
        "left": sum(exits.values()),
        "staying": hosted - sum(exits.values()),
        "stages": stages,
    }


def _kpis(period):
    """Sum each stay's latest KPI snapshot taken by the year's end (1 query)."""
    later = KpiSnapshot.objects.filter(
        incubation=OuterRef("incubation"), date__gt=OuterRef("date"), date__lt=period.end
    )
    return (
        KpiSnapshot.objects.filter(date__lt=period.end, incubation__start__lt=period.end)
        .filter(Q(incubation__end__isnull=True) | Q(incubation__end__gt=period.start))
        .exclude(Exists(later))
        .aggregate(funds=Coalesce(Sum("funds_raised"), ZERO), jobs=Coalesce(Sum("jobs_created"), 0))
    )


def definitions():
    return [
        (
            _("Start-up hosted"),
            _(
                "A stay in one of the incubator's programmes that covers at least one day of "
                "the year. A start-up that comes back for a second stay counts twice."
            ),
        ),
        (_("Entry"), _("A stay that starts in the year.")),
        (_("Exit"), _("A stay whose last day is in the year, by its outcome.")),
        (
            _("How it adds up"),
            _(
                "Continuing from the year before + entries = hosted during the year; "
                "hosted − exits = continuing into the next year."
            ),
        ),
        (
            _("Funds raised, jobs created"),
            _(
                "The sum, over the stays hosted during the year, of each one's latest "
                "figures reported by 31 December (totals since the start-up was founded)."
            ),
        ),
    ]


def figures(year):
    """Return the incubator's key figure and figures for the calendar year ``year`` (2 queries)."""
    period = Period.calendar(year)
    previous = period.previous()
    stays = _stays(previous, period)
    this, last = count(stays, period), count(stays, previous)
    kpis = _kpis(period)
    outcomes = dict(Incubation.Outcome.choices)
    rows = [
        (_("continuing from %(year)s") % {"year": previous.label}, this["continuing"]),
        (_("entries"), this["entries"]),
        (_("hosted during the year"), this["hosted"]),
        *[
            (_("exits: %(outcome)s") % {"outcome": label}, -this["exits"][value])
            for value, label in outcomes.items()
        ],
        (_("continuing into %(year)s") % {"year": year + 1}, this["staying"]),
        (_("funds raised (to date)"), kpis["funds"]),
        (_("jobs created (to date)"), kpis["jobs"]),
    ]
    kinds = ["count", "delta", "count", *["delta"] * len(outcomes), "count", "money", "count"]
    graduated = this["exits"][Incubation.Outcome.GRADUATED]
    series = [
        (rows[0][0], this["continuing"], "total"),
        (rows[1][0], this["entries"], "up"),
        (_("exits: graduated"), graduated, "down"),
        (_("other exits"), this["left"] - graduated, "down"),
        (rows[-3][0], this["staying"], "total"),
    ]
    by_stage = [
        (label, this["stages"][value]) for value, label in IncubationProgramme.Stage.choices
    ]
    tile = KeyFigure(
        "startups",
        _("Start-ups hosted"),
        this["hosted"],
        last["hosted"],
        "count",
        period,
        figure="incubator",
    )
    return [tile], [
        Figure(
            "incubator",
            _("Start-ups: entries and exits"),
            period,
            [Column(_("figure")), Column(_("value"), "count")],
            rows,
            chart="flow",
            series=series,
            row_kinds=kinds,
            description=_(
                "Start-ups continuing from the previous year, entries, exits by outcome, and "
                "those continuing into the next year."
            ),
            definitions=definitions(),
        ),
        Figure(
            "startups-by-stage",
            _("Start-ups hosted, by programme stage"),
            period,
            [Column(_("stage")), Column(_("start-ups"), "count")],
            by_stage,
            series=by_stage,
            description=_("Start-ups hosted during the year, by the stage of their programme."),
        ),
    ]
