"""`{% fixed_url "name" %}` and `{% fixed_static "path" %}`: `{% url %}` without arguments and
`{% static %}`, worked out once per process instead of on every render. The public pages'
header and footer name the same dozen addresses on every request (the progress lookup serves
hundreds a second), and reversing them cost more than the rest of the header."""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def fixed_url(name: str) -> str:
    return _reversed(name, get_urlconf(), get_script_prefix(), get_language())


@register.simple_tag
def fixed_static(path: str) -> str:
    return _static(path)


@lru_cache(maxsize=128)
def _reversed(name: str, urlconf, _prefix: str, _language: str | None) -> str:
    return reverse(name, urlconf=urlconf)


@lru_cache(maxsize=128)
def _static(path: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget(**_kwargs) -> None:
    """Tests that change URLconf, static storage or prefixes get fresh addresses."""
    _reversed.cache_clear()
    _static.cache_clear()
