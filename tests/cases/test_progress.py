import pytest
from django.core.cache import cache
from django.test import override_settings

from servicehall.cases.services import case_intake, case_step_take
from tests.cases.conftest import ENTERPRISE, PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(item_a, clerk, all_materials, reviewer_a):
    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    case_step_take(case=case, by=reviewer_a)
    return case


def _look_up(client, number, tail):
    return client.post(f"/progress/{number}/", {"number": number, "id_tail": tail})


def test_the_qr_link_opens_the_lookup_form_with_the_number_filled_in(client, case):
    response = client.get(f"/progress/{case.number}/")
    assert response.status_code == 200 and case.number in response.content.decode()


def test_number_and_last_six_of_the_id_show_the_progress_without_personal_data(
        client, case, reviewer_a):
    response = _look_up(client, case.number, PERSON.id_number[-6:].lower())
    page = response.content.decode()
    assert response.status_code == 200
    assert "办理中" in page and case.item_version.name in page and "审核" in page
    assert PERSON.id_number not in page and PERSON.phone not in page
    assert str(reviewer_a) not in page  # no staff names, no internal step handovers
    assert "领取环节" not in page


def test_the_lookup_brings_the_steps_in_order_and_only_the_public_timeline_oldest_first(case):
    from servicehall.cases.selectors import INTERNAL_EVENTS, case_for_lookup

    progress = case_for_lookup(number=case.number, id_tail=PERSON.id_number[-6:])
    steps = list(case.steps.order_by("position").values_list("name", "status"))
    assert [(s["name"], s["status"]) for s in progress.steps] == steps and len(steps) > 1
    public = list(case.events.exclude(kind__in=INTERNAL_EVENTS).order_by("at", "pk")
                  .values_list("kind", "at"))
    assert [(e.kind, e.at) for e in progress.events] == public and public
    assert case.events.filter(kind__in=INTERNAL_EVENTS).exists()  # there was one to leave out


def test_an_enterprise_is_found_by_its_credit_code(client, item_a, clerk, all_materials):
    case = case_intake(item=item_a, applicant=ENTERPRISE, received=all_materials, by=clerk)
    assert _look_up(client, case.number, ENTERPRISE.credit_code[-6:]).status_code == 200


def test_a_wrong_id_and_a_wrong_number_look_the_same(client, case):
    wrong_id = _look_up(client, case.number, "000000")
    wrong_number = _look_up(client, case.number[:-1] + "9", PERSON.id_number[-6:])
    assert wrong_id.status_code == wrong_number.status_code == 404
    message = "没有找到与该编号和证件号码相符的办件"
    assert message in wrong_id.content.decode() and message in wrong_number.content.decode()


def test_a_short_tail_is_a_form_error(client, case):
    response = _look_up(client, case.number, "02X")
    assert response.status_code == 400


@override_settings(PROGRESS_LOOKUPS_PER_MINUTE=3)
def test_lookups_are_rate_limited_per_address(client, case):
    codes = [_look_up(client, case.number, "000000").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert "查询过于频繁" in _look_up(client, case.number, PERSON.id_number[-6:]).content.decode()


def test_intake_stores_a_keyed_hash_of_the_tail_never_the_tail_itself(case, item_a, clerk,
                                                                     all_materials):
    from servicehall.core.fields import tail_index

    assert case.id_tail_index == tail_index(PERSON.id_number)
    assert PERSON.id_number[-6:] not in case.id_tail_index
    enterprise = case_intake(item=item_a, applicant=ENTERPRISE, received=all_materials,
                             by=clerk)
    assert enterprise.id_tail_index == tail_index(ENTERPRISE.credit_code[-6:].lower())


def test_the_lookup_is_one_query_and_decrypts_nothing(client, case, monkeypatch,
                                                      django_assert_num_queries):
    from servicehall.core import fields

    def refuse(*_args):
        raise AssertionError("the lookup decrypted an ID number")

    monkeypatch.setattr(fields.PIICipher, "decrypt", refuse)
    with django_assert_num_queries(1):  # the case with its hall, item, department, steps
        response = _look_up(client, case.number, PERSON.id_number[-6:])  # and timeline
    assert response.status_code == 200 and "办理中" in response.content.decode()


def test_a_case_without_an_identifier_is_never_found(client, item_a, clerk, all_materials):
    from servicehall.cases.models import Case

    case = case_intake(item=item_a, applicant=PERSON, received=all_materials, by=clerk)
    Case.objects.filter(pk=case.pk).update(id_tail_index="")
    assert _look_up(client, case.number, PERSON.id_number[-6:]).status_code == 404


def test_the_migration_fills_the_tail_index_of_existing_cases(case):
    from django.apps import apps

    from servicehall.cases.models import Case
    from servicehall.core.fields import tail_index

    module = __import__("servicehall.cases.migrations.0004_case_id_tail_index",
                        fromlist=["fill_tail_index"])
    Case.objects.filter(pk=case.pk).update(id_tail_index="")
    module.fill_tail_index(apps, None)
    assert Case.objects.get(pk=case.pk).id_tail_index == tail_index(PERSON.id_number)


def test_a_miss_is_two_queries_and_names_the_hall_as_it_is_now(client, case,
                                                              django_assert_num_queries):
    from servicehall.core.models import Center

    with django_assert_num_queries(2):  # the case by number; the default hall for the header
        response = _look_up(client, case.number, "000000")
    assert response.status_code == 404 and case.center.name in response.content.decode()
    Center.objects.filter(pk=case.center_id).update(name="改名后的行政服务大厅")
    assert "改名后的行政服务大厅" in _look_up(client, case.number, "000000").content.decode()


@override_settings(SERVICEHALL_DEFAULT_CENTER="440399")
def test_the_configured_hall_is_named_when_no_case_is_shown(client, case):
    from tests.factories import CenterFactory

    CenterFactory(code="440399", name="配置的默认大厅")
    assert "配置的默认大厅" in client.get("/progress/").content.decode()


@pytest.mark.postgres
def test_on_postgresql_the_lookup_statements_are_prepared_once_per_connection(client, case):
    from django.db import connection

    for _ in range(2):
        assert _look_up(client, case.number, PERSON.id_number[-6:]).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    lookups = [s for s in prepared if '"cases_case"."number" = $1' in s]
    assert len(lookups) == 1 and "cases_casestep" in lookups[0]  # case, steps and timeline
