"""`{% memo %}`: a fragment kept per process for each value of its keys, refused at compile
time when its output could depend on anything else."""

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.test import override_settings
from django.utils import translation

from servicehall.accounts.choices import Role
from servicehall.accounts.models import User
from servicehall.core.models import Center

ENGINE = Engine(libraries={"memo": "servicehall.core.templatetags.memo",
                           "fixed_urls": "servicehall.core.templatetags.fixed_urls"},
                builtins=["django.templatetags.i18n"])


def render(source: str, **context) -> str:
    return ENGINE.from_string("{% load memo fixed_urls %}" + source).render(Context(context))


class Hall:
    def __init__(self, name: str):
        self.name = name


def test_a_fragment_is_rendered_once_per_value_of_its_keys():
    template = ENGINE.from_string("{% load memo %}{% memo hall.name %}<b>{{ hall.name }}</b>"
                                  "{% endmemo %}")
    first, other = Hall("一号大厅"), Hall("二号大厅")
    assert template.render(Context({"hall": first})) == "<b>一号大厅</b>"
    assert template.render(Context({"hall": other})) == "<b>二号大厅</b>"
    first.name = "一号大厅(新)"  # an edited hall is a new key, never the old page
    assert template.render(Context({"hall": first})) == "<b>一号大厅(新)</b>"
    (node,) = template.nodelist.get_nodes_by_type(type(template.nodelist[-1]))
    assert len(node.rendered) == 3


def test_the_output_is_escaped_as_without_the_tag():
    assert render("{% memo name %}{{ name }}{% endmemo %}", name="<i>") == "&lt;i&gt;"


def test_each_language_has_its_own_copy():
    source = '{% memo %}{% trans "Case progress" %}{% endmemo %}'
    with translation.override("en"):
        assert render(source) == "Case progress"
    with translation.override("zh-hans"):
        assert render(source) == "办件进度查询"


@pytest.mark.parametrize("inside, why", [
    ("{% csrf_token %}", "cannot hold"),
    ("{% for x in xs %}{{ x }}{% endfor %}", "cannot hold"),
    ('{% include "x.html" %}', "cannot hold"),
    ("{% block b %}{% endblock %}", "cannot hold"),
    ("{% now 'Y' %}", "cannot hold"),
    ("{% fixed_url 'guide:index' as u %}", "cannot hold"),
    ('{% trans "Look up" as label %}', "cannot hold"),
    ("{{ other }}", "'other'"),
    ("{{ hall.address }}", "'hall.address'"),
    ("{% if other %}x{% endif %}", "'other'"),
    ("{% if hall.name and not other %}x{% endif %}", "'other'"),
    ("{{ hall.name|default:other }}", "'other'"),
    ("{% fixed_url other %}", "'other'"),
])
def test_anything_that_could_vary_beyond_the_keys_is_refused_at_compile_time(inside, why):
    with pytest.raises(TemplateSyntaxError, match=why):
        ENGINE.from_string("{% load memo fixed_urls %}{% memo hall.name %}" + inside
                           + "{% endmemo %}")


def test_literals_filters_and_key_variables_are_allowed():
    out = render('{% memo hall.name %}{% if hall.name == "A" %}{{ hall.name|lower }}{% endif %}'
                 '{{ "x"|upper }}{% endmemo %}', hall=Hall("A"))
    assert out == "aX"


@pytest.mark.django_db
def test_public_pages_keep_each_visitors_header_and_footer(client, django_user_model):
    """The same process serves an anonymous visitor, a signed-in applicant and staff in turn:
    each sees their own links, and the applicant's sign-out form carries a token."""
    center = Center.objects.create(code="330100", name="杭州市民中心", address="解放东路18号",
                                   phone="0571-12345")
    with override_settings(SERVICEHALL_DEFAULT_CENTER=center.code):
        page = client.get("/progress/").content.decode()
        assert "登录" in page and "注册" in page and "退出登录" not in page
        assert "解放东路18号" in page and "工作人员登录" in page

        applicant = User.objects.create_user(username="a1", password="x-Pass-1234",
                                             role=Role.APPLICANT, center=center)
        client.force_login(applicant)
        page = client.get("/progress/").content.decode()
        assert "我的办事大厅" in page and "退出登录" in page
        assert 'name="csrfmiddlewaretoken"' in page
        assert "工作人员登录" not in page

        client.logout()
        page = client.get("/progress/").content.decode()
        assert "我的办事大厅" not in page and "登录" in page and "工作人员登录" in page

        center.name, center.address = "杭州市民之家", ""
        center.save()
        page = client.get("/progress/").content.decode()
        assert "杭州市民之家" in page and "杭州市民中心" not in page and "解放东路18号" not in page
