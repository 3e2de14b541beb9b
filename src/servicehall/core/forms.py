from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working = forms.TypedChoiceField(
        label=_("Working day"), coerce=lambda v: v == "1",
        choices=[("1", _("Working day")), ("0", _("Rest day"))])
    note = forms.CharField(label=_("Note"), max_length=60, required=False)


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False)
    day = forms.DateField(label=_("Date"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
