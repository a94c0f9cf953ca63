"""The members' voice: many members' answers to the members' questions, kept without a link to
the person who gave them.

A response holds no person, no time of day and no sequential number: its key is random and it
knows only the date it came in. Who has answered (to stop anyone answering twice) is recorded
apart, in `MemberParticipation`, which holds nothing about what they said. Staff see counts,
never a response.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reviews.cycles.models import Cycle


class MemberAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    SOMETIMES = "sometimes", _("Sometimes")
    NO = "no", _("No")
    DONT_KNOW = "dont_know", _("Don't know")


class Channel(models.TextChoices):
    """How a response came in. Shown with the counts, never with a person."""

    ACCOUNT = "account", _("Online, signed in")
    SESSION = "session", _("At a questionnaire session")
    PAPER = "paper", _("Entered from paper")
    GROUP = "group", _("A members' meeting, as a group")


class QuestionnaireSession(models.Model):
    """A time a service lead opens the questionnaire for a meeting or a shared tablet: anyone with
    the short code may answer once per device while it is open."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="questionnaire_sessions")
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("what it is for"), max_length=200)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by")
    )

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("questionnaire session")
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="session_closes_after_it_opens")]

    def __str__(self):
        return self.name

    def is_open_at(self, moment):
        return self.closed_at is None and self.opens_at <= moment < self.closes_at


class MemberResponse(models.Model):
    """One member's answers (or one members' meeting's, as a group). No link to the person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="member_responses")
    channel = models.CharField(_("how it came in"), max_length=10, choices=Channel.choices)
    session = models.ForeignKey(
        QuestionnaireSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses",
        verbose_name=_("questionnaire session"),
    )
    group_size = models.PositiveSmallIntegerField(_("members at the meeting"), null=True, blank=True)
    anything_else = models.TextField(_("anything else for the reviewers"), blank=True)
    received_on = models.DateField(_("received"))

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("member response")
        constraints = [
            models.CheckConstraint(
                # a meeting's size may be unknown (answers from before questionnaires came in)
                condition=Q(channel="group") | Q(group_size__isnull=True),
                name="group_size_for_groups_only",
            ),
        ]

    def __str__(self):
        return str(_("Member response"))

    @property
    def is_group(self):
        return self.channel == Channel.GROUP


class MemberResponseAnswer(models.Model):
    """One answer of a response. A question left out has no row."""

    response = models.ForeignKey(MemberResponse, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=10, choices=MemberAnswer.choices)

    class Meta:
        verbose_name = _("member's answer")
        constraints = [models.UniqueConstraint(fields=["response", "criterion"], name="one_member_answer_per_question")]


class MemberParticipation(models.Model):
    """That a signed-in member has answered this cycle's questionnaire, and nothing else: no date,
    no link to what they said. It only stops a person being counted twice."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="member_participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("member's participation")
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="one_response_per_member_account")]


class MemberQuote(models.Model):
    """Members' words the lead reviewer would quote in the report (taken from the free text, and
    trimmed so that nobody can be recognised). They appear in the report only once the service's
    lead agrees."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="member_quotes")
    text = models.TextField(_("quote"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("agreed by"),
    )
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        verbose_name = _("quote from members")

    def __str__(self):
        return self.text[:60]

    @property
    def is_agreed(self):
        return self.agreed_at is not None
