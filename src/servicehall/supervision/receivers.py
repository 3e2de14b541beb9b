"""Transitions update a case's light at once: the cases app sends `case_saved` from
`save_transition`, inside the transition's transaction. The case's own irregularities are
checked at the same moment."""

from django.dispatch import receiver

from servicehall.cases.services.common import case_saved

from .irregularities import detect_case_state
from .scanner import watch_case


@receiver(case_saved, dispatch_uid="supervision.relight_case")
def relight_case(sender, *, case, today, fresh=False, **kwargs) -> None:
    watch_case(case=case, today=today, fresh=fresh)
    detect_case_state(case, today=today, fresh=fresh)
