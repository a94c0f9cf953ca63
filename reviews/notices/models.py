"""The record of every notice sent, and the notices each person has turned off."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reviews.cycles.models import Cycle


class SentNotice(models.Model):
    """A notice sent to a person. Its key names the occasion (a cycle's due date, an action, an
    award's expiry), so that the same occasion is never notified twice, however often the
    reminders run. The kind is one of reviews.notices.kinds (kept free of choices so that a new
    kind needs no migration)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_notices")
    kind = models.CharField(_("notice"), max_length=40)
    key = models.CharField(_("occasion"), max_length=200)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="sent_notices", null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "key"], name="each_notice_once")]

    def __str__(self):
        return f"{self.user}: {self.subject}"


class NoticeOptOut(models.Model):
    """A notice a person has chosen not to get (only notices that are not essential)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_opt_outs")
    kind = models.CharField(_("notice"), max_length=40)

    class Meta:
        verbose_name = _("notice turned off")
        verbose_name_plural = _("notices turned off")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")]

    def __str__(self):
        return f"{self.user}: no {self.kind}"
