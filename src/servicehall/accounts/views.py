from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .choices import Role
from .forms import LoginForm
from .selectors import home_summary
from .services import LoginRefused, login_check, logout_record


def landing_page(user) -> str:
    """Where a signed-in user starts: an applicant in the online hall, staff at their desk."""
    if user.role == Role.APPLICANT and not user.is_superuser:
        return resolve_url("portal:home")
    return resolve_url("accounts:home")


def _safe_next(request, user) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return landing_page(user)


@require_http_methods(["GET", "POST"])
def login_view(request, template_name: str = "accounts/login.html",
               extra_context: dict | None = None):
    """The one sign-in for staff and applicants, with the lockout of `login_check`; the
    online hall shows it in its own dress (`template_name`, `extra_context`)."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request, request.user))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(request=request, username=form.cleaned_data["username"],
                               password=form.cleaned_data["password"])
        except LoginRefused as refused:
            form.add_error(None, refused.message)
        else:
            login(request, user)
            return redirect(_safe_next(request, user))
    return render(request, template_name,
                  {**(extra_context or {}), "form": form, "next": request.GET.get("next", "")},
                  status=400 if form.errors else 200)


@require_POST
def logout_view(request):
    applicant = request.user.is_authenticated and request.user.role == Role.APPLICANT
    if request.user.is_authenticated:
        logout_record(user=request.user)
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("portal:login" if applicant else "accounts:login")


@login_required
def home(request):
    if request.user.role == Role.APPLICANT and not request.user.is_superuser:
        return redirect("portal:home")
    return render(request, "accounts/home.html", {"summary": home_summary(user=request.user)})
