"""The administration's actions on a person: download what is held about them, and erase them
after a page that says what will change."""

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from reviews.models import Action, SentNotice
from reviews.privacy.columns import text_columns
from tests.assurance.privacy_world import EMAIL, make_zebedee
from tests.factories import CycleFactory, UserFactory
from tests.support.pages import text

pytestmark = pytest.mark.django_db

ASK = "Erase Zebedee Quillfeather's personal data?"


def act(client, action, person, **extra):
    return client.post(reverse("admin:assurance_user_changelist"),
                       {"action": action, "_selected_action": [person.pk], **extra})


def test_a_network_administrator_downloads_what_is_held_about_a_person(personas, client_for):
    zebedee = make_zebedee(personas)

    response = act(client_for(personas.admin), "export_personal_data", zebedee, index=0)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="personal-data-{zebedee.pk}.json"'
    assert json.loads(response.content)["account"]["email"] == EMAIL


def test_erasing_asks_first_then_erases_with_the_administrator_in_the_audit_log(personas, client_for):
    zebedee = make_zebedee(personas)
    client = client_for(personas.admin)

    asked = act(client, "erase_personal_data", zebedee, index=0)
    zebedee.refresh_from_db()
    assert asked.status_code == 200 and zebedee.erased_at is None
    assert f"Erased person {zebedee.pk}" in asked.content.decode()

    done = act(client, "erase_personal_data", zebedee, confirmed="yes")
    zebedee.refresh_from_db()
    assert done.status_code == 302 and zebedee.erased_at is not None
    assert LogEntry.objects.get_for_object(zebedee).order_by("-pk").first().actor == personas.admin


def test_an_administrator_cannot_erase_themselves(personas, client_for):
    act(client_for(personas.admin), "erase_personal_data", personas.admin, confirmed="yes")

    personas.admin.refresh_from_db()
    assert personas.admin.erased_at is None


def test_others_cannot_use_the_actions(personas, client_for):
    zebedee = make_zebedee(personas)

    response = act(client_for(personas.lead), "erase_personal_data", zebedee, confirmed="yes")

    zebedee.refresh_from_db()
    assert response.status_code == 302 and "login" in response.url and zebedee.erased_at is None


# --- the page that asks first -------------------------------------------------------------------


def named_in(zebedee, count):
    """`count` review cycles, each with an action and a notice naming Zebedee."""
    for n in range(count):
        cycle = CycleFactory()
        Action.objects.create(cycle=cycle, description=f"Zebedee Quillfeather checks rota {n}.", owner="Deputy",
                              due_date=datetime.date(2030, 1, 15))
        SentNotice.objects.create(user=zebedee, kind="reminder", key=f"visit-{cycle.pk}", cycle=cycle,
                                  subject="Your visit, Zebedee Quillfeather")


@pytest.mark.parametrize("who", ["network administrator", "superuser"])
def test_the_erase_page_names_the_person_and_what_changes(personas, client_for, who):
    zebedee = make_zebedee(personas)
    named_in(zebedee, 1)
    asker = personas.admin if who == "network administrator" else UserFactory(username="root", is_superuser=True)

    response = act(client_for(asker), "erase_personal_data", zebedee, index=0)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/assurance/user/erase_confirmation.html"
    page = text(response)
    assert ASK in page and f"replaced by “Erased person {zebedee.pk}” everywhere" in page
    assert "reviews_action.description: 1" in page and "Deleted: reviewer record (1)" in page
    zebedee.refresh_from_db()
    assert zebedee.erased_at is None and zebedee.first_name == "Zebedee"


def test_the_erase_page_costs_the_same_for_1_and_20_reviews_naming_the_person(personas, client_for,
                                                                            django_assert_max_num_queries):
    """It searches every text column once (a query each) and reads a few more things: never a
    query for each row that names the person."""
    zebedee = make_zebedee(personas)
    client = client_for(personas.admin)
    most = len(list(text_columns())) + 30  # 162 + 23 today
    named_in(zebedee, 1)
    with django_assert_max_num_queries(most) as one:
        assert "reviews_action.description: 1" in text(act(client, "erase_personal_data", zebedee, index=0))

    named_in(zebedee, 19)
    with django_assert_max_num_queries(most) as many:
        assert "reviews_action.description: 20" in text(act(client, "erase_personal_data", zebedee, index=0))

    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize("who", ["lead", "outsider", "staff flag without the role"])
def test_the_erase_page_is_refused_to_anyone_but_network_administrators(personas, client_for, who):
    zebedee = make_zebedee(personas)
    asker = UserFactory(username="flagged", is_staff=True) if who == "staff flag without the role" else getattr(
        personas, who)

    response = act(client_for(asker), "erase_personal_data", zebedee, index=0)

    assert response.status_code == 302 and "login" in response.url
    assert ASK not in response.content.decode()
    zebedee.refresh_from_db()
    assert zebedee.erased_at is None
