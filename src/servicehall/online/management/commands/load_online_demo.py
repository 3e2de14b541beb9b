from django.core.management.base import BaseCommand

from servicehall.catalog.demo.loader import CITY_CODE
from servicehall.core.models import Center
from servicehall.online.demo import load_online_demo


class Command(BaseCommand):
    help = ("Online applications of the demo hall: drafts and submitted applications waiting "
            "for pre-review (safe to re-run).")

    def handle(self, *args, **options):
        center = Center.objects.filter(code=CITY_CODE).first()
        if center is None:
            self.stderr.write("Load the demo hall first: manage.py load_demo")
            return
        load_online_demo(center, log=self.stdout.write)
