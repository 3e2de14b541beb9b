from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "servicehall.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the case transition hook)
