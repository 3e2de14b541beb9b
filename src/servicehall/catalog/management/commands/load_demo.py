from django.core.management import call_command
from django.core.management.base import BaseCommand

from servicehall.cases.demo import demo_has_cases
from servicehall.catalog.demo.loader import DEMO_PASSWORD, LOGINS, demo_exists, load_demo


class Command(BaseCommand):
    help = ("Build the demo hall and replay a year of its cases (safe to re-run: an existing "
            "hall is left untouched; one without cases gets them).")

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=None,
                            help="cases to replay over the year (default: the generator's; "
                                 "0 skips the replay)")

    def handle(self, *args, cases=None, **options):
        loaded = not demo_exists()
        if loaded:
            load_demo(log=self.stdout.write)
        else:
            self.stdout.write("The demo hall is already loaded.")
        if cases != 0 and not demo_has_cases():  # a year of cases, for a hall without any
            extra = {} if cases is None else {"cases": cases}
            call_command("load_demo_cases", stdout=self.stdout, **extra)
            loaded = True
        if loaded:
            call_command("audit_verify", stdout=self.stdout)
        self.print_logins()

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins (password for every account: "
                                             f"{DEMO_PASSWORD})"))
        for login in LOGINS:
            where = f"{login.center_code} {login.department_code}".strip()
            self.stdout.write(f"  {login.username:<15} {login.role:<22} {where:<16} "
                              f"{login.full_name}")
