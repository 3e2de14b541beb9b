from django.core.management.base import BaseCommand, CommandError

from servicehall.core.models import CalendarDay, Center
from servicehall.core.official_calendar import official_days, official_range
from servicehall.core.services import calendar_year_load


class Command(BaseCommand):
    help = ("Load the official State Council calendar (every year the installed chinesecalendar "
            "covers) into centers that do not have those years yet.")

    def add_arguments(self, parser):
        parser.add_argument("--center", help="center code (default: every center)")

    def handle(self, *args, center=None, **options):
        centers = Center.objects.all()
        if center:
            centers = centers.filter(code=center)
            if not centers.exists():
                raise CommandError(f"no center with code {center}")
        first, last = official_range()
        days = official_days()
        for the_center in centers:
            have = set(CalendarDay.objects.filter(center=the_center, date__month=1, date__day=1)
                       .values_list("date__year", flat=True))
            missing = [year for year in range(first, last + 1) if year not in have]
            for year in missing:
                calendar_year_load(center=the_center, year=year,
                                   days=[d for d in days if d.date.year == year], by=None)
            self.stdout.write(f"{the_center.code}: loaded {len(missing)} years "
                              f"({first}–{last} covered)")
