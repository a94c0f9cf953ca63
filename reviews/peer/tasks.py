"""Background work of the peer review, run by the task worker (`manage.py db_worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from assurance.models import RoleKind, User
from reviews.disclosure import Fact, sees
from reviews.peer.models import Finding


def _addresses(people, cycle, fact):
    """The email addresses of these people who may see this fact about the cycle: every email
    asks the disclosure policy, as pages do."""
    return sorted({person.email for person in people if person.email and sees(person, cycle, fact)})


def _send_one_each(subject, body, recipients):
    # One message per person: nobody's address is shown to the others.
    return sum(send_mail(subject, body, None, [recipient]) for recipient in recipients)


def _cycle_with_team(finding_id):
    return Finding.objects.select_related("cycle__service", "cycle__visit", "created_by", "escalated_by").prefetch_related(
        "cycle__visit__team"
    ).get(pk=finding_id)


@task
def notify_urgent_concern(finding_id):
    """Tells every network administrator about an urgent concern at once, by email; their home
    page shows it too until one of them acknowledges it."""
    finding = _cycle_with_team(finding_id)
    admins = User.objects.filter(Q(roles__kind=RoleKind.NETWORK_ADMIN) | Q(is_superuser=True), is_active=True)
    recipients = _addresses(admins.distinct(), finding.cycle, Fact.URGENT_CONCERNS)
    service = finding.cycle.service
    link = settings.SITE_URL + reverse("reviews:findings", args=[finding.cycle_id])
    body = _(
        "An urgent concern has been recorded in the peer review of %(service)s by %(who)s:\n\n%(text)s\n\n"
        "See it and acknowledge it here: %(link)s\n"
    ) % {"service": service, "who": finding.created_by or _("the review team"), "text": finding.text, "link": link}
    subject = _("Urgent concern: %(service)s") % {"service": service}
    return _send_one_each(subject, body, recipients)


@task
def notify_escalated_concern(finding_id):
    """Tells the service's commissioners about an urgent concern a network administrator
    escalated to them, with the administrator's reason."""
    finding = _cycle_with_team(finding_id)
    cycle = finding.cycle
    commissioners = User.objects.filter(roles__kind=RoleKind.COMMISSIONER, roles__service=cycle.service_id,
                                        is_active=True).distinct()
    recipients = _addresses(commissioners, cycle, Fact.ESCALATED_URGENT_CONCERNS)
    link = settings.SITE_URL + reverse("reviews:findings", args=[cycle.pk])
    body = _(
        "A network administrator has escalated to you an urgent concern from the peer review of %(service)s:\n\n"
        "%(text)s\n\nWhy it was escalated: %(reason)s\n\nSee it here: %(link)s\n"
    ) % {"service": cycle.service, "text": finding.text, "reason": finding.escalation_reason, "link": link}
    subject = _("Urgent concern escalated: %(service)s") % {"service": cycle.service}
    return _send_one_each(subject, body, recipients)
