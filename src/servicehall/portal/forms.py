from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from servicehall.accounts.choices import ApplicantKind


def _text(label, max_length, **attrs):
    return forms.CharField(label=label, max_length=max_length,
                           widget=forms.TextInput(attrs=attrs))


class RegisterForm(forms.Form):
    """Collects the registration; the rules (ID number, credit code, code, duplicates) are
    the service's, and its field errors are shown next to these fields."""

    name = _text(_("Name"), 100, autocomplete="name")
    id_number = _text(_("ID number"), 18, autocomplete="off")
    credit_code = _text(_("Unified social credit code"), 18, autocomplete="off")
    legal_representative = _text(_("Legal representative"), 50)
    mobile = _text(_("Mobile phone"), 11, autocomplete="tel", inputmode="numeric")
    code = _text(_("SMS verification code"), 6, autocomplete="one-time-code",
                 inputmode="numeric")
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete":
                                                                  "new-password"}))

    PERSON_ONLY = ("id_number",)
    ENTERPRISE_ONLY = ("credit_code", "legal_representative")

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        hidden = self.ENTERPRISE_ONLY if kind == ApplicantKind.PERSON else self.PERSON_ONLY
        for name in hidden:
            del self.fields[name]
        self.fields["password"].help_text = " ".join(password_validators_help_texts())
        if kind == ApplicantKind.PERSON:
            self.fields["name"].label = _("Full name")
        if kind == ApplicantKind.ENTERPRISE:
            self.fields["name"].label = _("Enterprise name")
            self.fields["mobile"].label = _("Mobile phone of the account holder")

    def clean(self):
        data = super().clean() or {}
        if data.get("password") and data.get("password2") \
                and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class AgentForm(forms.Form):
    name = _text(_("Full name"), 50)
    id_number = _text(_("ID number"), 18, autocomplete="off")
    mobile = _text(_("Mobile phone"), 11, inputmode="numeric")


def add_service_errors(form: forms.Form, error) -> None:
    """Put a service's ValidationFailed next to the form's fields (or on top)."""
    for field, messages in error.fields.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not error.fields:
        form.add_error(None, error.message)
