"""Emails about an urgent concern, sent at once: to every network administrator when it is
recorded, and to the service's commissioners when an administrator escalates it to them. The
peer review sends a signal (reviews.peer.signals); the receivers here enqueue a task once the
transaction is committed, and the task worker sends each email through send_notice."""

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils.translation import gettext as _

from assurance.models import RoleKind, User
from reviews.disclosure import Fact
from reviews.notices.kinds import URGENT_CONCERN
from reviews.notices.recipients import link
from reviews.notices.sending import Notice, send_notice
from reviews.peer.models import Finding


def on_urgent_concern_recorded(sender, finding, **kwargs):
    finding_id = finding.pk
    transaction.on_commit(lambda: notify_urgent_concern.enqueue(finding_id))


def on_urgent_concern_escalated(sender, finding, **kwargs):
    finding_id = finding.pk
    transaction.on_commit(lambda: notify_escalated_concern.enqueue(finding_id))


def _finding(finding_id):
    return Finding.objects.select_related("cycle__service", "cycle__visit", "created_by", "escalated_by").prefetch_related(
        "cycle__visit__team"
    ).get(pk=finding_id)


@task
def notify_urgent_concern(finding_id):
    """Tells every network administrator about an urgent concern at once; their home page shows
    it too until one of them acknowledges it. Returns how many were told."""
    finding = _finding(finding_id)
    cycle = finding.cycle
    notice = Notice(
        kind=URGENT_CONCERN.code, key=f"urgent:{finding.pk}", cycle=cycle, facts=(Fact.URGENT_CONCERNS,),
        subject=_("Urgent concern: %(service)s") % {"service": cycle.service}, template="urgent_concern",
        context={"service": cycle.service, "finding": finding, "who": finding.created_by or _("the review team"),
                 "link": link("reviews:findings", cycle.pk)},
    )
    admins = User.objects.filter(Q(roles__kind=RoleKind.NETWORK_ADMIN) | Q(is_superuser=True), is_active=True)
    return sum(send_notice(admin, notice) for admin in admins.distinct().order_by("pk"))


@task
def notify_escalated_concern(finding_id):
    """Tells the service's commissioners about an urgent concern a network administrator
    escalated to them, with the administrator's reason. Returns how many were told."""
    finding = _finding(finding_id)
    cycle = finding.cycle
    notice = Notice(
        kind=URGENT_CONCERN.code, key=f"urgent-escalated:{finding.pk}", cycle=cycle,
        facts=(Fact.ESCALATED_URGENT_CONCERNS,), template="urgent_concern_escalated",
        subject=_("Urgent concern escalated: %(service)s") % {"service": cycle.service},
        context={"service": cycle.service, "finding": finding, "link": link("reviews:findings", cycle.pk)},
    )
    commissioners = User.objects.filter(roles__kind=RoleKind.COMMISSIONER, roles__service=cycle.service_id,
                                        is_active=True).distinct().order_by("pk")
    return sum(send_notice(person, notice) for person in commissioners)
