"""Restoring a backup into an empty database and an empty storage, then proving it whole: every
file against the manifest, every table's rows, and every record that keeps a file's hash."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import storages
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from assurance.backups import FILES, MANIFEST, BackupError, RestoreIncomplete, database, files
from assurance.backups.verify import Outcome, verify_against_manifest, verify_counts, verify_stored_records
from assurance.storage import sha256_of


@dataclass
class Restored:
    manifest: dict
    outcomes: list
    notes: list

    @property
    def problems(self):
        return [problem for outcome in self.outcomes for problem in outcome.problems]


def read_manifest(folder):
    folder = Path(folder)
    if folder.name.endswith(".partial"):
        raise BackupError(f"{folder} is a backup that never finished; use a whole one.")
    try:
        return json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
    except json.JSONDecodeError as error:
        raise BackupError(f"{folder / MANIFEST} cannot be read: {error}") from None


def restore_backup(folder, *, using="default", storage=None):
    """Restores the backup in `folder`. Refuses, changing nothing, unless the database and the
    storage are empty and the backup's database copy is whole."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    _check_backup_is_whole(folder, manifest)
    connection = connections[using]
    storage = storage or storages["default"]
    database.reach(connection)
    _check_empty(connection, storage)
    database.restore(connection, folder / manifest["database"]["file"], manifest["database"]["vendor"])
    connection.close()  # the next query sees the restored schema from a fresh connection
    try:
        files.copy_in(storage, folder / FILES, manifest["files"])
    except Exception as error:  # the storage's own errors (S3: botocore) or a full disk, said in words
        raise RestoreIncomplete(
            f"The database was restored but the files could not all be put back ({type(storage).__name__}): "
            f"{error}. Empty the database and the storage and restore again."
        ) from error
    return _verify(connection, storage, manifest)


def _check_backup_is_whole(folder, manifest):
    dumped = folder / manifest["database"]["file"]
    if not dumped.exists():
        raise BackupError(f"The backup's database copy {dumped} is missing.")
    with open(dumped, "rb") as readable:
        digest, _size = sha256_of(readable)
    if digest != manifest["database"]["sha256"]:
        raise BackupError(f"The backup's database copy {dumped} has changed since the backup was taken "
                          f"(SHA-256 {digest[:12]}…, the manifest says {manifest['database']['sha256'][:12]}…).")
    missing = [entry["name"] for entry in manifest["files"]
               if not files.safe_path(folder / FILES, entry["name"]).is_file()]
    if missing:
        raise BackupError(f"The backup lacks {len(missing)} of its files: {', '.join(missing[:10])}")


def _check_empty(connection, storage):
    if not database.is_empty(connection):
        raise BackupError(f"The database ({database.describe(connection)}) is not empty. A backup is restored only "
                          "into an empty database: create a new one, point DATABASE_URL at it and restore again.")
    stored = files.stored_names(storage)
    if stored:
        raise BackupError(f"The storage ({type(storage).__name__}) is not empty: it holds {len(stored)} files, "
                          f"such as {stored[0]}. A backup is restored only into an empty storage.")


def _verify(connection, storage, manifest):
    counts, migrations = database.counts_and_migrations(connection)
    migrations_outcome = Outcome("migrations against the backup's manifest", checked=len(manifest["migrations"]))
    if migrations != manifest["migrations"]:
        migrations_outcome.problems.append("The migrations recorded in the restored database differ from the manifest's.")
    outcomes = [verify_counts(manifest["tables"], counts), migrations_outcome,
                verify_against_manifest(storage, manifest["files"])]
    notes = []
    if manifest.get("vanished_while_copying"):
        notes.append(f"Files deleted while the backup was taken (not in it): {', '.join(manifest['vanished_while_copying'])}")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        notes.append("The backup is older than this code: run `manage.py migrate`, then `manage.py verify_stored_files`.")
        return Restored(manifest, outcomes, notes)
    return Restored(manifest, outcomes + verify_stored_records(storage), notes)
