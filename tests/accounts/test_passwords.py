import pytest
from django.test import override_settings

from servicehall.accounts.choices import Role
from servicehall.accounts.services import user_create
from servicehall.accounts.validators import character_classes
from servicehall.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password, classes", [
    ("abcdefgh", 1), ("abcdEFGH", 2), ("abcdEF12", 3), ("abcD1!xy", 4), ("汉字Ab1", 4)])
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize("password", ["Ab1!", "abcdefgh1", "ABCDEFGH12", "password"])
def test_weak_passwords_are_refused(center, password):
    with pytest.raises(ValidationFailed) as refused:
        user_create(username="new", password=password, full_name="新人",
                    role=Role.WINDOW_STAFF, center=center)
    assert "password" in refused.value.fields


def test_a_password_with_three_classes_and_eight_characters_is_accepted(center):
    user = user_create(username="new", password="Hall2026x", full_name="新人",
                       role=Role.WINDOW_STAFF, center=center)
    assert user.check_password("Hall2026x")


@override_settings(AUTH_PASSWORD_VALIDATORS=[
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "servicehall.accounts.validators.CharacterClassesValidator",
     "OPTIONS": {"min_classes": 4}}])
def test_the_policy_is_configurable(center):
    with pytest.raises(ValidationFailed):
        user_create(username="new", password="Hall2026x", full_name="新人",
                    role=Role.WINDOW_STAFF, center=center)


def test_reviewer_without_department_is_refused(center):
    with pytest.raises(ValidationFailed) as refused:
        user_create(username="r", password="Hall2026x!", full_name="审核员",
                    role=Role.REVIEWER, center=center)
    assert "department" in refused.value.fields


def test_malformed_id_number_is_refused_with_a_clear_message(center):
    with pytest.raises(ValidationFailed) as refused:
        user_create(username="a", password="Hall2026x!", full_name="申请人",
                    id_number="110105194912310021")
    assert refused.value.fields["id_number"] == ["身份证号码校验位错误"]
