from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .forms import LoginForm
from .selectors import home_summary
from .services import LoginRefused, login_check, logout_record


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url("accounts:home")


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(request=request, username=form.cleaned_data["username"],
                               password=form.cleaned_data["password"])
        except LoginRefused as refused:
            form.add_error(None, refused.message)
        else:
            login(request, user)
            return redirect(_safe_next(request))
    return render(request, "accounts/login.html",
                  {"form": form, "next": request.GET.get("next", "")},
                  status=400 if form.errors else 200)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        logout_record(user=request.user)
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
def home(request):
    return render(request, "accounts/home.html", {"summary": home_summary(user=request.user)})
