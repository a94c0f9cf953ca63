"""Visit invitations: the network administrator or the lead reviewer invites the team and the
service's lead, once each and by email, and each invitee accepts or declines with a reason
(tests/reviews/peer/test_visit_dates.py: the dates)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from reviews.errors import ReviewError
from reviews.models import (
    InvitationStatus,
    InviteeKind,
    TeamRole,
    Visit,
    VisitInvitation,
)
from reviews.peer.services.invitations import (
    answer_invitation,
    send_invitations,
)
from tests.support.pages import section, table, text
from tests.support.peer import add_to_team, post_visit
from tests.support.personas import browser_for, reviewer
from tests.support.reviews import PeerReview


@pytest.fixture
def review(personas):
    """The home service's review, self-assessment submitted, with its three reviewers on the team."""
    return PeerReview(personas).submit_self_assessment().build_team()


def invited(review):
    return {(i.user.username, i.kind) for i in VisitInvitation.objects.filter(visit__cycle=review.cycle)}


def emailed(kind_subject):
    return sorted(address for message in mail.outbox if kind_subject in message.subject for address in message.to)


def send(client, review, **data):
    return post_visit(client, review, **data)


# --- sending invitations ----------------------------------------------------------------------


def test_sending_invites_the_team_and_the_services_lead_once_each(personas, review,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(browser_for(personas.admin), review, send_invitations="")

    assert "4 people are invited." in text(response)
    assert invited(review) == {
        ("reviewer", InviteeKind.TEAM), ("lived", InviteeKind.TEAM), ("leadreviewer", InviteeKind.TEAM),
        ("lead", InviteeKind.SERVICE),
    }
    assert emailed("Invitation to the peer-review visit of Kestrel Wing") == [
        "lead@example.test", "leadreviewer@example.test", "lived@example.test", "reviewer@example.test"]
    rows = table(response, "People invited to the visit, and their answers")
    assert all("Not answered yet" in row for row in rows) and len(rows) == 4


def test_a_second_press_invites_only_newcomers(personas, review, django_capture_on_commit_callbacks):
    admin = browser_for(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        send(admin, review, send_invitations="")
    mail.outbox.clear()
    newcomer = reviewer("newcomer")

    with django_capture_on_commit_callbacks(execute=True):
        response = add_to_team(admin, review, newcomer, TeamRole.PEER_REVIEWER)

    assert "newcomer" in {username for username, _kind in invited(review)}
    assert emailed("Invitation") == ["newcomer@example.test"]
    with django_capture_on_commit_callbacks(execute=True):
        response = send(admin, review, send_invitations="")
    assert "Everyone is already invited." in text(response)
    assert VisitInvitation.objects.filter(visit__cycle=review.cycle).count() == 5
    assert emailed("Invitation") == ["newcomer@example.test"]


def test_the_lead_reviewer_may_send_invitations_a_peer_reviewer_may_not(personas, review):
    refused = send(browser_for(personas.reviewer), review, follow=False, send_invitations="")
    assert refused.status_code == 404
    assert not VisitInvitation.objects.exists()

    send(browser_for(personas.lead_reviewer), review, send_invitations="")

    assert len(invited(review)) == 4


def test_no_invitations_once_the_ratings_are_agreed(personas):
    review = PeerReview(personas).to("ratings_agreed")

    with pytest.raises(ReviewError, match="can no longer be changed"):
        send_invitations(review.cycle, by=personas.admin)


def test_no_invitation_email_to_someone_who_may_not_see_the_visit_plan(personas, review,
                                                                        django_capture_on_commit_callbacks):
    """Taken off the team before the email went: they no longer see the visit plan, so no email."""
    from reviews.notices.invitations import send_visit_invitations

    new = send_invitations(review.cycle, by=personas.admin)
    review.member(personas.reviewer).delete()

    send_visit_invitations.call([invitation.pk for invitation in new])

    assert "reviewer@example.test" not in emailed("Invitation")
    assert "lived@example.test" in emailed("Invitation")


# --- answering --------------------------------------------------------------------------------


def test_declining_without_a_reason_is_refused_next_to_the_field_keeping_the_answer(personas, review):
    send_invitations(review.cycle, by=personas.admin)

    response = send(browser_for(personas.reviewer), review, follow=False, answer_invitation="",
                    **{"invitation-answer": "decline", "invitation-reason": "   "})

    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "say why you cannot come" in page.casefold()
    assert response.context["invitation_form"]["answer"].value() == "decline"
    assert "Reason for declining: say why you cannot come." in section(response, "your-invitation-heading")
    assert VisitInvitation.objects.get(user=personas.reviewer).status == InvitationStatus.PENDING


def test_a_decline_with_its_reason_shows_the_admin_who_declined_and_why(personas, review):
    send_invitations(review.cycle, by=personas.admin)

    response = send(browser_for(personas.reviewer), review, answer_invitation="",
                    **{"invitation-answer": "decline", "invitation-reason": "I am on leave that week."})

    assert "you decline the invitation" in text(response)
    admin_page = browser_for(personas.admin).get(review.url("visit"))
    rows = table(admin_page, "People invited to the visit, and their answers")
    assert any(str(personas.reviewer) in row and "Declined" in row and "I am on leave that week." in row
               for row in rows)
    assert "Someone on the team declined" in text(admin_page)
    # still on the team until the administrator takes them off
    assert review.member(personas.reviewer)


def test_an_answer_may_change_until_the_visit_and_not_after(personas, review):
    send_invitations(review.cycle, by=personas.admin)
    invitation = VisitInvitation.objects.get(user=personas.reviewer)
    answer_invitation(invitation, accepted=False, reason="Away.")
    answer_invitation(invitation, accepted=True)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.reason) == (InvitationStatus.ACCEPTED, "")

    Visit.objects.filter(cycle=review.cycle).update(date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ReviewError, match="has taken place"):
        answer_invitation(invitation, accepted=False, reason="Too late.")
    page = section(browser_for(personas.reviewer).get(review.url("visit")), "your-invitation-heading")
    assert "You have accepted." in page
    assert "Send your answer" not in page


def test_the_database_refuses_a_decline_without_reason(personas, review):
    from django.db import IntegrityError, transaction

    send_invitations(review.cycle, by=personas.admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitInvitation.objects.filter(user=personas.reviewer).update(status=InvitationStatus.DECLINED, reason="")
