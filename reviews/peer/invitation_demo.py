"""Demo visit invitations, so that the visit pages and the homes show them:

- Harbour Lights: the visit was yesterday; its team and its lead had all accepted.
- Larchfield Community: its team (leadreviewer leads, reviewer, lee) and its lead (lead2) are
  invited; three dates a few weeks ahead are proposed. The lead reviewer and the service's lead
  have answered on the dates; lee declined, saying why; reviewer has not answered yet.

The rows are written directly: seeding sends no email. A visit that already has invitations is
left as it is, so running the seed twice changes nothing. Call `seed_demo_invitations()` after
the peer reviews are seeded (reviews/peer/demo.py).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from assurance.models import Role, RoleKind, User
from reviews.cycles.models import Cycle, CycleState
from reviews.errors import ReviewError
from reviews.peer.models import (
    Availability,
    DateAvailability,
    InvitationStatus,
    InviteeKind,
    ProposedDate,
    TeamMember,
    TeamRole,
    Visit,
    VisitInvitation,
)
from reviews.peer.services import add_team_member

LARCHFIELD_TEAM = [("leadreviewer", TeamRole.LEAD_REVIEWER), ("reviewer", TeamRole.PEER_REVIEWER),
                   ("lee", TeamRole.LIVED_EXPERIENCE_REVIEWER)]
DECLINED = {"lee": "I am at a tribunal hearing for most of that month; I could do a visit later in the spring."}
# Each answering person's answer on the first, second and third proposed date.
DATE_ANSWERS = {
    "leadreviewer": [Availability.YES, Availability.IF_NEED_BE, Availability.NO],
    "lead2": [Availability.YES, Availability.YES, Availability.IF_NEED_BE],
}


@transaction.atomic
def seed_demo_invitations():
    admin = User.objects.filter(roles__kind=RoleKind.NETWORK_ADMIN).order_by("pk").first()
    for cycle in Cycle.objects.filter(service__name="Harbour Lights", state__in=CycleState.TEAM_CAN_CHANGE):
        _invite_everyone(cycle, admin, answered=InvitationStatus.ACCEPTED)
    for cycle in Cycle.objects.filter(service__name="Larchfield Community", state__in=CycleState.TEAM_CAN_CHANGE):
        _larchfield(cycle, admin)


def _invite_everyone(cycle, admin, answered=InvitationStatus.PENDING):
    visit, _created = Visit.objects.get_or_create(cycle=cycle)
    if visit.invitations.exists() or not visit.team.exists():
        return None
    invitees = [(member.user_id, InviteeKind.TEAM) for member in TeamMember.objects.filter(visit=visit)]
    leads = Role.objects.filter(kind=RoleKind.SERVICE_LEAD, service_id=cycle.service_id).values_list("user_id", flat=True)
    invitees += [(user_id, InviteeKind.SERVICE) for user_id in leads]
    answered_at = timezone.now() if answered != InvitationStatus.PENDING else None
    VisitInvitation.objects.bulk_create([
        VisitInvitation(visit=visit, user_id=user_id, kind=kind, invited_by=admin, status=answered,
                        answered_at=answered_at)
        for user_id, kind in dict(invitees).items()
    ])
    return visit


def _larchfield(cycle, admin):
    for username, place in LARCHFIELD_TEAM:
        person = User.objects.filter(username=username).first()
        if person is None or TeamMember.objects.filter(visit__cycle=cycle, user=person).exists():
            continue
        try:
            add_team_member(cycle, user=person, place=place, added_by=admin)
        except ReviewError:
            continue  # not eligible in this network: the team goes without them
    visit = _invite_everyone(cycle, admin)
    if visit is None:
        return
    today = timezone.localdate()
    proposed = [ProposedDate.objects.create(visit=visit, date=today + datetime.timedelta(weeks=weeks), proposed_by=admin)
                for weeks in (4, 5, 6)]
    for invitation in visit.invitations.select_related("user"):
        username = invitation.user.username
        if username in DECLINED:
            invitation.status, invitation.reason = InvitationStatus.DECLINED, DECLINED[username]
            invitation.answered_at = timezone.now()
            invitation.save(update_fields=["status", "reason", "answered_at"])
        elif username in DATE_ANSWERS:
            invitation.status, invitation.answered_at = InvitationStatus.ACCEPTED, timezone.now()
            invitation.save(update_fields=["status", "answered_at"])
            DateAvailability.objects.bulk_create([
                DateAvailability(proposed_date=date, user=invitation.user, answer=answer)
                for date, answer in zip(proposed, DATE_ANSWERS[username], strict=True)
            ])
