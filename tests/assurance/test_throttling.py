"""Rate limits as an attacker meets them: the client's real address read behind our proxies (and not
from what the client writes itself), a pause for one username from one address that never locks out
the right person elsewhere, a pause for an address guessing across many usernames, and password
reset emails limited per account and per address without telling whether an account exists."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from assurance.models import ThrottleHit
from assurance.throttle import client_address
from tests.factories import UserFactory
from tests.support.pages import text

SIGN_IN = "/accounts/sign-in/"
RESET = "/accounts/password/reset/"
RESET_SENT = "/accounts/password/reset/sent/"

PROXY = "10.0.0.1"  # the one proxy in front of the site: every request reaches us from it
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"
NEIGHBOUR = "192.0.2.44"

ADDRESS_PAUSED = "Too many wrong passwords have come from your network. Signing in from it is paused for 15 minutes."
RESETS_PAUSED = "Too many password resets have been asked for from your network. Try again in an hour."


@pytest.fixture
def behind_one_proxy(settings):
    """The site behind one reverse proxy, which appends the address it saw to X-Forwarded-For."""
    settings.TRUSTED_PROXY_COUNT = 1


def through_proxy(address, forged=""):
    """What a request from `address` carries once through our proxy: the proxy's REMOTE_ADDR, and
    X-Forwarded-For with whatever the client wrote itself (`forged`) and then the client's address."""
    forwarded = f"{forged}, {address}" if forged else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def sign_in(client, username, password, address, forged=""):
    return client.post(SIGN_IN, {"username": username, "password": password}, **through_proxy(address, forged))


def fail(client, username, address, times=1, forged=""):
    return [sign_in(client, username, "not-the-password", address, forged) for _ in range(times)]


def is_signed_in(client):
    return client.get("/").status_code == 200


def ask_for_reset(client, email, address=VICTIM):
    return client.post(RESET, {"email": email}, **through_proxy(address))


def time_passes(minutes):
    """Every counted event moved `minutes` into the past, as if that much time had gone by."""
    ThrottleHit.objects.update(at=timezone.now() - datetime.timedelta(minutes=minutes))


# --- the client's address ---------------------------------------------------------------------


def address_of(settings, proxies, remote="10.0.0.1", forwarded=None):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        pytest.param(1, "203.0.113.66", "203.0.113.66", id="one proxy"),
        pytest.param(2, "203.0.113.66, 10.0.0.2", "203.0.113.66", id="two proxies"),
        pytest.param(3, "203.0.113.66,10.0.0.3 , 10.0.0.2", "203.0.113.66", id="three proxies, uneven spaces"),
        pytest.param(1, "2001:db8::66", "2001:db8::66", id="IPv6"),
    ],
)
def test_client_address_is_the_nth_entry_from_the_right_with_n_proxies(settings, proxies, forwarded, expected):
    assert address_of(settings, proxies, forwarded=forwarded) == expected


@pytest.mark.parametrize(
    ("proxies", "forwarded"),
    [
        pytest.param(1, "198.51.100.7, 203.0.113.66", id="one forged entry"),
        pytest.param(1, "127.0.0.1, 198.51.100.7, 10.9.9.9, 203.0.113.66", id="several forged entries"),
        pytest.param(2, "198.51.100.7, 203.0.113.66, 10.0.0.2", id="forged entry, two proxies"),
        pytest.param(1, "not an address, 203.0.113.66", id="forged garbage"),
    ],
)
def test_client_address_ignores_entries_the_client_wrote_on_the_left(settings, proxies, forwarded):
    assert address_of(settings, proxies, forwarded=forwarded) == "203.0.113.66"


@pytest.mark.parametrize(
    ("proxies", "forwarded"),
    [
        pytest.param(0, "203.0.113.66", id="no proxies: the header is the client's own"),
        pytest.param(1, None, id="no header"),
        pytest.param(1, "", id="empty header"),
        pytest.param(1, " , ", id="only commas"),
        pytest.param(2, "203.0.113.66", id="shorter than the proxies"),
        pytest.param(1, "203.0.113.66, not-an-address", id="malformed entry where the address must be"),
        pytest.param(1, "203.0.113.66, 10.0.0.1:8080", id="address with a port"),
    ],
)
def test_client_address_falls_back_to_remote_addr(settings, proxies, forwarded):
    assert address_of(settings, proxies, remote="10.0.0.1", forwarded=forwarded) == "10.0.0.1"


# --- one username from one address (django-axes) ----------------------------------------------


@pytest.mark.usefixtures("behind_one_proxy")
def test_wrong_passwords_from_an_attacker_do_not_stop_the_victim_signing_in(personas, client):
    responses = fail(client, "lead", ATTACKER, times=5)
    assert "Signing in is paused" in text(responses[-1])

    response = sign_in(client, "lead", personas.password, VICTIM)

    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.usefixtures("behind_one_proxy")
def test_wrong_passwords_pause_that_username_from_the_attackers_address(personas, client):
    fail(client, "lead", ATTACKER, times=5)

    response = sign_in(client, "lead", personas.password, ATTACKER)

    assert response.status_code == 429
    assert "Signing in is paused" in text(response)
    assert not is_signed_in(client)


@pytest.mark.usefixtures("behind_one_proxy")
def test_attacker_writing_the_victims_address_into_the_header_does_not_lock_the_victim_out(personas, client):
    fail(client, "lead", ATTACKER, times=5, forged=VICTIM)

    response = sign_in(client, "lead", personas.password, VICTIM)

    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.usefixtures("behind_one_proxy")
def test_attacker_cannot_escape_the_pause_by_writing_new_addresses_into_the_header(personas, client):
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"):
        fail(client, "lead", ATTACKER, forged=forged)

    response = sign_in(client, "lead", personas.password, ATTACKER, forged="192.0.2.6")

    assert response.status_code == 429
    assert not is_signed_in(client)


# --- many usernames from one address ----------------------------------------------------------


@pytest.fixture
def three_failures_pause_an_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 3


@pytest.mark.usefixtures("three_failures_pause_an_address")
def test_guessing_across_usernames_is_allowed_until_the_limit(personas, client):
    responses = [fail(client, username, ATTACKER)[0] for username in ("lead", "staff")]

    assert [response.status_code for response in responses] == [200, 200]
    assert sign_in(client, "member", personas.password, ATTACKER).status_code == 302


@pytest.mark.usefixtures("three_failures_pause_an_address")
def test_guessing_across_usernames_pauses_the_address_with_a_clear_message(personas, client):
    for username in ("lead", "staff", "member"):
        assert fail(client, username, ATTACKER)[0].status_code == 200

    response = fail(client, "reviewer", ATTACKER)[0]

    assert response.status_code == 429
    page = text(response)
    assert "There is a problem" in page
    assert ADDRESS_PAUSED in page
    assert "Sign in" in page  # the form is still there, to try again later


@pytest.mark.usefixtures("three_failures_pause_an_address")
def test_paused_address_keeps_the_username_typed(personas, client):
    for username in ("lead", "staff", "member"):
        fail(client, username, ATTACKER)

    response = sign_in(client, "reviewer", personas.password, ATTACKER)

    assert 'value="reviewer"' in response.content.decode()
    assert 'value="' + personas.password + '"' not in response.content.decode()


@pytest.mark.usefixtures("three_failures_pause_an_address")
def test_paused_address_refuses_the_right_password_without_trying_it(personas, client):
    for username in ("lead", "staff", "member"):
        fail(client, username, ATTACKER)

    response = sign_in(client, "reviewer", personas.password, ATTACKER)

    assert response.status_code == 429
    assert ADDRESS_PAUSED in text(response)
    assert not is_signed_in(client)
    personas.reviewer.refresh_from_db()
    assert personas.reviewer.last_login is None


@pytest.mark.usefixtures("three_failures_pause_an_address")
def test_paused_address_wrong_passwords_are_not_tried_so_count_for_nothing(personas, client):
    for username in ("lead", "staff", "member"):
        fail(client, username, ATTACKER)
    assert [r.status_code for r in fail(client, "reviewer", ATTACKER, times=5)] == [429] * 5
    time_passes(minutes=16)  # the address's pause is over; django-axes never saw those five

    response = sign_in(client, "reviewer", personas.password, ATTACKER)

    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.usefixtures("three_failures_pause_an_address")
def test_signing_in_to_an_account_of_ones_own_does_not_clear_the_addresss_count(personas, client):
    fail(client, "lead", ATTACKER)
    fail(client, "staff", ATTACKER)
    sign_in(client, "member", personas.password, ATTACKER)
    client.post("/accounts/sign-out/")
    fail(client, "reviewer", ATTACKER)

    response = sign_in(client, "leadreviewer", personas.password, ATTACKER)

    assert response.status_code == 429


@pytest.mark.usefixtures("three_failures_pause_an_address")
def test_paused_address_does_not_pause_another_address_behind_the_same_proxy(personas, client):
    for username in ("lead", "staff", "member"):
        fail(client, username, ATTACKER)

    response = sign_in(client, "reviewer", personas.password, NEIGHBOUR)

    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.usefixtures("three_failures_pause_an_address")
def test_paused_address_can_sign_in_again_once_the_pause_is_over(personas, client):
    for username in ("lead", "staff", "member"):
        fail(client, username, ATTACKER)
    time_passes(minutes=16)

    response = sign_in(client, "reviewer", personas.password, ATTACKER)

    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.usefixtures("three_failures_pause_an_address")
def test_admin_sign_in_page_sends_people_to_ours_and_tries_no_password(personas, client):
    UserFactory(username="founder", is_staff=True, is_superuser=True)
    for username in ("lead", "staff", "member"):
        fail(client, username, ATTACKER)

    response = client.post(
        "/admin/login/", {"username": "founder", "password": personas.password, "next": "/admin/"},
        **through_proxy(ATTACKER),
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=/admin/"
    assert not is_signed_in(client)
    paused = sign_in(client, "founder", personas.password, ATTACKER)
    assert paused.status_code == 429 and not is_signed_in(client)


# --- password reset emails --------------------------------------------------------------------


@pytest.fixture
def three_emails_per_account(settings):
    settings.PASSWORD_RESETS_PER_ACCOUNT = 3
    settings.PASSWORD_RESETS_PER_ADDRESS = 100



@pytest.mark.usefixtures("three_emails_per_account")
def test_password_reset_sends_at_most_the_limit_of_emails_an_hour_for_one_account(personas, client, mailoutbox):
    responses = [ask_for_reset(client, personas.lead.email) for _ in range(5)]

    assert len(mailoutbox) == 3
    assert {email.to[0] for email in mailoutbox} == {personas.lead.email}
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, RESET_SENT)] * 5


@pytest.mark.usefixtures("three_emails_per_account")
def test_password_reset_past_the_account_limit_says_the_same_as_when_an_email_is_sent(personas, client, mailoutbox):
    first = text(client.post(RESET, {"email": personas.lead.email}, follow=True))
    for _ in range(3):
        ask_for_reset(client, personas.lead.email)

    past_the_limit = client.post(RESET, {"email": personas.lead.email}, follow=True)

    assert past_the_limit.status_code == 200
    assert "Check your email" in text(past_the_limit)
    assert text(past_the_limit) == first
    assert len(mailoutbox) == 3


@pytest.mark.usefixtures("three_emails_per_account")
def test_password_reset_for_an_unknown_address_past_the_limit_says_the_same(personas, client, mailoutbox):
    known = [ask_for_reset(client, personas.lead.email) for _ in range(4)]
    unknown = [ask_for_reset(client, "nobody@example.test") for _ in range(4)]

    assert [(r.status_code, r["Location"]) for r in unknown] == [(r.status_code, r["Location"]) for r in known]
    assert len(mailoutbox) == 3


@pytest.mark.usefixtures("three_emails_per_account")
def test_password_reset_account_limit_holds_across_addresses(personas, client, mailoutbox):
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"):
        ask_for_reset(client, personas.lead.email, address)

    assert len(mailoutbox) == 3


@pytest.mark.usefixtures("three_emails_per_account")
def test_password_reset_account_limit_is_not_escaped_by_writing_the_email_differently(personas, client, mailoutbox):
    email = personas.lead.email
    for written in (email, email.upper(), f"  {email}  ", email.capitalize(), email.swapcase()):
        ask_for_reset(client, written)

    assert len(mailoutbox) == 3


@pytest.mark.usefixtures("three_emails_per_account")
def test_password_reset_account_limit_is_per_account(personas, client, mailoutbox):
    for _ in range(4):
        ask_for_reset(client, personas.lead.email)

    ask_for_reset(client, personas.staff.email)

    assert [email.to for email in mailoutbox[3:]] == [[personas.staff.email]]


@pytest.mark.usefixtures("three_emails_per_account")
def test_password_reset_account_limit_lifts_after_an_hour(personas, client, mailoutbox):
    for _ in range(3):
        ask_for_reset(client, personas.lead.email)
    time_passes(minutes=61)

    ask_for_reset(client, personas.lead.email)

    assert len(mailoutbox) == 4


@pytest.fixture
def three_resets_per_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_RESETS_PER_ADDRESS = 3


@pytest.mark.usefixtures("three_resets_per_address")
def test_password_resets_from_one_address_are_paused_past_the_limit(personas, client, mailoutbox):
    for email in ("nobody1@example.test", "nobody2@example.test", "nobody3@example.test"):
        assert ask_for_reset(client, email, ATTACKER).status_code == 302

    response = ask_for_reset(client, personas.lead.email, ATTACKER)

    assert response.status_code == 429
    page = text(response)
    assert "There is a problem" in page
    assert RESETS_PAUSED in page
    assert mailoutbox == []


@pytest.mark.usefixtures("three_resets_per_address")
def test_password_resets_from_one_address_do_not_pause_another(personas, client, mailoutbox):
    for email in ("nobody1@example.test", "nobody2@example.test", "nobody3@example.test"):
        ask_for_reset(client, email, ATTACKER)

    response = ask_for_reset(client, personas.lead.email, NEIGHBOUR)

    assert response.status_code == 302
    assert [email.to for email in mailoutbox] == [[personas.lead.email]]
