from django.core.management.base import BaseCommand, CommandError

from servicehall.cases.demo import (
    DEFAULT_CASES,
    DEFAULT_SEED,
    demo_center,
    demo_has_cases,
    load_demo_cases,
)


class Command(BaseCommand):
    help = ("Replay a year of cases in the demo hall through the case services (safe to re-run: "
            "a demo hall that already has cases is left untouched).")

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=DEFAULT_CASES,
                            help=f"applications over the year (default {DEFAULT_CASES})")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"random seed (default {DEFAULT_SEED})")

    def handle(self, *args, cases, seed, **options):
        if demo_center() is None:
            raise CommandError("There is no demo hall; run `manage.py load_demo` first.")
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        if demo_has_cases():
            self.stdout.write("The demo hall already has cases; nothing to do.")
            return
        self.stdout.write(f"Replaying a year of {cases} demo cases (seed {seed}) …")
        load_demo_cases(cases=cases, seed=seed, log=self.stdout.write)
