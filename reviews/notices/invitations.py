"""Emails about a visit: the invitation (with the proposed dates, if any), the dates proposed
later, and the agreed date with its calendar file. The peer review sends a signal
(reviews.peer.signals); the receivers here enqueue a task once the transaction is committed, and
the task worker sends each email through send_notice, once per occasion and person."""

import datetime

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from reviews.cycles.models import Cycle
from reviews.disclosure import Fact
from reviews.notices.kinds import VISIT_DATE_AGREED, VISIT_INVITATION
from reviews.notices.sending import Notice, send_notice
from reviews.peer.calendar import visit_calendar, visit_filename
from reviews.peer.models import InvitationStatus, VisitInvitation

# --- receivers of the peer review's signals ----------------------------------------------------


def on_invitations_sent(sender, visit, invitation_ids, **kwargs):
    ids = list(invitation_ids)
    transaction.on_commit(lambda: send_visit_invitations.enqueue(ids))


def on_dates_proposed(sender, visit, **kwargs):
    visit_id = visit.pk
    transaction.on_commit(lambda: send_proposed_dates.enqueue(visit_id))


def on_date_agreed(sender, visit, date, **kwargs):
    visit_id, day = visit.pk, date.isoformat()
    transaction.on_commit(lambda: send_agreed_date.enqueue(visit_id, day))


# --- the tasks -------------------------------------------------------------------------------


def _cycle_of(visit_id):
    """The visit's cycle with what the emails and the disclosure policy read (the team)."""
    return Cycle.objects.select_related("service", "visit").prefetch_related(
        "visit__team__user", "visit__timetable", "visit__proposed_dates"
    ).get(visit__pk=visit_id)


def _context(cycle):
    visit = cycle.visit
    return {
        "cycle": cycle, "service": cycle.service, "visit": visit,
        "timetable": list(visit.timetable.all()), "proposed_dates": list(visit.proposed_dates.all()),
        "link": settings.SITE_URL + reverse("reviews:visit", args=[cycle.pk]),
    }


def _invitation_notice(cycle, invitation, key):
    return Notice(
        kind=VISIT_INVITATION.code, key=key, cycle=cycle, facts=(Fact.VISIT_PLAN,),
        subject=_("Invitation to the peer-review visit of %(service)s") % {"service": cycle.service.name},
        template="visit_invitation", context={**_context(cycle), "invitation": invitation},
    )


@task
def send_visit_invitations(invitation_ids):
    """Emails each new invitee their invitation. Returns how many emails went out."""
    invitations = VisitInvitation.objects.filter(pk__in=invitation_ids).select_related("user", "invited_by")
    sent = 0
    for visit_id in {invitation.visit_id for invitation in invitations}:
        cycle = _cycle_of(visit_id)
        for invitation in (i for i in invitations if i.visit_id == visit_id):
            sent += send_notice(invitation.user, _invitation_notice(cycle, invitation, f"visit:{visit_id}"))
    return sent


@task
def send_proposed_dates(visit_id):
    """Asks everyone invited who has not declined whether they could come on the dates proposed
    (once per set of dates)."""
    cycle = _cycle_of(visit_id)
    dates = [proposed.date for proposed in cycle.visit.proposed_dates.all()]
    if not dates:
        return 0
    key = f"visit:{visit_id}:dates:{'+'.join(date.isoformat() for date in dates)}"
    invited = VisitInvitation.objects.filter(visit_id=visit_id).exclude(status=InvitationStatus.DECLINED)
    return sum(send_notice(invitation.user, _invitation_notice(cycle, invitation, key))
               for invitation in invited.select_related("user", "invited_by"))


@task
def send_agreed_date(visit_id, day):
    """Tells everyone invited who has not declined the visit's date, with its calendar file. A
    date changed since is not sent: the change sends its own."""
    cycle = _cycle_of(visit_id)
    visit = cycle.visit
    if visit.date is None or visit.date != datetime.date.fromisoformat(day):
        return 0
    context = _context(cycle)
    attachment = (visit_filename(visit), visit_calendar(visit, context["timetable"]), "text/calendar")
    notice = Notice(
        kind=VISIT_DATE_AGREED.code, key=f"visit:{visit_id}:date:{day}", cycle=cycle, facts=(Fact.VISIT_PLAN,),
        subject=_("Peer-review visit of %(service)s: the date is agreed") % {"service": cycle.service.name},
        template="visit_date_agreed", context=context, attachments=(attachment,),
    )
    invited = VisitInvitation.objects.filter(visit_id=visit_id).exclude(status=InvitationStatus.DECLINED)
    return sum(send_notice(invitation.user, notice) for invitation in invited.select_related("user"))
