"""Running the backup and restore commands as people do, and the site's database and storage as a
subprocess reaches them (tests/assurance/test_backups.py)."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from reviews.reports.data import data_hash
from reviews.reports.models import Report
from reviews.selfassessment.models import Evidence

ROOT = Path(settings.BASE_DIR)


def run(*command, **environment):
    """Runs a command as people do, with the site's own settings and `environment`; returns
    (exit code, what it printed)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "assurance.settings", "ASSURANCE_ENV": "development",
           **environment}
    finished = subprocess.run([str(part) for part in command], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=900)
    return finished.returncode, finished.stdout + finished.stderr


def manage(*arguments, **environment):
    return run(sys.executable, ROOT / "manage.py", *arguments, **environment)


def the_backup(folder):
    made = [path for path in Path(folder).iterdir()]
    assert len(made) == 1 and not made[0].name.endswith(".partial"), made
    return made[0]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def table_counts(cursor, tables, quote):
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def source_counts():
    with connection.cursor() as cursor:
        return table_counts(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)


def assert_finals_verify(rows, media):
    """Each final report's row as restored (pk, file, file_sha256, data_hash, snapshot as JSON text):
    its file in the restored storage has the recorded SHA-256, its snapshot the recorded data hash."""
    finals = Report.objects.filter(is_final=True)
    assert {row[0] for row in rows} == set(finals.values_list("pk", flat=True)) and len(rows) >= 2
    for pk, name, file_sha256, recorded_hash, snapshot in rows:
        original = finals.get(pk=pk)
        assert (name, file_sha256, recorded_hash) == (original.file.name, original.file_sha256, original.data_hash)
        assert sha256(Path(media) / name) == file_sha256
        if original.audience == "":
            snapshot = json.loads(snapshot) if isinstance(snapshot, str) else snapshot
            assert data_hash(snapshot) == recorded_hash


def assert_evidence_restored(media):
    for evidence in Evidence.objects.exclude(file=""):
        assert sha256(Path(media) / evidence.file.name) == evidence.sha256


FINALS_QUERY = "SELECT id, file, file_sha256, data_hash, snapshot FROM reviews_report WHERE is_final ORDER BY id"
TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
}


def sqlite_url(path):
    return f"sqlite:///{path}"


def postgres_url(name):
    settings_dict = connection.settings_dict
    user = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else "")
    return f"postgres://{user}@{settings_dict['HOST']}:{settings_dict['PORT']}/{name}"


class Site:
    """The test database and storage as a subprocess reaches them, and new empty ones beside them
    (on PostgreSQL, databases on the same server, dropped afterwards)."""

    def __init__(self, tmp_path, media_root):
        self.tmp_path, self.media_root = tmp_path, Path(media_root)
        self.made = []
        self.storage = {"ASSURANCE_MEDIA_ROOT": str(self.media_root)}  # or the ASSURANCE_S3_* of a bucket

    @property
    def postgres(self):
        return connection.vendor == "postgresql"

    def live(self):
        if self.postgres:
            return {"DATABASE_URL": postgres_url(connection.settings_dict["NAME"]), **self.storage}
        path = self.tmp_path / f"live-{uuid.uuid4().hex[:8]}.sqlite3"  # the in-memory test database, as a file
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        return {"DATABASE_URL": sqlite_url(path), **self.storage}

    def backup(self):
        folder = self.tmp_path / f"backups-{uuid.uuid4().hex[:8]}"
        if self.postgres:
            code, output = run(ROOT / "scripts/backup", "--output", folder, **self.live())
            assert code == 0 and "Backup written to" in output, output
        else:
            call_command("backup", "--output", folder)
        return the_backup(folder)

    def empty(self):
        """A new empty database and storage folder, as the environment that points a command at them."""
        key = uuid.uuid4().hex[:12]
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "restored_{key}"')
            self.made.append(f"restored_{key}")
            url = postgres_url(f"restored_{key}")
        else:
            url = sqlite_url(self.tmp_path / f"restored-{key}.sqlite3")
        return {"DATABASE_URL": url, "ASSURANCE_MEDIA_ROOT": str(self.tmp_path / f"media-{key}")}

    def query(self, target, *statements):
        """Runs each statement in the database `target` points at; returns their rows."""
        url = target["DATABASE_URL"]
        if url.startswith("sqlite:"):
            database = sqlite3.connect(url.removeprefix("sqlite:///"))
        else:
            import psycopg

            database = psycopg.connect(url)
        try:
            cursor = database.cursor()
            return [cursor.execute(statement).fetchall() for statement in statements]
        finally:
            database.close()

    def contents(self, target):
        """Every table's rows counted, and every stored file with its hash."""
        vendor = "sqlite" if target["DATABASE_URL"].startswith("sqlite:") else "postgresql"
        [tables] = self.query(target, TABLES[vendor])
        counted = self.query(target, *[f'SELECT count(*) FROM "{name}"' for name, in tables])
        media = Path(target["ASSURANCE_MEDIA_ROOT"])
        stored = {str(path.relative_to(media)): sha256(path) for path in media.rglob("*") if path.is_file()}
        return {name: rows[0][0] for (name,), rows in zip(tables, counted, strict=True)}, stored

    def drop(self):
        with connection.cursor() as cursor:
            for name in self.made:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
