import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .choices import Role
from .services import session_expired_record

STAMP_KEY = "last_seen"
STAMP_EVERY = 60  # seconds; avoids writing the session on every request


class IdleTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(STAMP_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                return self._expire(request, user)
            if last_seen is None or now - last_seen >= STAMP_EVERY:
                request.session[STAMP_KEY] = now
        return self.get_response(request)

    def _expire(self, request, user):
        session_expired_record(user=user)
        applicant = user.role == Role.APPLICANT
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)
        minutes = settings.SESSION_IDLE_TIMEOUT // 60
        messages.info(request, _("You were signed out after {minutes} minutes without "
                                 "activity. Please sign in again.").format(minutes=minutes))
        login_url = reverse("portal:login" if applicant else "accounts:login")
        return redirect(f"{login_url}?{urlencode({'next': request.path})}")
