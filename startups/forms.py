from django import forms

from members.forms import DateInput

from .models import KpiSnapshot


class KpiForm(forms.ModelForm):
    class Meta:
        model = KpiSnapshot
        fields = ["date", "headcount", "revenue", "funds_raised", "jobs_created"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, incubation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.incubation = incubation

    def _get_validation_exclusions(self):
        # The incubation comes from the view, not from a field: it must still count in the
        # one-figure-per-day constraint, or a date entered twice reaches the database.
        return super()._get_validation_exclusions() - {"incubation"}
