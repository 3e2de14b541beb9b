from django.core.management.base import BaseCommand, CommandError

from servicehall.core.audit import seal, verify

REASONS = {
    "missing": "an entry is missing (deleted) at this position",
    "prev_hash": "the entry does not link to the one before it",
    "content": "the entry's content does not match its hash (changed after writing)",
    "truncated": "entries after this position were removed",
}


class Command(BaseCommand):
    help = ("Seal the audit entries still waiting for their place in the chain, then verify the "
            "SM3 hash chain and name the first broken link.")

    def handle(self, *args, **options):
        sealed = seal()
        if sealed:
            self.stdout.write(f"{sealed} entries sealed")
        checked, broken = verify()
        if broken is not None:
            raise CommandError(f"audit chain broken at entry #{broken.seq}: "
                               f"{REASONS[broken.reason]} ({checked} entries verified before it)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} entries verified"))
