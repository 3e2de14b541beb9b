import pytest

pytestmark = pytest.mark.django_db


def test_due_date_endpoint_uses_the_official_calendar(client, center):
    response = client.get("/api/v1/calendar/due-date",
                          {"center": "440300", "start": "2026-09-30", "days": 5})
    assert response.status_code == 200
    assert response.json()["due"] == "2026-10-13"
    assert response.json()["working_days_until_due"] == 5


def test_due_date_for_natural_days_moves_off_a_holiday(client, center):
    response = client.get("/api/v1/calendar/due-date", {
        "center": "440300", "start": "2026-09-26", "days": 7, "unit": "natural"})
    assert response.json()["due"] == "2026-10-08"  # 10-03 falls in the National Day holiday


def test_due_date_into_an_unconfigured_year_is_a_structured_error(client, center):
    response = client.get("/api/v1/calendar/due-date",
                          {"center": "440300", "start": "2026-12-20", "days": 30})
    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "calendar_not_configured"
    assert "2027" in body["message"] and body["fields"]["year"] == ["2027"]


def test_bad_parameters_are_reported_per_field_in_chinese(client, center):
    response = client.get("/api/v1/calendar/due-date",
                          {"center": "440300", "start": "2026-13-01", "days": -1})
    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "validation_error"
    assert set(body["fields"]) == {"start", "days"}
    assert body["message"] == "提交的数据有误。"


def test_unknown_center_is_a_structured_404(client, center):
    response = client.get("/api/v1/calendar/due-date",
                          {"center": "999999", "start": "2026-09-30", "days": 5})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_api_path_is_json_not_html(client, db):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_openapi_docs_are_served_without_a_cdn(client, db):
    response = client.get("/api/docs", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/calendar/due-date" in schema["paths"]
    assert "/api/v1/catalog/items/{code}" in schema["paths"]
