"""The retention policy: evidence files of cycles closed more than N years ago are deleted from
storage; the evidence record stays, saying when and why, with an audit entry for each removal."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from reviews.models import CycleEvent, CycleState, Evidence, Perspective
from reviews.selfassessment.services import add_link_evidence
from tests.factories import CycleFactory
from tests.support.evidence import download_evidence, file_item
from tests.support.pages import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def closed_cycle(service, closed_on):
    """A cycle with a file and a link as evidence, closed on `closed_on`."""
    cycle = CycleFactory(service=service)
    item = file_item(cycle, None, name="rota.txt")
    link = add_link_evidence(cycle=cycle, added_by=None, added_as=Perspective.STAFF, url="https://example.org/",
                             title="Board minutes")
    cycle.state = CycleState.CLOSED
    cycle.save()
    event = CycleEvent.objects.create(cycle=cycle, from_state=CycleState.FINAL, to_state=CycleState.CLOSED)
    CycleEvent.objects.filter(pk=event.pk).update(at=datetime.datetime(closed_on.year, closed_on.month,
                                                                       closed_on.day, 12, tzinfo=datetime.UTC))
    return cycle, item, link


def retention(*args):
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old(personas):
    return closed_cycle(personas.home, datetime.date(2019, 3, 1))


def test_files_of_a_cycle_closed_more_than_n_years_ago_are_removed_and_the_record_stays(old, personas):
    cycle, item, link = old
    stored = item.file.name

    output = retention("--years", "6", "--today", "2025-03-01")

    item.refresh_from_db()
    assert not default_storage.exists(stored)
    assert item.file.name == "" and item.file_removed_at is not None
    assert item.file_removed_reason == "Retention policy: kept 6 years after the review closed on 2019-03-01"
    assert (item.title, item.original_name, item.size, item.sha256) == (
        "staff rota.txt", "rota.txt", len(b"Minutes of the meeting.\n"), item.sha256) and item.sha256
    assert f"Removed evidence #{item.pk} 'staff rota.txt' (rota.txt) of cycle #{cycle.pk}" in output
    assert output.strip().endswith("Removed 1 evidence file of cycles closed more than 6 years ago.")
    link.refresh_from_db()
    assert (link.url, link.file_removed_at) == ("https://example.org/", None)


def test_each_removal_is_in_the_audit_log(old):
    _cycle, item, _link = old

    retention("--years", "6", "--today", "2025-03-01")

    entry = LogEntry.objects.get_for_object(item).order_by("-pk").first()
    assert {"file", "file_removed_at", "file_removed_reason"} <= set(entry.changes_dict)


def test_a_cycle_closed_less_than_n_years_ago_keeps_its_files(old, personas):
    _cycle, item, _link = old

    output = retention("--years", "6", "--today", "2025-02-28")

    item.refresh_from_db()
    assert default_storage.exists(item.file.name) and item.file_removed_at is None
    assert output.strip() == "Removed 0 evidence files of cycles closed more than 6 years ago."


def test_a_cycle_not_closed_keeps_its_files(personas):
    cycle = CycleFactory(service=personas.other)
    item = file_item(cycle, None)

    retention("--years", "1", "--today", "2099-01-01")

    item.refresh_from_db()
    assert item.file_removed_at is None and default_storage.exists(item.file.name)


def test_running_again_removes_nothing_twice(old):
    _cycle, item, _link = old
    retention("--years", "6", "--today", "2025-03-01")
    removed_at = Evidence.objects.get(pk=item.pk).file_removed_at

    output = retention("--years", "6", "--today", "2026-01-01")

    assert "Removed 0 evidence files" in output
    assert Evidence.objects.get(pk=item.pk).file_removed_at == removed_at
    assert LogEntry.objects.get_for_object(item).filter(action=LogEntry.Action.UPDATE).count() == 1


def test_a_dry_run_lists_and_removes_nothing(old):
    _cycle, item, _link = old

    output = retention("--years", "6", "--today", "2025-03-01", "--dry-run")

    item.refresh_from_db()
    assert f"Would remove evidence #{item.pk}" in output and item.file_removed_at is None
    assert default_storage.exists(item.file.name)


def test_the_default_years_come_from_the_setting(old, settings):
    settings.EVIDENCE_RETENTION_YEARS = 5
    _cycle, item, _link = old

    output = retention("--today", "2024-03-01")

    assert "more than 5 years ago" in output and "Removed 1 evidence file" in output


@pytest.mark.parametrize(("args", "message"), [
    (["--today", "1 March 2025"], "--today '1 March 2025': give a date as YYYY-MM-DD."),
    (["--years", "0"], "--years 0: keep files for at least one year."),
])
def test_bad_input_is_refused_and_nothing_removed(old, args, message):
    _cycle, item, _link = old

    with pytest.raises(CommandError) as error:
        retention(*args)

    assert str(error.value) == message
    item.refresh_from_db()
    assert item.file_removed_at is None


def test_the_evidence_page_and_download_say_the_file_was_removed(old, personas, client_for):
    cycle, item, link = old
    retention("--years", "6", "--today", "2025-03-01")
    admin = client_for(personas.admin)
    removed_on = Evidence.objects.get(pk=item.pk).file_removed_at

    page = admin.get(reverse("reviews:evidence", args=[cycle.pk]))
    status, _body, response = download_evidence(admin, item)

    assert f"file removed on {removed_on:%-d %B %Y} under the retention policy" in text(page)
    assert reverse("reviews:evidence-download", args=[cycle.pk, item.pk]) not in page.content.decode()
    assert status == 410
    assert "was removed on" in text(response) and "under the retention policy" in text(response)
