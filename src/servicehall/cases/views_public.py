"""Progress lookup for applicants, without login (the QR code on every notice leads here):
the case number and the last 6 characters of the applicant's ID number or credit code. The
self-service terminal (frontdesk) asks for the same two and uses the same selector and the
same per-address limit. The form posts, so the ID's tail stays out of URLs and access logs."""

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from servicehall.core.middleware import client_ip
from servicehall.core.ratelimit import allow

from . import selectors


class LookupForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Case number"), max_length=40)
    id_tail = forms.CharField(
        label=gettext_lazy("Last 6 characters of the ID number or credit code"),
        min_length=6, max_length=6, widget=forms.TextInput(attrs={"autocomplete": "off"}))


def lookup_allowed(request) -> bool:
    """One hit on the caller's per-address budget of progress lookups (this page and the
    self-service terminal share it, so 6 characters cannot be tried one by one)."""
    return allow(f"progress:{client_ip(request)}", limit=settings.PROGRESS_LOOKUPS_PER_MINUTE,
                 window_seconds=60)


@never_cache
@require_http_methods(["GET", "POST"])
def progress(request, number: str = ""):
    form = LookupForm(request.POST or None, initial={"number": number})
    case, status = None, 200
    if request.method == "POST" and form.is_valid():
        if not lookup_allowed(request):
            form.add_error(None, _("Too many lookups from this address; wait a minute and try "
                                   "again."))
            status = 429
        else:
            case = selectors.case_for_lookup(number=form.cleaned_data["number"],
                                             id_tail=form.cleaned_data["id_tail"])
            if case is None:
                form.add_error(None, _("No case matches this number and ID. Check both and "
                                       "try again."))
                status = 404
    elif form.errors:
        status = 400
    return render(request, "cases/progress.html", {
        "center": case.center if case else selectors.hall_for_lookup(), "form": form, "case": case,
    }, status=status)
