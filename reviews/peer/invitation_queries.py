"""Read models of a visit's invitations: who is invited and how they answered, and the proposed
dates with who can come on each. Three queries, whatever the number of people or dates."""

from dataclasses import dataclass, field

from reviews.peer.models import Availability, InvitationStatus, InviteeKind, ProposedDate, VisitInvitation


@dataclass
class DateRow:
    proposed: ProposedDate
    can: list = field(default_factory=list)
    if_need_be: list = field(default_factory=list)
    cannot: list = field(default_factory=list)
    not_answered: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # {user id: Availability value}


def invitations_of(visit):
    """The visit's invitations, team first, with their people; a former team member's is left out.
    Uses the visit's team as fetched with the cycle."""
    if visit is None:
        return []
    team = {member.user_id for member in visit.team.all()}
    invitations = VisitInvitation.objects.filter(visit=visit).select_related("user").order_by(
        "kind", "user__last_name", "user__first_name", "pk")
    return [invitation for invitation in invitations if invitation.kind != InviteeKind.TEAM or invitation.user_id in team]


def invitation_of(invitations, user):
    return next((invitation for invitation in invitations if invitation.user_id == user.pk), None)


def date_rows(visit, invitations):
    """Each proposed date with who can come, if need be, cannot, and who has not said yet (among
    the invited who have not declined)."""
    if visit is None:
        return []
    people = {invitation.user_id: invitation.user for invitation in invitations}
    expected = [invitation.user for invitation in invitations if invitation.status != InvitationStatus.DECLINED]
    rows = []
    for proposed in ProposedDate.objects.filter(visit=visit).prefetch_related("answers"):
        row = DateRow(proposed)
        for answer in proposed.answers.all():
            if answer.user_id in people:
                row.answers[answer.user_id] = answer.answer
                _column(row, answer.answer).append(people[answer.user_id])
        row.not_answered = [person for person in expected if person.pk not in row.answers]
        rows.append(row)
    return rows


def _column(row, answer):
    return {Availability.YES: row.can, Availability.IF_NEED_BE: row.if_need_be}.get(answer, row.cannot)
