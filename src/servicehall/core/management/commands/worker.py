from django.core.management.base import BaseCommand

from servicehall.core.worker import configured_jobs, run_due, run_forever


class Command(BaseCommand):
    help = ("The background worker: sends the outbox and runs the periodic jobs of "
            "settings.WORKER_JOBS (once with --once, else until interrupted).")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and stop")

    def handle(self, *args, once: bool, **options):
        jobs = configured_jobs()
        if once:
            for path in run_due(jobs, now=0.0):
                self.stdout.write(f"ran {path}")
            return
        self.stdout.write(f"worker: {len(jobs)} jobs: " + ", ".join(j.path for j in jobs))
        try:
            run_forever(jobs)
        except KeyboardInterrupt:
            self.stdout.write("worker stopped")
