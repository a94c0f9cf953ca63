"""Background work of the peer review, run by the task worker (`manage.py db_worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from assurance.models import RoleKind, User
from reviews.peer.models import Finding


def network_admin_emails():
    admins = User.objects.filter(Q(roles__kind=RoleKind.NETWORK_ADMIN) | Q(is_superuser=True), is_active=True)
    return sorted({email for email in admins.values_list("email", flat=True) if email})


@task
def notify_urgent_concern(finding_id):
    """Tells every network administrator about an urgent concern at once, by email; their home
    page shows it too until one of them acknowledges it."""
    finding = Finding.objects.select_related("cycle__service", "created_by").get(pk=finding_id)
    recipients = network_admin_emails()
    if not recipients:
        return 0
    service = finding.cycle.service
    link = settings.SITE_URL + reverse("reviews:findings", args=[finding.cycle_id])
    body = _(
        "An urgent concern has been recorded in the peer review of %(service)s by %(who)s:\n\n%(text)s\n\n"
        "See it and acknowledge it here: %(link)s\n"
    ) % {"service": service, "who": finding.created_by or _("the review team"), "text": finding.text, "link": link}
    # One message per administrator: nobody's address is shown to the others.
    subject = _("Urgent concern: %(service)s") % {"service": service}
    return sum(send_mail(subject, body, None, [recipient]) for recipient in recipients)
