from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from servicehall.frontdesk.services import appointments_mark_no_show, appointments_remind


class Command(BaseCommand):
    help = ("Daily appointment run (e.g. from cron at 18:00): SMS reminders for tomorrow's "
            "bookings through the outbox, and yesterday's unattended bookings marked as "
            "no-shows. Safe to re-run.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        reminded = appointments_remind(day=today + timedelta(days=1))
        missed = appointments_mark_no_show(day=today - timedelta(days=1))
        self.stdout.write(f"reminders queued: {reminded}; no-shows recorded: {missed}")
