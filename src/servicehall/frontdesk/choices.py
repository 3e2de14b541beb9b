from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Served")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


# A window holds at most one ticket in these states.
AT_WINDOW = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})
CALLABLE_AGAIN = frozenset({TicketStatus.CALLED})
TRANSFERABLE = frozenset({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING})
FINISHED = frozenset({TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED})


class Priority(models.TextChoices):
    REGULAR = "regular", _("Regular")
    APPOINTMENT = "appointment", _("Appointment")
    GREEN = "green", _("Green channel")
    CARE = "care", _("Care lane (elderly, disabled, pregnant)")
    SUPPLEMENT = "supplement", _("Returning with supplement materials")


class TicketChannel(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    GUIDE_DESK = "guide_desk", _("Guide desk")
    WEB = "web", _("Online")
    APPOINTMENT = "appointment", _("Appointment check-in")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


class BookingChannel(models.TextChoices):
    WEB = "web", _("Online")
    PHONE = "phone", _("By phone (staff)")


class ConsultationChannel(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    PHONE = "phone", _("By phone")
    ONLINE = "online", _("Online")


class ServiceKind(models.TextChoices):
    EXTENDED = "extended", _("Extended hours (延时服务)")
    DOOR_TO_DOOR = "door_to_door", _("Door-to-door (上门服务)")
    SATURDAY_DUTY = "saturday_duty", _("Saturday duty (周六轮值)")
    STAGGERED = "staggered", _("Staggered shift (错时服务)")
