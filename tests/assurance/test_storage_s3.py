"""Private files in S3-compatible object storage (assurance.storage.PrivateS3Storage), against the
throwaway server scripts/with-s3 starts: objects nobody can read without a key, signed addresses that
last a minute and download as attachments, files read as they are sent, nothing half-written left
when writing fails, and the health endpoint telling a load balancer whether the bucket works.

The test server (moto) refuses an unsigned read of a private object, as S3 does, but accepts any
signature and ignores expiry: so a signed address is checked for what it carries, not by waiting."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from tests.support.s3 import bucket_in_use, fetch

pytestmark = [pytest.mark.s3, pytest.mark.usefixtures("s3_bucket")]

HEALTH = "/health/"


@pytest.fixture
def s3_bucket(settings, media_root):
    with bucket_in_use(settings) as bucket:
        yield bucket


# --- private ----------------------------------------------------------------------------------


def test_stored_object_is_refused_to_anyone_without_a_key(s3_bucket):
    name = default_storage.save("reports/network/private.pdf", ContentFile(b"%PDF-1.7 private"))
    s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=s3_bucket.key("public.txt"), Body=b"public",
                                ACL="public-read")

    grants = s3_bucket.client.get_object_acl(Bucket=s3_bucket.name, Key=s3_bucket.key(name))["Grants"]

    assert s3_bucket.status_without_key(name) == 403
    assert s3_bucket.status_without_key("public.txt") == 200  # the server does tell them apart
    assert [(grant["Grantee"]["Type"], grant["Permission"]) for grant in grants] == [("CanonicalUser",
                                                                                      "FULL_CONTROL")]


def test_signed_address_lasts_a_minute_and_downloads_as_an_attachment(s3_bucket):
    name = default_storage.save("reports/network/signed.pdf", ContentFile(b"%PDF-1.7 signed"))

    address = default_storage.url(name)

    query = parse_qs(urlsplit(address).query)
    assert address.startswith(f"{s3_bucket.endpoint}/{s3_bucket.name}/{s3_bucket.key(name)}?")
    assert query["X-Amz-Expires"] == ["60"]
    assert query["X-Amz-Signature"][0]
    assert query["response-content-disposition"] == ['attachment; filename="signed.pdf"']
    status, headers, body = fetch(address)
    assert (status, headers["Content-Disposition"], body) == (200, 'attachment; filename="signed.pdf"',
                                                              b"%PDF-1.7 signed")


def test_a_file_is_never_overwritten(s3_bucket):
    first = default_storage.save("evidence/cycle-1/same", ContentFile(b"first"))
    second = default_storage.save("evidence/cycle-1/same", ContentFile(b"second"))

    assert first != second
    assert (s3_bucket.read(first), s3_bucket.read(second)) == (b"first", b"second")


# --- reading ----------------------------------------------------------------------------------


def test_a_file_is_read_in_ranges_from_where_it_is_asked(s3_bucket):
    content = bytes(range(256)) * 40
    name = default_storage.save("evidence/cycle-1/ranges", ContentFile(content))

    with default_storage.open(name, "rb") as stored:
        size = stored.size
        start = stored.read(10)
        stored.seek(5000)
        middle = stored.read(100)
        stored.seek(0)
        whole = stored.read()

    assert size == len(content)
    assert (start, middle, whole) == (content[:10], content[5000:5100], content)


def test_a_file_is_read_from_storage_as_it_is_sent_and_never_mixes_two_versions(s3_bucket):
    name = default_storage.save("evidence/cycle-1/changing", ContentFile(b"the version that was opened"))

    with default_storage.open(name, "rb") as stored:
        s3_bucket.client.put_object(Bucket=s3_bucket.name, Key=s3_bucket.key(name), Body=b"changed behind our back")
        with pytest.raises(ClientError, match="PreconditionFailed"):
            stored.read()


def test_a_missing_file_is_not_found_as_on_disk(s3_bucket):
    with pytest.raises(FileNotFoundError):
        default_storage.open("evidence/cycle-1/never-stored", "rb")


# --- writing fails ----------------------------------------------------------------------------


class BreaksHalfWay(io.RawIOBase):
    """Content whose reading fails after `good` bytes: a disk error or a killed upload, half way."""

    def __init__(self, good):
        super().__init__()
        self.good = good
        self.given = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.given >= self.good:
            raise OSError("The upload was cut off half way")
        size = min(len(buffer), self.good - self.given)
        buffer[:size] = b"x" * size
        self.given += size
        return size


@pytest.mark.parametrize("good_bytes", [1000, 12 * 1024 * 1024], ids=["one request", "multipart upload"])
def test_writing_that_fails_half_way_leaves_no_object_and_no_unfinished_upload(s3_bucket, good_bytes):
    content = File(BreaksHalfWay(good_bytes), name="broken.pdf")
    content.size = good_bytes * 2  # what it claims: large enough to be sent in parts

    with pytest.raises(OSError, match="cut off half way"):
        default_storage.save("reports/network/broken.pdf", content)

    assert s3_bucket.keys() == []
    assert s3_bucket.unfinished_uploads() == []


# --- health -----------------------------------------------------------------------------------


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_health_is_ok_with_the_bucket_and_leaves_nothing_in_it(client, s3_bucket):
    response = client.get(HEALTH)

    assert response.status_code == 200
    assert response.json()["checks"]["storage"]["ok"] is True
    assert s3_bucket.keys() == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_health_fails_when_the_bucket_is_gone_and_says_nothing_of_why(client, s3_bucket, caplog):
    s3_bucket.remove()

    response = client.get(HEALTH)

    assert response.status_code == 503
    assert response.json()["status"] == "failing"
    assert response.json()["checks"]["storage"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True
    assert s3_bucket.name not in response.content.decode()
    assert "NoSuchBucket" in caplog.text
