"""Invited people set their own password through an emailed link that works once and expires."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assurance.models import AccountInvitation, RoleKind, User
from assurance.onboarding import invitations
from tests.factories import RoleFactory, ServiceFactory, UserFactory
from tests.support.pages import text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-password-42"


@pytest.fixture
def newcomer():
    person = User.objects.create(username="jo@example.org", email="jo@example.org", first_name="Jo",
                                 last_name="Bloggs", password="!unusable")
    RoleFactory(user=person, kind=RoleKind.SERVICE_LEAD, service=ServiceFactory(name="Heron Wing"))
    return person


def link_in(message):
    return re.search(r"http://\S+/invitation/\S+/", message.body).group(0)


def path_of(link):
    return urlsplit(link).path


def test_the_invitation_email_has_the_link_in_text_and_html(newcomer):
    inviter = UserFactory(first_name="Ivan", last_name="Novak")
    sent = invitations.invite([newcomer], invited_by=inviter)
    assert (sent.sent, sent.failed) == (1, 0)
    [message] = mail.outbox
    assert message.to == ["jo@example.org"]
    assert message.subject == "You are invited to Relational Assurance"
    link = link_in(message)
    html = message.alternatives[0].content
    assert link in html and message.alternatives[0].mimetype == "text/html"
    for body in (message.body, html):
        assert "Hello Jo," in body
        assert "Ivan Novak has added you" in body
        assert "Service lead, Heron Wing" in body
        assert "jo@example.org" in body
    expires = (timezone.now() + timezone.timedelta(days=14)).date()
    assert f"until {expires.day} {expires:%B %Y}" in message.body
    invitation = AccountInvitation.objects.get(user=newcomer)
    assert (invitation.invited_by, invitation.accepted_at) == (inviter, None)


def test_a_thousand_invitations_go_over_one_connection_in_few_queries(django_assert_max_num_queries, settings):
    people = User.objects.bulk_create(
        [User(username=f"p{n}", email=f"p{n}@example.org", password="!") for n in range(1000)])
    with django_assert_max_num_queries(3):
        sent = invitations.invite(people)
    assert sent.sent == 1000 and len(mail.outbox) == 1000
    assert len({message.to[0] for message in mail.outbox}) == 1000


def test_people_who_have_signed_in_are_not_invited(newcomer):
    signed_in = UserFactory(last_login=timezone.now())
    assert invitations.invite([newcomer, signed_in]).sent == 1
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]


def test_the_link_sets_a_password_once_and_signs_the_person_in(client, newcomer):
    invitations.invite([newcomer])
    url = path_of(link_in(mail.outbox[0]))

    page = client.get(url)
    assert page.status_code == 200
    assert "Welcome, Jo Bloggs" in text(page) and "jo@example.org" in text(page)

    mismatch = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "something-else-42"})
    assert mismatch.status_code == 400
    assert "The two password fields didn’t match." in text(mismatch)
    too_common = client.post(url, {"new_password1": "password", "new_password2": "password"})
    assert too_common.status_code == 400

    done = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("home")
    assert get_user(client) == newcomer
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    assert AccountInvitation.objects.get(user=newcomer).accepted_at is not None

    client.logout()
    again = client.get(url)
    assert again.status_code == 410
    assert "This invitation has already been used." in text(again)
    reused = client.post(url, {"new_password1": "another-password-77", "new_password2": "another-password-77"})
    assert reused.status_code == 410
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused_and_says_how_to_get_a_new_one(client, newcomer, settings):
    invitations.invite([newcomer])
    url = path_of(link_in(mail.outbox[0]))
    settings.INVITATION_DAYS = -1  # every link is older than that
    page = client.get(url)
    assert page.status_code == 410
    assert "This invitation has expired." in text(page)
    assert "ask your network administrator to send you a new invitation" in text(page)
    assert reverse("password_reset") in page.content.decode()
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_a_tampered_link_is_not_found(client, newcomer):
    invitations.invite([newcomer])
    url = path_of(link_in(mail.outbox[0]))
    assert client.get(url[:-3] + "xx/").status_code == 404


def test_a_newer_invitation_replaces_the_older_link(client, newcomer):
    invitations.invite([newcomer])
    AccountInvitation.objects.update(sent_at=timezone.now() - timezone.timedelta(days=1))
    invitations.invite([newcomer])
    old, new = path_of(link_in(mail.outbox[0])), path_of(link_in(mail.outbox[1]))
    assert "A newer invitation has been sent to you" in text(client.get(old))
    assert client.get(new).status_code == 200


def test_a_link_is_used_up_once_the_person_has_signed_in(client, newcomer):
    invitations.invite([newcomer])
    url = path_of(link_in(mail.outbox[0]))
    User.objects.filter(pk=newcomer.pk).update(last_login=timezone.now() + timezone.timedelta(seconds=1))
    assert client.get(url).status_code == 410
