import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    AppointmentStatus,
    BookingChannel,
    ConsultationChannel,
    Priority,
    ServiceKind,
    TicketChannel,
    TicketStatus,
)


def default_priority_order() -> list[str]:
    return [Priority.APPOINTMENT.value, Priority.GREEN.value, Priority.CARE.value,
            Priority.SUPPLEMENT.value]


def default_booking_periods() -> list[list[str]]:
    return [["09:00", "12:00"], ["13:30", "17:30"]]


def default_saturday_periods() -> list[list[str]]:
    return [["09:00", "12:00"]]


class HallPolicy(models.Model):
    """The front-of-hall rules of one center; a center without a row uses the defaults."""

    center = models.OneToOneField("core.Center", verbose_name=_("center"),
                                  on_delete=models.CASCADE, related_name="hall_policy")
    priority_order = models.JSONField(_("order of priority kinds"),
                                      default=default_priority_order)
    regular_per_priority = models.PositiveSmallIntegerField(
        _("regular tickets called between two priority tickets"), default=3,
        validators=[MaxValueValidator(20)])
    no_show_calls = models.PositiveSmallIntegerField(
        _("calls before a ticket may be marked as no-show"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)])
    booking_horizon_days = models.PositiveSmallIntegerField(
        _("booking horizon (days)"), default=7, validators=[MinValueValidator(1)])
    no_show_limit = models.PositiveSmallIntegerField(
        _("missed appointments before booking is limited"), default=3)
    no_show_window_days = models.PositiveSmallIntegerField(
        _("days over which missed appointments count"), default=90)
    booking_periods = models.JSONField(_("appointment hours on working days"),
                                       default=default_booking_periods)
    saturday_periods = models.JSONField(_("appointment hours on service Saturdays"),
                                        default=default_saturday_periods)
    floor_manager_phones = models.CharField(
        _("floor manager mobile numbers"), max_length=200, blank=True,
        validators=[RegexValidator(r"^\s*(1[3-9]\d{9}[\s,,、]*)*$",
                                   _("Mobile numbers of 11 digits, separated by commas."))],
        help_text=_("They get an SMS when a queue reaches the point where backup windows "
                    "join."))

    class Meta:
        verbose_name = _("front-of-hall policy")
        verbose_name_plural = _("front-of-hall policies")

    def __str__(self) -> str:
        return str(self.center)

    @property
    def floor_manager_mobiles(self) -> list[str]:
        return re.findall(r"1[3-9]\d{9}", self.floor_manager_phones)


class Category(models.Model):
    """A business category of the queue (业务类别) with its ticket prefix."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="ticket_categories")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("ticket prefix"), max_length=2, validators=[
        RegexValidator(r"^[A-Z]{1,2}$", _("One or two capital letters."))])
    departments = models.ManyToManyField("catalog.Department", verbose_name=_("departments"),
                                         blank=True, related_name="ticket_categories")
    items = models.ManyToManyField("catalog.ServiceItem", verbose_name=_("service items"),
                                   blank=True, related_name="ticket_categories")
    backup_threshold = models.PositiveIntegerField(
        _("waiting tickets that open the backup windows"), null=True, blank=True,
        help_text=_("Empty: backup windows never join this category."))
    is_bookable = models.BooleanField(_("appointments accepted"), default=False)
    slot_minutes = models.PositiveSmallIntegerField(_("appointment slot (minutes)"), default=30,
                                                    validators=[MinValueValidator(5)])
    slot_capacity = models.PositiveSmallIntegerField(_("appointments per slot"), default=4)
    daily_capacity = models.PositiveIntegerField(
        _("appointments per day"), null=True, blank=True,
        help_text=_("Empty: only the slots limit the bookings of a day."))
    sort_order = models.PositiveIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("business category")
        verbose_name_plural = _("business categories")
        ordering = ["center", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="category_code_unique",
                                    violation_error_message=_("This category code is already "
                                                              "used in the center.")),
            models.UniqueConstraint(fields=["center", "prefix"], name="category_prefix_unique",
                                    violation_error_message=_("This ticket prefix is already "
                                                              "used in the center.")),
        ]

    def __str__(self) -> str:
        return self.name


class WindowCategory(models.Model):
    """A window serves a category; a backup window only while the queue is past the
    category's threshold."""

    window = models.ForeignKey("catalog.Window", verbose_name=_("window"),
                               on_delete=models.CASCADE, related_name="category_links")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="window_links")
    is_backup = models.BooleanField(_("backup window"), default=False)

    class Meta:
        verbose_name = _("window category")
        verbose_name_plural = _("window categories")
        constraints = [models.UniqueConstraint(fields=["window", "category"],
                                               name="window_category_unique")]

    def __str__(self) -> str:
        return f"{self.window} {self.category}"


class WindowState(models.Model):
    """What a window remembers between calls; its row is the window's lock."""

    window = models.OneToOneField("catalog.Window", verbose_name=_("window"),
                                  on_delete=models.CASCADE, related_name="queue_state")
    regular_since_priority = models.PositiveIntegerField(
        _("regular tickets called since the last priority ticket"), default=1000)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("staff on duty"),
                              null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("window state")
        verbose_name_plural = _("window states")

    def __str__(self) -> str:
        return str(self.window)


class TicketCounter(models.Model):
    """The last number given out per center, day and prefix; its row lock keeps numbers
    gapless under concurrent issuing."""

    center = models.ForeignKey("core.Center", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    prefix = models.CharField(max_length=2)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")
        constraints = [models.UniqueConstraint(fields=["center", "day", "prefix"],
                                               name="ticket_counter_unique")]

    def __str__(self) -> str:
        return f"{self.center_id} {self.day} {self.prefix}{self.last}"


class Ticket(models.Model):
    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="tickets")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="tickets")
    day = models.DateField(_("day"))
    prefix = models.CharField(_("prefix"), max_length=2)
    seq = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("ticket number"), max_length=8)
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices,
                                default=Priority.REGULAR)
    channel = models.CharField(_("issued through"), max_length=12, choices=TicketChannel.choices)
    status = models.CharField(_("status"), max_length=10, choices=TicketStatus.choices,
                              default=TicketStatus.WAITING, db_index=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    queued_at = models.DateTimeField(_("in the queue since"))
    called_at = models.DateTimeField(_("last called at"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(_("calls"), default=0)
    first_called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    window = models.ForeignKey("catalog.Window", verbose_name=_("window"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="tickets")
    reserved_window = models.ForeignKey("catalog.Window", verbose_name=_("transferred to window"),
                                        null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("served by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    cases = models.ManyToManyField("cases.Case", verbose_name=_("cases"), blank=True,
                                   related_name="tickets")
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-day", "prefix", "seq"]
        indexes = [models.Index(fields=["center", "day", "status"], name="ticket_queue_idx")]
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "prefix", "seq"],
                                    name="ticket_number_unique",
                                    violation_error_message=_("This ticket number was already "
                                                              "given out today.")),
            models.CheckConstraint(condition=Q(seq__gte=1), name="ticket_seq_positive"),
            models.CheckConstraint(
                condition=~Q(status__in=["called", "serving"]) | Q(window__isnull=False),
                name="ticket_at_window_has_window",
                violation_error_message=_("A called ticket has a window.")),
        ]

    def __str__(self) -> str:
        return self.number


class TicketCall(models.Model):
    """One call of a ticket to a window, with the text the hall announces."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="+")
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE,
                               related_name="calls")
    window = models.ForeignKey("catalog.Window", verbose_name=_("window"),
                               on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("called at"))
    announcement = models.CharField(_("announcement"), max_length=100)

    class Meta:
        verbose_name = _("ticket call")
        verbose_name_plural = _("ticket calls")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["center", "-id"], name="ticket_call_recent_idx")]

    def __str__(self) -> str:
        return self.announcement


class SaturdayService(models.Model):
    """A Saturday on which the hall is on duty and takes appointments (周六预约服务)."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="saturday_services")
    day = models.DateField(_("Saturday"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Saturday service")
        verbose_name_plural = _("Saturday services")
        ordering = ["center", "day"]
        constraints = [models.UniqueConstraint(fields=["center", "day"],
                                               name="saturday_service_unique")]

    def __str__(self) -> str:
        return str(self.day)


class BookingDay(models.Model):
    """Places taken in a category on one day, against the category's daily capacity. Its row
    is locked before the slot's, so parallel bookings never pass either limit."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="booking_days")
    day = models.DateField(_("day"))
    booked = models.PositiveIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("booking day")
        verbose_name_plural = _("booking days")
        constraints = [models.UniqueConstraint(fields=["category", "day"],
                                               name="booking_day_unique")]

    def __str__(self) -> str:
        return f"{self.category} {self.day}"


class AppointmentSlot(models.Model):
    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.CASCADE,
                               related_name="+")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE,
                                 related_name="slots")
    day = models.DateField(_("day"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["day", "start", "category"]
        constraints = [
            models.UniqueConstraint(fields=["category", "day", "start"], name="slot_unique"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")),
                                   name="slot_not_oversold",
                                   violation_error_message=_("This slot is fully booked.")),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class Appointment(models.Model):
    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="appointments")
    slot = models.ForeignKey(AppointmentSlot, verbose_name=_("slot"), on_delete=models.PROTECT,
                             related_name="appointments")
    reference = models.CharField(_("booking reference"), max_length=12, unique=True)
    applicant_name = models.CharField(_("applicant"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=20, db_index=True)
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.BOOKED)
    channel = models.CharField(_("booked through"), max_length=8, choices=BookingChannel.choices)
    ticket = models.OneToOneField(Ticket, verbose_name=_("ticket"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="appointment")
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("booked by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot__day", "slot__start", "pk"]

    def __str__(self) -> str:
        return self.reference


class Consultation(models.Model):
    """One question answered at the guide desk, on the phone or online; the first person who
    answered owns guiding the applicant to the right window (首问负责制)."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="consultations")
    channel = models.CharField(_("channel"), max_length=8, choices=ConsultationChannel.choices)
    topic = models.CharField(_("question"), max_length=200)
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    guided_to = models.ForeignKey("catalog.Window", verbose_name=_("guided to window"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    first_responder = models.ForeignKey(settings.AUTH_USER_MODEL,
                                        verbose_name=_("first responder"),
                                        on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-at"]
        indexes = [models.Index(fields=["center", "at"], name="consultation_center_at_idx")]

    def __str__(self) -> str:
        return self.topic


class ServiceRecord(models.Model):
    """One extended-hours session, door-to-door visit, Saturday duty or staggered shift."""

    center = models.ForeignKey("core.Center", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="service_records")
    kind = models.CharField(_("service"), max_length=14, choices=ServiceKind.choices)
    department = models.ForeignKey("catalog.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="service_records")
    window = models.ForeignKey("catalog.Window", verbose_name=_("window"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    staff = models.CharField(_("staff"), max_length=100)
    day = models.DateField(_("day"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))
    applicant = models.CharField(_("applicant"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    cases_handled = models.PositiveIntegerField(_("cases handled"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-day", "-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")),
                                   name="service_record_ends_after_start",
                                   violation_error_message=_("The end comes after the start.")),
            models.CheckConstraint(condition=~Q(kind="door_to_door") | ~Q(address=""),
                                   name="door_to_door_has_address",
                                   violation_error_message=_("A door-to-door visit has an "
                                                             "address.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day}"
