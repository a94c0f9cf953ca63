"""Invitations to set a password: a signed link that expires after settings.INVITATION_DAYS and
works once. The link names an AccountInvitation; it is refused once that invitation is accepted,
once the person has signed in since it was sent, or once a newer invitation was sent to them."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assurance.models import AccountInvitation, Role, User

SALT = "assurance.account-invitation"


def _signer():
    return signing.TimestampSigner(salt=SALT)


def token_for(invitation):
    return _signer().sign(str(invitation.pk))


def link_for(invitation):
    return settings.SITE_URL + reverse("accept-invitation", args=[token_for(invitation)])


def expires_on(invitation):
    return (invitation.sent_at + datetime.timedelta(days=settings.INVITATION_DAYS)).date()


class InvitationRefused(Exception):
    """The link cannot be used. `reason` is "invalid", "expired" or "used"."""

    def __init__(self, reason, invitation=None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def invitation_for(token):
    """The AccountInvitation the link names, if it may still be used; raises InvitationRefused."""
    try:
        pk = _signer().unsign(token, max_age=datetime.timedelta(days=settings.INVITATION_DAYS))
    except signing.SignatureExpired:
        raise InvitationRefused("expired") from None
    except signing.BadSignature:
        raise InvitationRefused("invalid") from None
    invitation = AccountInvitation.objects.select_related("user").filter(pk=pk).first()
    if invitation is None or not invitation.user.is_active:
        raise InvitationRefused("invalid")
    if invitation.accepted_at is not None:
        raise InvitationRefused("used", invitation)
    user = invitation.user
    if user.last_login and user.last_login >= invitation.sent_at:
        raise InvitationRefused("used", invitation)
    if AccountInvitation.objects.filter(user=user, sent_at__gt=invitation.sent_at).exists():
        raise InvitationRefused("replaced", invitation)
    return invitation


def accept(invitation, form):
    """Sets the password from the valid SetPasswordForm and marks the invitation used."""
    with transaction.atomic():
        locked = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise InvitationRefused("used", invitation)
        form.save()
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
    return locked


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0


def never_signed_in(people):
    return [person for person in people if person.last_login is None and person.is_active and person.email]


def invite(people, invited_by=None):
    """Records an invitation for each person and emails each their link, over one connection.
    People who have already signed in, and people without an email address, are left out."""
    people = never_signed_in(people)
    now = timezone.now()
    invitations = AccountInvitation.objects.bulk_create(
        [AccountInvitation(user=person, invited_by=invited_by, sent_at=now) for person in people]
    )
    roles = _roles_by_person([person.pk for person in people])
    messages = [_message(invitation, invited_by, roles.get(invitation.user_id, [])) for invitation in invitations]
    if not messages:
        return Sent()
    connection = mailers.default
    try:
        sent = connection.send_messages(messages) or 0
    except OSError:
        return Sent(0, len(messages))
    return Sent(sent, len(messages) - sent)


def _roles_by_person(user_ids):
    roles = {}
    for role in Role.objects.filter(user_id__in=user_ids).select_related("service"):
        roles.setdefault(role.user_id, []).append(role)
    return roles


def _message(invitation, invited_by, roles):
    person = invitation.user
    subject = _("You are invited to Relational Assurance")
    context = {
        "person": person, "invited_by": invited_by, "roles": roles, "link": link_for(invitation),
        "expires_on": expires_on(invitation), "site_url": settings.SITE_URL, "subject": subject,
        "reset_link": settings.SITE_URL + reverse("password_reset"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("assurance/emails/invitation.txt", context)
        html = render_to_string("assurance/emails/invitation.html", context)
    message = EmailMultiAlternatives(str(subject), text, None, [person.email])
    message.attach_alternative(html, "text/html")
    return message


def people_to_reinvite(emails):
    """People with these emails (any case) who have never signed in."""
    lowered = {email.strip().lower() for email in emails if email.strip()}
    return never_signed_in(User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=lowered))
