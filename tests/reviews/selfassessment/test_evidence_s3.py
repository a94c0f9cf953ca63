"""Evidence kept in S3-compatible object storage (ASSURANCE_S3_BUCKET set): an upload through the
evidence page lands in the bucket, never on local disk; the people allowed to see it download it
through the page that checks permission, streamed as it is read; a person of another service gets
404, and the object itself answers no one who has no key; once retention removes it, it is gone
from the bucket."""

import datetime
import io

import pytest
from botocore.exceptions import ClientError
from django.core.management import call_command

from assurance.models import RoleKind
from reviews.models import CycleEvent, CycleState, Evidence, Perspective
from tests.support.documents import stored_files
from tests.support.evidence import download_evidence, file_item, text_bytes, upload
from tests.support.personas import person
from tests.support.s3 import bucket_in_use

pytestmark = [pytest.mark.django_db, pytest.mark.s3, pytest.mark.usefixtures("s3_bucket")]


@pytest.fixture
def s3_bucket(settings, media_root):
    """Files go to a bucket of the test's own; the media folder is the test's own too, so a test can
    show that nothing was written to local disk."""
    with bucket_in_use(settings) as bucket:
        yield bucket


def test_upload_through_the_page_lands_in_the_bucket_and_not_on_disk(client_for, personas, cycle, s3_bucket,
                                                                      media_root):
    content = text_bytes()

    response = upload(client_for(personas.staff), cycle, "Jordan Lee support plan.txt", content)

    assert response.status_code == 302
    item = Evidence.objects.get()
    assert item.file.name.startswith(f"evidence/cycle-{cycle.pk}/")
    assert s3_bucket.object(item.file.name)["ContentLength"] == len(content)
    assert s3_bucket.read(item.file.name) == content
    assert s3_bucket.keys() == [s3_bucket.key(item.file.name)]
    assert stored_files(media_root) == []


def test_large_upload_is_sent_in_parts_and_comes_back_whole(client_for, personas, cycle, s3_bucket):
    # Over Django's in-memory limit (kept in a temporary file) and over S3's single-request size
    # (sent as a multipart upload), under the evidence limit.
    content = (text_bytes() * 120_000)[: 9 * 1024 * 1024]

    upload(client_for(personas.staff), cycle, "rota.txt", content)
    item = Evidence.objects.get()
    status, body, response = download_evidence(client_for(personas.staff), item)

    assert s3_bucket.object(item.file.name)["ContentLength"] == len(content)
    assert "-" in s3_bucket.object(item.file.name)["ETag"]  # the ETag of an object uploaded in parts
    assert (status, len(body), body == content) == (200, len(content), True)
    assert s3_bucket.unfinished_uploads() == []


def test_permitted_person_downloads_it_streamed_as_an_attachment(client_for, personas, cycle, s3_bucket):
    content = b"Minutes of the meeting.\n" * 5000  # larger than one block of the response
    item = file_item(cycle, personas.staff, name="minutes.txt", content=content)

    status, body, response = download_evidence(client_for(personas.lead), item)

    assert (status, body) == (200, content)
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="minutes.txt"'
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]


def test_members_item_reaches_a_member_but_not_another_services_person(client_for, personas, cycle, s3_bucket):
    item = file_item(cycle, personas.member, Perspective.MEMBERS, name="our-letter.txt", content=b"Dear all,\n")
    elm_house_lead = person("elmlead", RoleKind.SERVICE_LEAD, personas.other)

    member = download_evidence(client_for(personas.member), item)[:2]
    other_service = download_evidence(client_for(elm_house_lead), item)[0]

    assert member == (200, b"Dear all,\n")
    assert other_service == 404


def test_stored_object_has_no_grant_for_anyone_else_and_refuses_an_unsigned_read(personas, cycle, s3_bucket):
    item = file_item(cycle, personas.staff, name="minutes.txt")

    grants = s3_bucket.client.get_object_acl(Bucket=s3_bucket.name, Key=s3_bucket.key(item.file.name))["Grants"]

    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]  # the owner, nobody else
    assert s3_bucket.status_without_key(item.file.name) == 403


def test_retention_deletes_the_object_and_the_download_says_the_file_was_removed(client_for, personas, cycle,
                                                                                 s3_bucket):
    item = file_item(cycle, personas.staff, name="rota.txt")
    stored = item.file.name
    cycle.state = CycleState.CLOSED
    cycle.save()
    closing = CycleEvent.objects.create(cycle=cycle, from_state=CycleState.FINAL, to_state=CycleState.CLOSED)
    CycleEvent.objects.filter(pk=closing.pk).update(at=datetime.datetime(2019, 3, 1, 12, tzinfo=datetime.UTC))

    call_command("apply_retention", "--years", "6", "--today", "2025-03-01", stdout=io.StringIO())

    assert s3_bucket.keys() == []
    with pytest.raises(ClientError, match="404"):
        s3_bucket.object(stored)
    assert download_evidence(client_for(personas.staff), item)[0] == 410
