"""The yearly revision of rent by index (ILAT or ILC): on each anniversary of a lease, the
rent becomes ``rent × new index / previous index``, the new index being the reference
quarter's one year later, rounded half up to the cent.

A revision is computed when a rent run first bills a day on or after the anniversary, and
recorded (``RentRevision``) when that run issues the invoice, which shows the calculation.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members.invoice_document import euros
from members.money import money
from members.periods import human_date

from ..models import Lease, RentIndex, RentRevision


def anniversary(start: date, years: int) -> date:
    """Return ``start`` ``years`` years later (29 February becomes the 28th)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def index_table() -> dict[tuple[str, int, int], RentIndex]:
    """Return every index entered, by ``(kind, year, quarter)`` (a few dozen rows)."""
    return {(i.kind, i.year, i.quarter): i for i in RentIndex.objects.all()}


def revisions_until(lease: Lease, end: date, indexes: dict) -> list[RentRevision]:
    """Return the revisions of ``lease`` effective before ``end``, oldest first: those
    recorded, then those now due, not saved. Raise ValidationError when an index a
    revision needs is not entered yet."""
    recorded = {revision.effective: revision for revision in lease.revisions.all()}
    base = lease.rent_index
    if base is None:
        return sorted(recorded.values(), key=lambda revision: revision.effective)
    revisions, rent, previous = [], lease.monthly_rent, base
    years = 1
    while (day := anniversary(lease.start, years)) < end:
        revision = recorded.get(day)
        if revision is None:
            new = indexes.get((base.kind, base.year + years, base.quarter))
            if new is None:
                raise ValidationError(
                    _(
                        "The index %(kind)s T%(quarter)d %(year)d is not entered yet: enter "
                        "it under “Rent indexes” to revise the rent on %(date)s."
                    )
                    % {
                        "kind": base.get_kind_display().split(" ")[0],
                        "quarter": base.quarter,
                        "year": base.year + years,
                        "date": human_date(day),
                    },
                    code="index_missing",
                )
            revision = RentRevision(
                lease=lease,
                effective=day,
                old_rent=rent,
                new_rent=money(rent * new.value / previous.value),
                old_index=previous,
                new_index=new,
            )
        revisions.append(revision)
        rent, previous = revision.new_rent, revision.new_index
        years += 1
    return revisions


def rent_segments(lease: Lease, start: date, end: date, revisions: list[RentRevision]):
    """Split ``[start, end)`` at the revisions inside it; return ``(start, end, monthly
    rent, revision in force or None)`` for each part."""
    cuts = sorted(r.effective for r in revisions if start < r.effective < end)
    bounds = [start, *cuts, end]
    segments = []
    for first, after in zip(bounds, bounds[1:], strict=False):
        in_force = [r for r in revisions if r.effective <= first]
        revision = in_force[-1] if in_force else None
        rent = revision.new_rent if revision else lease.monthly_rent
        segments.append((first, after, rent, revision))
    return segments


def revision_text(revision: RentRevision) -> str:
    """Return the calculation of a revision as the invoice prints it."""
    return _(
        "revised on %(date)s: %(old)s × %(new_index)s (%(new)s) / %(old_index)s (%(prev)s) "
        "= %(rent)s a month"
    ) % {
        "date": human_date(revision.effective, "SHORT_DATE_FORMAT"),
        "old": euros(revision.old_rent),
        "new_index": euros(revision.new_index.value).removesuffix(" €"),
        "new": revision.new_index,
        "old_index": euros(revision.old_index.value).removesuffix(" €"),
        "prev": revision.old_index,
        "rent": euros(revision.new_rent),
    }
