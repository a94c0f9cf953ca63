"""Retention and erasure with the files in S3-compatible object storage: the objects themselves go."""

import datetime
import hashlib

import pytest
from botocore.exceptions import ClientError
from django.core.management import call_command

from reviews.models import Report
from reviews.privacy.services import erase_person
from tests.assurance.privacy_world import zebedees_review
from tests.assurance.test_privacy_retention import closed_cycle
from tests.support.s3 import bucket_in_use

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture
def s3_bucket(settings, media_root):
    with bucket_in_use(settings) as bucket:
        yield bucket


def gone(bucket, name):
    try:
        bucket.object(name)
    except ClientError:
        return True
    return False


def test_retention_deletes_the_object_and_keeps_the_record(s3_bucket, personas):
    _cycle, item, _link = closed_cycle(personas.home, datetime.date(2019, 3, 1))
    stored = item.file.name
    assert not gone(s3_bucket, stored)

    call_command("apply_retention", "--years", "6", "--today", "2025-03-01")

    item.refresh_from_db()
    assert gone(s3_bucket, stored) and item.file_removed_at is not None


def test_erasure_replaces_the_final_reports_object(s3_bucket, personas, django_capture_on_commit_callbacks):
    zebedee, review = zebedees_review(personas)
    final = Report.objects.get(cycle=review.cycle, is_final=True, audience="")
    old = final.file.name

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(zebedee)

    final.refresh_from_db()
    assert gone(s3_bucket, old)
    assert hashlib.sha256(s3_bucket.read(final.file.name)).hexdigest() == final.file_sha256
