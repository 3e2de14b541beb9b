"""Every write of the front of hall: tickets and calling (`tickets.py`), appointments
(`appointments.py`), and the hall set-up (`hall.py`)."""

from .appointments import (
    CapacityFull,
    appointment_book,
    appointment_cancel,
    appointment_change,
    appointment_check_in,
    appointments_mark_no_show,
    appointments_remind,
    day_refusal,
    slots_open,
)
from .hall import category_save, saturday_service_add, window_categories_set
from .records import consultation_log, service_record_add
from .tickets import (
    QueueEmpty,
    TicketStateError,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_link_cases,
    ticket_no_show,
    ticket_recall,
    ticket_requeue,
    ticket_start,
    ticket_transfer,
)

__all__ = [
    "CapacityFull", "QueueEmpty", "TicketStateError", "appointment_book", "appointment_cancel",
    "appointment_change", "appointment_check_in", "appointments_mark_no_show",
    "appointments_remind", "category_save", "day_refusal", "saturday_service_add",
    "slots_open", "ticket_call_next", "ticket_finish", "ticket_issue", "ticket_link_cases",
    "ticket_no_show", "ticket_recall", "ticket_requeue", "ticket_start", "ticket_transfer",
    "window_categories_set", "consultation_log", "service_record_add",
]
