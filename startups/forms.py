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
