"""Inviting people to a visit: the review team and the service answer an invitation (accept, or
decline with a reason), and say on which of two or three proposed dates they could come."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.peer.models.team import Visit


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class InviteeKind(models.TextChoices):
    TEAM = "team", _("Review team")
    SERVICE = "service", _("Service")


class VisitInvitation(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_invitations")
    kind = models.CharField(_("invited as"), max_length=16, choices=InviteeKind.choices)
    status = models.CharField(
        _("answer"), max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("visit invitation")
        constraints = [
            models.UniqueConstraint(fields=["visit", "user"], name="one_invitation_per_person_and_visit"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""),
                name="declining_gives_a_reason",
                violation_error_message=_("Say why you cannot come."),
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_status_display()}"


class ProposedDate(models.Model):
    """One of the dates proposed for a visit, on which the invited say whether they could come."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="proposed_dates")
    date = models.DateField(_("date"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("proposed visit date")
        constraints = [models.UniqueConstraint(fields=["visit", "date"], name="one_proposal_per_date")]

    def __str__(self):
        return f"{self.visit}: {self.date}"


class Availability(models.TextChoices):
    YES = "yes", _("I can come")
    IF_NEED_BE = "if_need_be", _("If need be")
    NO = "no", _("I cannot come")


class DateAvailability(models.Model):
    proposed_date = models.ForeignKey(ProposedDate, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("can you come?"), max_length=16, choices=Availability.choices)
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("availability on a proposed date")
        verbose_name_plural = _("availability on proposed dates")
        constraints = [models.UniqueConstraint(fields=["proposed_date", "user"], name="one_answer_per_date_and_person")]

    def __str__(self):
        return f"{self.user}: {self.get_answer_display()}"
