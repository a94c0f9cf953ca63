"""Opening a review cycle, from its page and with `open_cycle`: refused with a clear message, and
nothing created, whenever the cycle could not go ahead."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reviews.models import Cycle, CycleEvent, CycleState
from standards.models import EditionStatus
from tests.factories import CycleFactory, EditionFactory, build_edition
from tests.support.pages import text
from tests.support.personas import browser_for

OPEN_URL = reverse("reviews:cycle-open")


def open_on_page(personas, **fields):
    data = {"service": personas.home.slug, "self_assessment_due": "2027-03-01", "visit_due": "2027-06-01", **fields}
    return browser_for(personas.admin).post(OPEN_URL, data, follow=True)


# --- the page ---------------------------------------------------------------------------------


def test_open_cycle_page_opens_cycle_with_its_dates(personas):
    edition = build_edition(values=2)

    response = open_on_page(personas, edition=edition.pk)

    cycle = Cycle.objects.get(service=personas.home)
    assert response.redirect_chain == [(cycle.get_absolute_url(), 302)]
    page = text(response)
    assert "Review cycle opened for Kestrel Wing." in page
    assert "Stage Self-assessment open" in page
    assert "Self-assessment due 1 March 2027" in page and "Visit due by 1 June 2027" in page
    assert f"Self-assessment open — {personas.admin}" in page
    assert (cycle.edition, cycle.state, cycle.opened_by) == (edition, CycleState.OPEN, personas.admin)
    assert (cycle.self_assessment_due, cycle.visit_due) == (datetime.date(2027, 3, 1), datetime.date(2027, 6, 1))
    [event] = CycleEvent.objects.filter(cycle=cycle)
    assert (event.to_state, event.actor) == (CycleState.OPEN, personas.admin)


def test_open_cycle_page_reached_from_the_service_page_with_service_chosen(personas):
    build_edition(values=1)
    admin = browser_for(personas.admin)

    service_page = admin.get(personas.home.get_absolute_url()).content.decode()
    form = admin.get(OPEN_URL, {"service": personas.home.slug}).content.decode()

    assert f'href="{OPEN_URL}?service={personas.home.slug}"' in service_page
    assert f'<option value="{personas.home.slug}" selected>Kestrel Wing</option>' in form


def test_open_cycle_page_offers_published_editions_only(personas):
    published = build_edition(values=1, version="2026.1")
    build_edition(values=1, version="2027.0-draft", status=EditionStatus.DRAFT)
    build_edition(values=1, version="2025.1", status=EditionStatus.RETIRED)

    page = text(browser_for(personas.admin).get(OPEN_URL))

    assert str(published) in page
    assert "2027.0-draft" not in page and "2025.1" not in page


@pytest.mark.parametrize("status", [EditionStatus.DRAFT, EditionStatus.RETIRED])
def test_open_cycle_page_refused_for_unpublished_edition(personas, status):
    edition = build_edition(values=1, status=status)

    response = open_on_page(personas, edition=edition.pk)

    assert response.status_code == 200
    assert "There is a problem" in text(response)
    assert "Standards edition: choose one of the options shown" in text(response)
    assert not Cycle.objects.exists()


def test_open_cycle_page_refused_for_service_with_cycle_under_way(personas):
    under_way = CycleFactory(service=personas.home, state=CycleState.SELF_ASSESSMENT_SUBMITTED)

    response = open_on_page(personas, edition=build_edition(values=1).pk)

    assert response.status_code == 200
    assert "Kestrel Wing already has a review cycle under way. Close it before opening another." in text(response)
    assert list(Cycle.objects.all()) == [under_way]


def test_open_cycle_page_allowed_once_the_last_cycle_is_closed(personas):
    CycleFactory(service=personas.home, state=CycleState.CLOSED)

    open_on_page(personas, edition=build_edition(values=1).pk)

    assert Cycle.objects.filter(service=personas.home, state=CycleState.OPEN).count() == 1


def test_open_cycle_page_refused_when_visit_due_before_self_assessment(personas):
    response = open_on_page(personas, edition=build_edition(values=1).pk, visit_due="2027-02-28")

    assert response.status_code == 200
    assert "Visit due by: the visit cannot be due before the self-assessment." in text(response)
    assert not Cycle.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [{"service": "no-such-service"}, {"edition": "999999"}, {"service": ""}, {"self_assessment_due": "soon"}],
    ids=["unknown-service", "unknown-edition", "no-service", "bad-date"],
)
def test_open_cycle_page_refused_for_unknown_choices(personas, fields):
    edition = build_edition(values=1)

    response = open_on_page(personas, **{"edition": edition.pk, **fields})

    assert response.status_code == 200
    assert "There is a problem" in text(response)
    assert not Cycle.objects.exists()


def test_open_cycle_page_refused_for_service_that_left_the_network(personas):
    personas.home.is_active = False
    personas.home.save()

    response = open_on_page(personas, edition=build_edition(values=1).pk)

    assert "Service: choose one of the options shown" in text(response)
    assert not Cycle.objects.exists()


# --- the command ------------------------------------------------------------------------------


def open_cycle(*args):
    out = StringIO()
    call_command("open_cycle", *args, stdout=out)
    return out.getvalue()


def test_open_cycle_command_opens_cycle(personas):
    edition = build_edition(values=1, version="2026.1")

    out = open_cycle(
        "kestrel-wing", "--edition", "test-standards:2026.1", "--due", "2027-03-01", "--visit-due", "2027-06-01",
        "--by", "admin",
    )

    cycle = Cycle.objects.get(service=personas.home)
    assert out == f"Opened review cycle {cycle.pk} for Kestrel Wing against {edition}.\n"
    assert (cycle.edition, cycle.state, cycle.opened_by) == (edition, CycleState.OPEN, personas.admin)
    assert (cycle.self_assessment_due, cycle.visit_due) == (datetime.date(2027, 3, 1), datetime.date(2027, 6, 1))
    assert CycleEvent.objects.get(cycle=cycle).to_state == CycleState.OPEN


def test_open_cycle_command_without_dates_or_person(personas):
    build_edition(values=1, version="2026.1")

    open_cycle("kestrel-wing", "--edition", "test-standards:2026.1")

    cycle = Cycle.objects.get(service=personas.home)
    assert (cycle.self_assessment_due, cycle.visit_due, cycle.opened_by) == (None, None, None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--edition", "test-standards:2027.0-draft"],
         "Cycles can only use a published edition; Test Standards 2027.0-draft is not."),
        (["--edition", "test-standards:2026.1", "--due", "2027-03-01", "--visit-due", "2027-02-01"],
         "The visit cannot be due before the self-assessment."),
        (["--edition", "test-standards:2099.9"],
         "No edition 'test-standards:2099.9'. Published editions: test-standards:2026.1."),
        (["--edition", "2026.1"], "No edition '2026.1'."),
        (["--edition", "test-standards:2026.1", "--by", "nobody"], "No person with the username 'nobody'."),
        (["--edition", "test-standards:2026.1", "--due", "1 March"], "'1 March' is not a date in the form YYYY-MM-DD"),
    ],
    ids=["draft-edition", "visit-before-due", "unknown-edition", "edition-without-framework", "unknown-person",
         "bad-date"],
)
def test_open_cycle_command_refused_and_creates_nothing(personas, args, message):
    build_edition(values=1, version="2026.1")
    EditionFactory(version="2027.0-draft", status=EditionStatus.DRAFT)

    with pytest.raises(CommandError) as refused:
        open_cycle("kestrel-wing", *args)

    assert message in str(refused.value)
    assert refused.value.returncode != 0
    assert not Cycle.objects.exists()
    assert not CycleEvent.objects.exists()


def test_open_cycle_command_refused_for_unknown_service(personas):
    build_edition(values=1, version="2026.1")

    with pytest.raises(CommandError, match="No service with the slug 'no-such-service'.") as refused:
        open_cycle("no-such-service", "--edition", "test-standards:2026.1")

    assert refused.value.returncode != 0
    assert not Cycle.objects.exists()


def test_open_cycle_command_refused_for_service_with_cycle_under_way(personas):
    build_edition(values=1, version="2026.1")
    under_way = CycleFactory(service=personas.home)

    with pytest.raises(CommandError, match="Kestrel Wing already has a review cycle under way.") as refused:
        open_cycle("kestrel-wing", "--edition", "test-standards:2026.1")

    assert refused.value.returncode != 0
    assert list(Cycle.objects.all()) == [under_way]
