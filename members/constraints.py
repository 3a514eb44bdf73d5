"""Rules the database states once, and the one place that turns their violations into
clear messages.

Django validates every constraint of ``Meta.constraints`` in ``full_clean()``, so forms and
the admin show a clash as a form error without a hand-written check. A concurrent write can
still slip in between that check and the insert; the database then refuses it, and
``constraint_violations_as_errors`` gives the loser the constraint's own message.
"""

from contextlib import contextmanager

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError
from django.db.models import F, Func, Value
from django.utils.translation import gettext as _

from .periods import PeriodQuerySet, format_period


class NoOverlapConstraint(ExclusionConstraint):
    """Two ``[start, end)`` periods of one ``owner`` share no day; an empty end is open.

    PostgreSQL enforces it with a GiST exclusion constraint (``btree_gist`` gives the
    equality on ``owner``). The message may name the clashing row, ``%(clash)s``, and its
    period as people read it, ``%(period)s`` (the last day included).
    """

    def __init__(self, *, name, owner, violation_error_message):
        period = Func(
            F("start"), F("end"), Value("[)"), function="daterange", output_field=DateRangeField()
        )
        super().__init__(
            name=name,
            expressions=[(owner, RangeOperators.EQUAL), (period, RangeOperators.OVERLAPS)],
            violation_error_code="overlap",
            violation_error_message=violation_error_message,
        )
        self.owner = owner

    def deconstruct(self):
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        return (
            path,
            (),
            {
                "name": self.name,
                "owner": self.owner,
                "violation_error_message": self.violation_error_message,
            },
        )

    def get_violation_error_message(self):
        return self.violation_error_message  # formatted with the clash in validate()

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            owner = model._meta.get_field(self.owner).attname
            clash = (
                PeriodQuerySet(model, using=using)
                .filter(**{owner: getattr(instance, owner)})
                .overlapping(instance.start, instance.end)
                .exclude(pk=instance.pk)
                .first()
            )
            if clash is None:  # deleted since the check: no clash any more
                return
            raise ValidationError(
                self.violation_error_message
                % {"clash": clash, "period": format_period(clash.start, clash.end)},
                code=self.violation_error_code,
            ) from error


@contextmanager
def constraint_violations_as_errors(instance):
    """Turn the database's refusal of one of the constraints of ``instance``'s model into
    that constraint's ValidationError, as ``full_clean()`` would have raised it.

    Wrap the whole transaction: the refused statement aborts it. Other integrity errors
    propagate unchanged.
    """
    try:
        yield
    except IntegrityError as error:
        model = type(instance)
        name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        for constraint in model._meta.constraints:
            if constraint.name == name:
                constraint.validate(model, instance)  # raises, naming the winner
                raise ValidationError(
                    _("Another change was saved at the same moment. Check and try again."),
                    code="concurrent",
                ) from error
        raise
