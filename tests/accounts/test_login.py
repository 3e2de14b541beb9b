import time

import pytest
from django.test import override_settings

from servicehall.accounts.middleware import STAMP_KEY
from servicehall.accounts.models import LoginThrottle
from servicehall.core.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_correct_password_signs_in_and_is_audited(client, reviewer_a):
    response = _login(client, "reviewer_a", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    entry = AuditEntry.objects.filter(action="accounts.login").get()
    assert (entry.outcome, entry.actor_id, entry.channel) == ("success", reviewer_a.pk, "web")
    assert entry.ip == "127.0.0.1"


def test_wrong_password_is_refused_with_attempts_left_and_audited(client, reviewer_a):
    response = _login(client, "reviewer_a", "wrong-password")
    assert response.status_code == 400
    assert "4" in response.context["form"].non_field_errors()[0]
    entry = AuditEntry.objects.filter(action="accounts.login").get()
    assert entry.outcome == "failure" and "reviewer_a" in entry.message


def test_five_failures_lock_the_account_even_for_the_right_password(client, reviewer_a):
    for _ in range(5):
        _login(client, "reviewer_a", "wrong-password")
    assert LoginThrottle.objects.get(username="reviewer_a").is_locked()
    response = _login(client, "reviewer_a", PASSWORD)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_MAX_FAILURES=2, LOGIN_LOCKOUT_SECONDS=1)
def test_lockout_ends_after_the_configured_time(client, reviewer_a):
    _login(client, "reviewer_a", "x")
    _login(client, "reviewer_a", "x")
    assert _login(client, "reviewer_a", PASSWORD).status_code == 400
    time.sleep(1.1)
    assert _login(client, "reviewer_a", PASSWORD).status_code == 302


def test_success_resets_the_failure_count(client, reviewer_a):
    for _ in range(4):
        _login(client, "reviewer_a", "wrong")
    _login(client, "reviewer_a", PASSWORD)
    assert LoginThrottle.objects.get(username="reviewer_a").failures == 0


def test_unknown_user_names_are_throttled_like_known_ones(client, db):
    for _ in range(5):
        _login(client, "nobody", "wrong")
    assert LoginThrottle.objects.get(username="nobody").is_locked()


def test_api_token_endpoint_shares_the_lockout(client, reviewer_a):
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "reviewer_a", "password": "bad"},
                    content_type="application/json")
    response = client.post("/api/v1/auth/token",
                           {"username": "reviewer_a", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 423
    assert response.json()["code"] == "account_locked"


@override_settings(SESSION_IDLE_TIMEOUT=1800)
def test_idle_session_is_signed_out_after_30_minutes(client, reviewer_a):
    client.force_login(reviewer_a)
    assert client.get("/").status_code == 200
    session = client.session
    session[STAMP_KEY] = int(time.time()) - 1801
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.session_expired").count() == 1


@override_settings(SESSION_IDLE_TIMEOUT=1800)
def test_activity_within_the_timeout_keeps_the_session(client, reviewer_a):
    client.force_login(reviewer_a)
    client.get("/")
    session = client.session
    session[STAMP_KEY] = int(time.time()) - 1700
    session.save()
    assert client.get("/").status_code == 200


def test_logout_needs_post_and_is_audited(client, reviewer_a):
    client.force_login(reviewer_a)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.logout").count() == 1
    assert client.get("/").status_code == 302


def test_login_redirect_refuses_other_hosts(client, reviewer_a):
    response = client.post("/login/?next=https://evil.example/", {
        "username": "reviewer_a", "password": PASSWORD, "next": "https://evil.example/"})
    assert response.url == "/"
