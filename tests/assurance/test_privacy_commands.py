"""manage.py erase_person: without --confirm it lists what would change and changes nothing; an
unknown or already erased person is refused with a message and a non-zero exit."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from assurance.models import Role, User
from reviews.privacy.traces import traces_of
from tests.assurance.privacy_world import EMAIL, USERNAME, make_zebedee
from tests.factories import UserFactory


def erase(*args):
    out = io.StringIO()
    call_command("erase_person", *args, stdout=out)
    return out.getvalue()


def test_without_confirm_it_lists_what_would_change_and_changes_nothing(personas):
    zebedee = make_zebedee(personas)

    output = erase(EMAIL)

    zebedee.refresh_from_db()
    assert (zebedee.get_full_name(), zebedee.email, zebedee.is_active, zebedee.erased_at) == (
        "Zebedee Quillfeather", EMAIL, True, None)
    assert f"Would replace {USERNAME}'s name, username and email with 'Erased person {zebedee.pk}' in:" in output
    assert "  assurance_user.email: 1 row" in output
    assert "Would delete roles: 1" in output and "Would delete reviewer record: 1" in output
    assert output.strip().endswith("Nothing was changed. Run again with --confirm to erase.")
    assert Role.objects.filter(user=zebedee).exists()


def test_with_confirm_it_erases_and_says_so(personas):
    zebedee = make_zebedee(personas)

    output = erase(USERNAME, "--confirm")

    zebedee.refresh_from_db()
    assert zebedee.erased_at is not None and zebedee.get_full_name() == f"Erased person {zebedee.pk}"
    assert f"Erased: the account is now 'Erased person {zebedee.pk}', inactive, with no password." in output


def test_an_unknown_person_is_refused(personas):
    with pytest.raises(CommandError) as error:
        erase("nobody@example.org", "--confirm")

    assert str(error.value) == "No person has the username or email 'nobody@example.org'."


def test_an_already_erased_person_is_refused(personas):
    zebedee = make_zebedee(personas)
    erase(EMAIL, "--confirm")
    zebedee.refresh_from_db()

    with pytest.raises(CommandError) as error:
        erase(zebedee.username, "--confirm")

    assert str(error.value).startswith(f"Erased person {zebedee.pk} was already erased on ")


def test_an_email_shared_by_two_accounts_asks_for_the_username(personas):
    UserFactory(username="zq1", email="shared@example.org")
    UserFactory(username="zq2", email="shared@example.org")

    with pytest.raises(CommandError) as error:
        erase("shared@example.org", "--confirm")

    assert "give the username" in str(error.value)
    assert User.objects.filter(email="shared@example.org", erased_at__isnull=True).count() == 2


def test_a_username_that_is_a_plain_word_is_only_replaced_as_a_whole_value(personas):
    traces = traces_of(personas.lead)  # username "lead"

    assert traces.rewrite_text("lead") == f"Erased person {personas.lead.pk}"
    assert traces.rewrite_text("The lead reviewer agreed.") == "The lead reviewer agreed."
    assert erase("lead").count("The username 'lead' is an ordinary word") == 1


def test_names_are_replaced_as_whole_words_in_any_case_and_spacing(personas):
    zebedee = make_zebedee(personas)
    traces = traces_of(zebedee)
    label = f"Erased person {zebedee.pk}"

    assert traces.rewrite_text("Met ZEBEDEE  quillfeather; wrote to zq@example.org.") == f"Met {label}; wrote to {label}."
    assert traces.rewrite_text("Quillfeather, Zebedee") == label
    assert traces.rewrite_text("not zq@example.org.uk nor xzq@example.org") == "not zq@example.org.uk nor xzq@example.org"
    assert traces.rewrite_json({"team": [{"name": "Zebedee Quillfeather"}]}) == {"team": [{"name": label}]}


def test_by_names_the_administrator_in_the_audit_log(personas):
    zebedee = make_zebedee(personas)

    erase(EMAIL, "--confirm", "--by", personas.admin.username)

    entry = LogEntry.objects.get_for_object(zebedee).order_by("-pk").first()
    assert entry.actor == personas.admin and "erased_at" in entry.changes_dict


def test_by_must_be_a_network_administrator(personas):
    zebedee = make_zebedee(personas)

    with pytest.raises(CommandError) as error:
        erase(EMAIL, "--confirm", "--by", personas.staff.username)

    assert str(error.value) == "--by 'staff': no active network administrator has that username."
    zebedee.refresh_from_db()
    assert zebedee.erased_at is None


def test_namesakes_are_listed_before_confirming(personas):
    make_zebedee(personas)
    UserFactory(username="other-zq", first_name="Zebedee", last_name="Quillfeather")

    output = erase(EMAIL)

    assert "Others have the same name (other-zq): text naming them by that name will be replaced too" in output
