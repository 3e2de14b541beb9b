from decimal import Decimal

import factory

from servicehall.accounts.choices import Role
from servicehall.accounts.models import User
from servicehall.catalog.elements import ItemElements, MaterialSpec, StepSpec
from servicehall.catalog.models import Department
from servicehall.core.choices import CenterLevel
from servicehall.core.models import Center

PASSWORD = "Hall-2026-pass"


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"44{n:04d}")
    name = factory.Sequence(lambda n: f"测试行政服务中心{n}")
    level = CenterLevel.CITY


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    center = factory.SubFactory(CenterFactory)
    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    short_name = factory.LazyAttribute(lambda o: o.name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    role = Role.WINDOW_STAFF
    center = factory.SubFactory(CenterFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def elements(**overrides) -> ItemElements:
    values = dict(
        basic_code="000123456000",
        main_item="食品经营许可",
        kind="license",
        processing_type="promised",
        legal_limit=20,
        promised_limit=10,
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        conditions="一、具有与经营的食品品种相适应的场所。",
        materials=[
            MaterialSpec(name="食品经营许可申请书", is_key=True),
            MaterialSpec(name="营业执照复印件", form="copy"),
            MaterialSpec(name="食品安全管理制度", is_required=False),
        ],
        steps=[StepSpec("受理", Decimal("0.5")), StepSpec("审核", Decimal("2")),
               StepSpec("办结", Decimal("0.5"))],
    )
    values.update(overrides)
    return ItemElements(**values)
