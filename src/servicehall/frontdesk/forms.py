from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from servicehall.catalog.models import Department, Window

from .choices import ConsultationChannel, Priority, ServiceKind


class BookingForm(forms.Form):
    slot = forms.IntegerField(label=_("Time"), widget=forms.HiddenInput, error_messages={
        "required": _("Choose a time.")})
    applicant_name = forms.CharField(label=_("Your name"), max_length=50)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)


class DeskTicketForm(forms.Form):
    category = forms.CharField(label=_("Business category"), max_length=20)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices,
                                 initial=Priority.REGULAR)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)


class FinishForm(forms.Form):
    case_numbers = forms.CharField(label=_("Case numbers served (one per line)"),
                                   required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def numbers(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["case_numbers"].split() if n.strip()]


class ConsultationForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ConsultationChannel.choices)
    topic = forms.CharField(label=_("Question"), max_length=200)
    department = forms.ModelChoiceField(label=_("Department"),
                                        queryset=Department.objects.none(), required=False)
    guided_to = forms.ModelChoiceField(label=_("Guided to window"),
                                       queryset=Window.objects.none(), required=False)

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = \
            center.departments.filter(is_active=True)
        cast(forms.ModelChoiceField, self.fields["guided_to"]).queryset = \
            center.windows.filter(is_active=True)


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    department = forms.ModelChoiceField(label=_("Department"),
                                        queryset=Department.objects.none())
    staff = forms.CharField(label=_("Staff"), max_length=100)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"},
                                                                 format="%Y-%m-%d"))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    cases_handled = forms.IntegerField(label=_("Cases handled"), min_value=0, initial=0)
    applicant = forms.CharField(label=_("Applicant"), max_length=100, required=False)
    address = forms.CharField(label=_("Address (door-to-door)"), max_length=200,
                              required=False)

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = \
            center.departments.filter(is_active=True)
