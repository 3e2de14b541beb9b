from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Priority


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
