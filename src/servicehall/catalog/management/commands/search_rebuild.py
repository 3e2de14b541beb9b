from django.core.management.base import BaseCommand, CommandError

from servicehall.catalog.search.index import search_rebuild
from servicehall.core.models import Center


class Command(BaseCommand):
    help = "Rewrite the guide's search index from the published versions of every item."

    def add_arguments(self, parser):
        parser.add_argument("--center", help="only this center's items (its code)")

    def handle(self, *args, center=None, **options):
        the_center = None
        if center:
            the_center = Center.objects.filter(code=center).first()
            if the_center is None:
                raise CommandError(f"no center with code {center}")
        count = search_rebuild(center=the_center)
        self.stdout.write(f"search index: {count} published items indexed")
