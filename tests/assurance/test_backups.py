"""Backups: a network with final reports, evidence files and members' answers is backed up, restored
into a brand-new empty database and storage by the commands people run (scripts/backup and
scripts/restore, as subprocesses), and then every final report's stored file and data hash still
verify and every table has the same rows. A tampered file is named, a non-empty database or
storage is refused with nothing changed, and a backup that cannot be taken leaves no folder behind.

Every test runs on the test database's own engine. On SQLite the test database lives in memory,
so the backup of it is taken in this process by the same command (call_command) and everything
after it runs as a subprocess on files; on PostgreSQL the backup too is a subprocess, of the test
database, restored into a database made beside it on the same server."""

import hashlib
import json
import os
import threading
import uuid
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from reviews.models import CycleState
from reviews.reports.models import Report
from reviews.reports.services import final_copy_for, issue_final_report
from reviews.selfassessment.models import Evidence, Perspective
from reviews.selfassessment.services import add_file_evidence
from tests.support.backups import (
    FINALS_QUERY,
    Site,
    assert_evidence_restored,
    assert_finals_verify,
    manage,
    run,
    sha256,
    source_counts,
    the_backup,
)
from tests.support.reviews import PeerReview
from tests.support.s3 import Bucket, bucket_in_use, server, storage_options

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
POLICY = b"%PDF-1.4\n% the service's safeguarding policy\n" + bytes(range(256)) * 40


@pytest.fixture
def network(personas, media_root):
    """The home service's review with two evidence files and members' answers, run to its decision,
    its final report version 1 issued, and the copy of that final its lead may read."""
    review = PeerReview(personas)
    for title, content in [("Safeguarding policy", POLICY), ("Rota", b"week,night staff\n1,3\n2,4\n")]:
        add_file_evidence(cycle=review.cycle, added_by=personas.staff, added_as=Perspective.STAFF,
                          upload=SimpleUploadedFile(f"{title}.bin", content), detected_type="application/pdf",
                          title=title)
    review.members_answer("V1.2", *["yes"] * 5, "no")
    review.to(CycleState.FINAL)
    final = issue_final_report(review.cycle, issued_by=personas.admin)
    assert final_copy_for(final, personas.lead) != final
    return review


@pytest.fixture
def site(tmp_path, media_root):
    made = Site(tmp_path, media_root)
    yield made
    made.drop()


def test_backup_restores_into_an_empty_database_and_storage_where_every_final_report_verifies(network, site):
    backup = site.backup()
    manifest = json.loads((backup / "manifest.json").read_text())
    finals = Report.objects.filter(is_final=True).count()
    assert manifest["counts"]["files"] == len(manifest["files"]) == 2 + finals  # the evidence, the finals
    expected = source_counts()

    target = site.empty()
    code, output = run(ROOT / "scripts/restore", backup, **target)
    assert code == 0, output
    assert f"final reports: {finals} checked, all verify" in output, output
    assert "evidence files: 2 checked, all verify" in output, output

    counts, stored = site.contents(target)
    assert counts == expected
    assert stored == {entry["name"]: entry["sha256"] for entry in manifest["files"]}
    [final_rows] = site.query(target, FINALS_QUERY)
    assert_finals_verify(final_rows, target["ASSURANCE_MEDIA_ROOT"])
    assert_evidence_restored(target["ASSURANCE_MEDIA_ROOT"])

    code, output = manage("verify_stored_files", **target)
    assert code == 0 and "Every stored file verifies." in output, output
    # The restored site backs up to the same contents, by the command as people run it.
    code, output = run(ROOT / "scripts/backup", "--output", site.tmp_path / "again", **target)
    assert code == 0 and "Backup written to" in output, output
    again = json.loads((the_backup(site.tmp_path / "again") / "manifest.json").read_text())
    assert (again["tables"], again["files"], again["migrations"]) == (
        manifest["tables"], manifest["files"], manifest["migrations"])


def test_restore_names_a_tampered_file_and_the_report_it_belongs_to(network, site):
    backup = site.backup()
    final = Report.objects.get(is_final=True, audience="")
    damaged = backup / "files" / final.file.name
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"tampered!!")

    code, output = run(ROOT / "scripts/restore", backup, **site.empty())
    assert code != 0
    assert f"NOT VERIFIED: Restored file: the file {final.file.name} has SHA-256" in output, output
    assert f"NOT VERIFIED: Report {final.pk} (Kestrel Wing version 1): the file {final.file.name}" in output, output
    assert "The restored backup does not verify: 2 problems" in output, output


def test_restore_refuses_a_database_or_storage_that_is_not_empty_and_changes_nothing(network, site):
    backup = site.backup()
    used = site.empty()
    assert run(ROOT / "scripts/restore", backup, **used)[0] == 0
    before = site.contents(used)

    code, output = run(ROOT / "scripts/restore", backup, **used)
    assert code != 0 and "Nothing was restored" in output and "is not empty" in output, output
    assert site.contents(used) == before

    empty_database_used_storage = {**site.empty(), "ASSURANCE_MEDIA_ROOT": used["ASSURANCE_MEDIA_ROOT"]}
    code, output = run(ROOT / "scripts/restore", backup, **empty_database_used_storage)
    assert code != 0 and "The storage" in output and "is not empty" in output, output
    assert site.contents(empty_database_used_storage) == ({}, before[1])


def test_restore_refuses_a_changed_database_copy_or_a_folder_that_is_no_backup(network, site):
    backup = site.backup()
    target = site.empty()
    copy = next(path for path in backup.iterdir() if path.name.startswith("database."))
    copy.write_bytes(copy.read_bytes() + b"\0")
    code, output = run(ROOT / "scripts/restore", backup, **target)
    assert code != 0 and "database copy" in output and "has changed since the backup was taken" in output, output
    assert site.contents(target) == ({}, {})

    code, output = run(ROOT / "scripts/restore", site.tmp_path, **target)
    assert code != 0 and "is not a backup: it has no manifest.json" in output, output


def test_verify_stored_files_names_a_damaged_evidence_file(network, site):
    code, output = manage("verify_stored_files", **site.live())
    assert code == 0, output
    evidence = Evidence.objects.get(title="Rota")
    (site.media_root / evidence.file.name).write_bytes(b"week,night staff\n1,0\n")
    code, output = manage("verify_stored_files", **site.live())
    assert code != 0
    assert f"Evidence {evidence.pk} (Rota.bin, Kestrel Wing): the file {evidence.file.name} has SHA-256" in output


def test_backup_of_an_unreachable_database_fails_clearly_and_leaves_nothing(tmp_path):
    code, output = manage("backup", "--output", tmp_path / "backups",
                          DATABASE_URL="postgres://nobody@127.0.0.1:1/assurance", ASSURANCE_DB_POOL_MAX_SIZE="0",
                          ASSURANCE_MEDIA_ROOT=str(tmp_path / "media"))
    assert code != 0
    assert "No backup was made: Cannot reach the database (PostgreSQL assurance on 127.0.0.1)" in output, output
    assert "Traceback" not in output
    assert list((tmp_path / "backups").glob("*")) == []


@pytest.mark.postgres
def test_backup_without_pg_dump_fails_clearly_and_leaves_nothing(network, site):
    no_tools = site.tmp_path / "no-postgresql-tools"
    no_tools.mkdir()
    backups = site.tmp_path / "backups"
    code, output = run(ROOT / "scripts/backup", "--output", backups, ASSURANCE_PG_BIN=str(no_tools), **site.live())
    assert code != 0
    assert f"No backup was made: pg_dump was not found ({no_tools})" in output, output
    assert "Traceback" not in output
    assert list(backups.iterdir()) == []


@pytest.mark.postgres
def test_backup_taken_while_evidence_is_added_restores_whole(network, site, personas):
    """A backup taken while someone keeps adding evidence (each a file, then its row) restores with
    every row's file there and every table as the manifest counted it."""
    started, stop, added = threading.Event(), threading.Event(), []

    def keep_adding():
        try:
            while not stop.is_set():
                added.append(add_file_evidence(
                    cycle=network.cycle, added_by=personas.staff, added_as=Perspective.STAFF, require_open=False,
                    upload=SimpleUploadedFile(f"note-{len(added)}.txt", os.urandom(2048)), detected_type="text/plain",
                    title=f"Note {len(added)}"))
                started.set()
        finally:
            started.set()
            connection.close()

    writer = threading.Thread(target=keep_adding)
    writer.start()
    try:
        assert started.wait(timeout=300) and added, "the writer added nothing"
        backup = site.backup()
    finally:
        stop.set()
        writer.join()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert 2 + 1 <= manifest["tables"]["reviews_evidence"] <= 2 + len(added)

    code, output = run(ROOT / "scripts/restore", backup, **site.empty())
    assert code == 0, output
    assert f"evidence files: {manifest['tables']['reviews_evidence']} checked, all verify" in output, output


# --- S3-compatible storage --------------------------------------------------------------------


def s3_environment(bucket_name):
    """The ASSURANCE_S3_* settings that put a command's stored files in that bucket."""
    options = storage_options(bucket_name)
    return {"ASSURANCE_S3_BUCKET": bucket_name, "ASSURANCE_S3_ENDPOINT_URL": options["endpoint_url"],
            "ASSURANCE_S3_REGION": options["region_name"], "ASSURANCE_S3_ACCESS_KEY_ID": options["access_key"],
            "ASSURANCE_S3_SECRET_ACCESS_KEY": options["secret_key"], "ASSURANCE_S3_PREFIX": options["location"]}


@pytest.fixture
def s3_bucket(settings, media_root):
    with bucket_in_use(settings) as bucket:
        yield bucket


@pytest.mark.s3
def test_backup_of_files_in_s3_restores_into_an_empty_bucket(s3_bucket, network, site):
    site.storage = s3_environment(s3_bucket.name)
    assert not list(site.media_root.rglob("*.pdf"))  # the files are in the bucket, not on disk
    backup = site.backup()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert len(manifest["files"]) == 2 + Report.objects.filter(is_final=True).count()

    empty = Bucket(name=f"assurance-restored-{uuid.uuid4().hex[:12]}", client=s3_bucket.client,
                   endpoint=s3_bucket.endpoint)
    empty.client.create_bucket(Bucket=empty.name, CreateBucketConfiguration={"LocationConstraint": server()[1]})
    try:
        target = {**site.empty(), **s3_environment(empty.name)}
        del target["ASSURANCE_MEDIA_ROOT"]
        code, output = run(ROOT / "scripts/restore", backup, **target)
        assert code == 0, output
        assert "evidence files: 2 checked, all verify" in output, output
        assert empty.keys() == sorted(empty.key(entry["name"]) for entry in manifest["files"])
        for entry in manifest["files"]:
            assert hashlib.sha256(empty.read(entry["name"])).hexdigest() == entry["sha256"]
        code, output = run(ROOT / "scripts/restore", backup, **{**site.empty(), **s3_environment(empty.name)})
        assert code != 0 and "The storage (PrivateS3Storage) is not empty" in output, output
    finally:
        empty.remove()


# --- reports stored before their SHA-256 was kept ----------------------------------------------


def test_migration_records_the_sha256_of_stored_reports_and_skips_missing_files(network, media_root):
    record_file_hashes = import_module("reviews.migrations.0012_report_file_sha256_for_stored_reports").record_file_hashes
    final, copy = Report.objects.filter(is_final=True).order_by("pk")
    Report.objects.filter(pk__in=[final.pk, copy.pk]).update(file_sha256="")
    copy.file.storage.delete(copy.file.name)

    record_file_hashes(django_apps, SimpleNamespace(connection=connection))

    final.refresh_from_db()
    assert final.file_sha256 == sha256(Path(media_root) / final.file.name)
    copy.refresh_from_db()
    assert copy.file_sha256 == ""
