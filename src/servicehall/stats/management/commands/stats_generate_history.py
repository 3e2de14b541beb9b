from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from servicehall.core.models import Center
from servicehall.stats.history import SQL_FROM, generate_history, generate_history_sql
from servicehall.stats.progress import ProgressBar
from servicehall.stats.rollups import rollups_rebuild, rollups_vacuum


class Command(BaseCommand):
    help = _("Fill the database with a realistic history of cases (shaped like a hall with "
             "1.09 million cases a year) and rebuild the statistics.")

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000,
                            help=_("Number of cases (default 10,000; 10,000,000 possible)."))
        parser.add_argument("--center", help=_("Code of the center (default: the first with "
                                               "service items)."))
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, cases, center=None, seed=1, **options):
        centers = Center.objects.filter(service_items__isnull=False).distinct().order_by("pk")
        target = (centers.filter(code=center) if center else centers).first()
        if target is None:
            raise CommandError(_("No center with service items; load the catalog first."))
        bar = ProgressBar(cases, label=_("Cases"), stream=self.stderr)
        set_based = connection.vendor == "postgresql" and cases >= SQL_FROM
        generate = generate_history_sql if set_based else generate_history
        generate(center=target, cases=cases, seed=seed, progress=bar.advance)
        bar.finish()
        rows = rollups_rebuild(center=target, progress=lambda total: ProgressBar(
            total, label=_("Rollups"), stream=self.stderr))
        rollups_vacuum()
        self.stdout.write(_("{cases} cases written for {center}; {rows} rollup rows.").format(
            cases=cases, center=target.name, rows=rows))
