from django.core.management.base import BaseCommand

from servicehall.catalog.demo.loader import CITY_CODE, DEMO_PASSWORD
from servicehall.core.models import Center
from servicehall.portal.demo import AGENT, load_portal_demo


class Command(BaseCommand):
    help = ("Add two applicant accounts of the online hall (a person, an enterprise with an "
            "agent) and their cases to the demo hall (safe to re-run).")

    def handle(self, *args, **options):
        center = Center.objects.filter(code=CITY_CODE).first()
        if center is None:
            self.stderr.write("Load the demo hall first: manage.py load_demo")
            return
        accounts = load_portal_demo(center, log=self.stdout.write)
        if not accounts:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(
            f"Online hall logins at /my/login/ (password {DEMO_PASSWORD}):"))
        for spec in accounts:
            self.stdout.write(f"  {spec.mobile:<15} {spec.kind:<22} {spec.name}")
        self.stdout.write(f"  (agent of the enterprise: {AGENT[0]}, {AGENT[2]})")
