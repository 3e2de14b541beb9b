"""Run one supervision scan now: lights, escalation, irregularities (what the worker does every
minute). `--full` recomputes every open case's boundaries; `--sweep` also checks every case's
state rules (the daily job)."""

from django.core.management.base import BaseCommand

from servicehall.core import businessday
from servicehall.supervision.escalation import escalate
from servicehall.supervision.irregularities import detect_state, detect_time
from servicehall.supervision.scanner import light_counts, scan


class Command(BaseCommand):
    help = "Scan every open case: lights, warnings, cards and irregularities."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true",
                            help="recompute every open case, not only the new ones")
        parser.add_argument("--sweep", action="store_true",
                            help="also check the state rules on every case")

    def handle(self, *args, full: bool, sweep: bool, **options):
        today = businessday.today()
        report = scan(today=today, full=full)
        escalation = escalate(today=today)
        findings = detect_time(today=today)
        if sweep:
            findings.update({k: findings.get(k, 0) + v
                             for k, v in detect_state(today=today).items()})
        self.stdout.write(
            f"{report.read} cases read, {report.written} rows written in {report.seconds:.2f} s; "
            f"lights {light_counts()}; {escalation.warned} warned ({escalation.messages} SMS), "
            f"{escalation.yellow_cards} yellow and {escalation.red_cards} red cards; "
            f"{sum(findings.values())} new irregularities")
