import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from servicehall.core.outbox import load_sender, send_due


class Command(BaseCommand):
    help = ("Send the outbox messages that are due (once, or with --loop every --interval "
            "seconds): the background worker of the embedded setup.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true",
                            help="keep running until interrupted")
        parser.add_argument("--interval", type=float, default=10.0,
                            help="seconds between rounds with --loop (default 10)")
        parser.add_argument("--limit", type=int, default=100,
                            help="messages per round (default 100)")

    def handle(self, *args, loop: bool, interval: float, limit: int, **options):
        sender = load_sender()
        try:
            while True:
                report = send_due(limit=limit, sender=sender)
                if report.total or not loop:
                    self.stdout.write(f"outbox: {report.sent} sent, {report.retried} to retry, "
                                      f"{report.failed} given up")
                if not loop:
                    return
                if report.total < limit:  # a full batch means more may be waiting
                    time.sleep(interval)
                close_old_connections()  # a long-running worker drops broken connections
        except KeyboardInterrupt:
            self.stdout.write("outbox worker stopped")
