"""Taking a backup: the database as one consistent copy, then every stored file, then the manifest,
in a folder renamed to its final name only once all of it is written."""

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.db import connections
from django.utils import timezone

from assurance.backups import FILES, MANIFEST, BackupError, database, files
from assurance.storage import sha256_of

FORMAT = 1


@dataclass
class Backup:
    path: Path
    manifest: dict


def default_folder():
    return Path(os.environ.get("BACKUP_DIR") or Path(settings.VAR_DIR) / "backups")


def make_backup(folder=None, *, using="default", storage=None):
    """Writes one backup under `folder` (BACKUP_DIR or var/backups/) and returns it. The database
    is copied first: the stored files copied after it include every file its rows name, since a
    file is stored before the row that names it is saved and is never changed afterwards."""
    connection = connections[using]
    storage = storage or storages["default"]
    database.reach(connection)
    parent = Path(folder or default_folder())
    parent.mkdir(parents=True, exist_ok=True)
    began, clock = timezone.now(), time.monotonic()
    name = _unique_name(parent, began)
    partial = parent / f"{name}.partial"
    partial.mkdir()
    try:
        manifest = _write_contents(partial, connection, storage)
        manifest.update(taken_at=began.isoformat(), seconds=round(time.monotonic() - clock, 2))
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        partial.rename(parent / name)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Backup(parent / name, manifest)


def _unique_name(parent, moment):
    base = moment.strftime("%Y-%m-%dT%H-%M-%SZ")
    name, number = base, 1
    while (parent / name).exists() or (parent / f"{name}.partial").exists():
        number += 1
        name = f"{base}-{number}"
    return name


def _write_contents(partial, connection, storage):
    database_part = database.dump(connection, partial)
    database_file = partial / database_part["file"]
    with open(database_file, "rb") as dumped:
        digest, size = sha256_of(dumped)
    try:
        copied, vanished = files.copy_out(storage, partial / FILES)
    except BackupError:
        raise
    except Exception as error:  # the storage's own errors (S3: botocore) or a full disk, said in words
        raise BackupError(f"Could not copy the stored files ({type(storage).__name__}): {error}") from error
    tables = database_part.pop("tables")
    migrations = database_part.pop("migrations")
    return {
        "format": FORMAT,
        "database": {**database_part, "size": size, "sha256": digest},
        "tables": tables,
        "migrations": migrations,
        "files": copied,
        "vanished_while_copying": vanished,
        "storage": f"{type(storage).__module__}.{type(storage).__name__}",
        "counts": {"tables": len(tables), "rows": sum(tables.values()), "files": len(copied),
                   "file_bytes": sum(entry["size"] for entry in copied)},
    }
