from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from servicehall.core.models import Center
from servicehall.stats.rollups import rollups_rebuild, rollups_vacuum


class Command(BaseCommand):
    help = _("Recompute the statistics rollups from the cases.")

    def add_arguments(self, parser):
        parser.add_argument("--center", help=_("Code of one center (default: all centers)."))

    def handle(self, *args, center=None, **options):
        target = Center.objects.get(code=center) if center else None
        rows = rollups_rebuild(center=target)
        rollups_vacuum()
        if options["verbosity"]:
            self.stdout.write(_("{rows} rollup rows rebuilt.").format(rows=rows))
