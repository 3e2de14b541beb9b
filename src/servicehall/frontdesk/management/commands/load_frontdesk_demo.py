from django.core.management.base import BaseCommand

from servicehall.catalog.demo.loader import CITY_CODE
from servicehall.core.models import Center
from servicehall.frontdesk.demo import load_frontdesk_demo


class Command(BaseCommand):
    help = ("Set up the front of hall of the demo hall: categories, window mapping, today's "
            "queue and appointments (safe to re-run).")

    def handle(self, *args, **options):
        center = Center.objects.filter(code=CITY_CODE).first()
        if center is None:
            self.stderr.write("Load the demo hall first: manage.py load_demo")
            return
        load_frontdesk_demo(center, log=self.stdout.write)
        self.stdout.write(f"  kiosk: /hall/{CITY_CODE}/kiosk/   calling screen: "
                          f"/hall/{CITY_CODE}/screen/   wait times: /hall/{CITY_CODE}/wait/   "
                          f"booking: /hall/{CITY_CODE}/book/   staff: /staff/frontdesk/")
