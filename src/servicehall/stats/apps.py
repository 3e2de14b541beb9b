from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "servicehall.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the rollup upkeep to Case saves)
