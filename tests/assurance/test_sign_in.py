"""Signing in and out, the pause after too many wrong passwords, and resetting a password."""

import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail

from assurance import settings as production_settings
from tests.factories import UserFactory
from tests.support.pages import text

SIGN_IN = "/accounts/sign-in/"
NEW_PASSWORD = "a-brand-new-secret-9"


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def is_signed_in(client):
    return client.get("/").status_code == 200


def fail_to_sign_in(client, username, times, address="127.0.0.1"):
    return [sign_in(client, username, "not-the-password", address) for _ in range(times)]


def reset_link(email):
    match = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", email.body)
    assert match, email.body
    return match.group(1)


def ask_for_reset(client, address):
    client.post("/accounts/password/reset/", {"email": address})
    assert len(mail.outbox) == 1
    return reset_link(mail.outbox[0])


def choose_password(client, link, password, confirmation=None):
    form_page = client.get(link)
    assert form_page.status_code == 302  # the token moves out of the address into the session
    return client.post(
        form_page["Location"], {"new_password1": password, "new_password2": confirmation or password}
    )


def test_sign_in_page_shows_form(db, client):
    response = client.get(SIGN_IN)

    assert response.status_code == 200
    page = text(response)
    assert "Sign in" in page
    assert "I have forgotten my password" in page


def test_sign_in_with_username_and_password_reaches_home(personas, client):
    response = sign_in(client, "lead", personas.password)

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert personas.lead.get_full_name() in text(home)


def test_sign_in_returns_to_page_asked_for(personas, client):
    response = client.post(
        SIGN_IN, {"username": "lead", "password": personas.password, "next": "/services/"}
    )

    assert response["Location"] == "/services/"


def test_sign_in_wrong_password_shows_clear_error_and_keeps_username(personas, client):
    response = sign_in(client, "lead", "not-the-password")

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "The username or password is not right" in page
    assert 'value="lead"' in response.content.decode()
    assert not is_signed_in(client)


def test_sign_in_unknown_username_gets_same_error(personas, client):
    response = sign_in(client, "nobody-by-this-name", "not-the-password")

    assert "The username or password is not right" in text(response)


def test_sign_in_inactive_account_refused(personas, client):
    personas.lead.is_active = False
    personas.lead.save()

    sign_in(client, "lead", personas.password)

    assert not is_signed_in(client)


def test_sign_in_four_failures_still_allow_right_password(personas, client):
    fail_to_sign_in(client, "lead", 4)

    response = sign_in(client, "lead", personas.password)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_sign_in_fifth_failure_pauses_signing_in(personas, client):
    responses = fail_to_sign_in(client, "lead", 5)

    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert "Signing in is paused" in text(responses[4])


def test_sign_in_paused_account_refuses_right_password(personas, client):
    fail_to_sign_in(client, "lead", 5)

    response = sign_in(client, "lead", personas.password)

    assert response.status_code == 429
    page = text(response)
    assert "Signing in is paused" in page
    assert "Reset my password" in page
    assert not is_signed_in(client)


def test_sign_in_pause_holds_only_for_that_username_and_address(personas, client):
    fail_to_sign_in(client, "lead", 5)

    sign_in(client, "staff", personas.password)
    assert is_signed_in(client)
    client.post("/accounts/sign-out/")

    sign_in(client, "lead", personas.password, address="10.0.0.9")
    assert is_signed_in(client)


def test_sign_in_success_clears_earlier_failures(personas, client):
    fail_to_sign_in(client, "lead", 4)
    sign_in(client, "lead", personas.password)
    client.post("/accounts/sign-out/")

    fail_to_sign_in(client, "lead", 4)
    sign_in(client, "lead", personas.password)

    assert is_signed_in(client)


def test_sign_out_by_get_refused(personas, client_for):
    client = client_for(personas.lead)

    response = client.get("/accounts/sign-out/")

    assert response.status_code == 405
    assert is_signed_in(client)


def test_sign_out_by_post_signs_out(personas, client_for):
    client = client_for(personas.lead)

    response = client.post("/accounts/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert not is_signed_in(client)


def test_sign_out_button_on_every_page_posts(personas, client_for):
    html = client_for(personas.lead).get("/").content.decode()

    assert re.search(r'<form method="post" action="/accounts/sign-out/">', html)


def test_password_reset_sends_email_with_link(personas, client):
    response = client.post("/accounts/password/reset/", {"email": personas.lead.email})

    assert response.status_code == 302
    assert "Check your email" in text(client.get(response["Location"]))
    [email] = mail.outbox
    assert email.to == [personas.lead.email]
    assert email.subject == "Reset your Relational Assurance password"
    assert "Your username is: lead" in email.body
    assert client.get(reset_link(email)).status_code == 302


def test_password_reset_unknown_address_sends_nothing_and_says_the_same(personas, client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"}, follow=True)

    assert "Check your email" in text(response)
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-9", "This password is too short"),
        ("password123", "This password is too common"),
        ("4815162342", "This password is entirely numeric"),
    ],
)
def test_password_reset_weak_password_refused_with_message(personas, client, password, message):
    link = ask_for_reset(client, personas.lead.email)

    response = choose_password(client, link, password)

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert message in page
    personas.lead.refresh_from_db()
    assert personas.lead.check_password(personas.password)


def test_password_reset_mismatched_passwords_refused(personas, client):
    link = ask_for_reset(client, personas.lead.email)

    response = choose_password(client, link, NEW_PASSWORD, confirmation=NEW_PASSWORD + "x")

    assert "The two password fields didn’t match" in text(response)


def test_password_reset_new_password_signs_in_and_old_does_not(personas, client):
    link = ask_for_reset(client, personas.lead.email)

    response = choose_password(client, link, NEW_PASSWORD)

    assert response.status_code == 302
    assert "Your new password is saved" in text(client.get(response["Location"]))
    sign_in(client, "lead", personas.password)
    assert not is_signed_in(client)
    sign_in(client, "lead", NEW_PASSWORD)
    assert is_signed_in(client)


def test_password_reset_link_works_only_once(personas, client):
    link = ask_for_reset(client, personas.lead.email)
    choose_password(client, link, NEW_PASSWORD)

    response = client.get(link, follow=True)

    assert "This link has expired or has already been used" in text(response)


def test_password_reset_lifts_pause_on_signing_in(personas, client):
    fail_to_sign_in(client, "lead", 5)
    link = ask_for_reset(client, personas.lead.email)

    choose_password(client, link, NEW_PASSWORD)
    response = sign_in(client, "lead", NEW_PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)



def test_password_stored_before_signs_in_and_is_stored_again_with_argon2id(db, client, settings):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    person = UserFactory(username="older.account")
    person.password = PBKDF2PasswordHasher().encode("an-older-secret-7", "saltsaltsalt", iterations=1000)
    person.save(update_fields=["password"])

    assert sign_in(client, "older.account", "an-older-secret-7").status_code == 302
    person.refresh_from_db()
    assert person.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert person.check_password("an-older-secret-7")
    assert not person.check_password("not-the-password")
