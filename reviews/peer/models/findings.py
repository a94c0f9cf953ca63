"""What the team found, and the actions the service will take."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.cycles.models import Cycle


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    DEVELOPMENT = "development", _("Area for development")
    URGENT = "urgent", _("Urgent concern")


class Finding(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    text = models.TextField(_("finding"))
    criterion = models.ForeignKey(
        "standards.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("criterion"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # An urgent concern reaches the service's commissioners only when a network administrator
    # escalates it to them, with a reason (see reviews/disclosure.py).
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("escalated by"),
    )
    escalated_at = models.DateTimeField(_("escalated to the commissioners"), null=True, blank=True)
    escalation_reason = models.TextField(_("why it was escalated"), blank=True)

    class Meta:
        ordering = ["kind", "created_at", "pk"]
        verbose_name = _("finding")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_escalated(self):
        return self.escalated_at is not None


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    VERIFIED = "verified", _("Verified")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet):
    def still_open(self):
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today=None):
        """Past their due date and not done: the same rule as Action.is_overdue."""
        return self.still_open().filter(due_date__lt=today or timezone.localdate())


class Action(models.Model):
    """Something the service will do, from a finding or a criterion, followed until verified.
    Open actions carry into the service's next cycle (`carried_from`)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    finding = models.ForeignKey(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions", verbose_name=_("finding")
    )
    criterion = models.ForeignKey(
        "standards.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("criterion"),
    )
    owner = models.CharField(_("owner"), max_length=200, help_text=_("The person or role who will do it."))
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to",
        verbose_name=_("carried from an earlier cycle"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action")

    def __str__(self):
        return self.description[:80]

    @property
    def is_closed(self):
        return self.status not in OPEN_ACTION_STATUSES

    @property
    def is_overdue(self):
        return not self.is_closed and self.due_date < timezone.localdate()


class ActionNote(models.Model):
    """Progress on an action: a note, and the status it moved to."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("progress note"), blank=True)
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    to_status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("action progress note")

    def __str__(self):
        return f"{self.action_id}: {self.from_status} → {self.to_status}"
