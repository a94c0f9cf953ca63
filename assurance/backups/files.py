"""The files half of a backup: every stored file, read and written through the storage API only,
so the same code copies a local folder and an S3 bucket."""

import os
from pathlib import Path

from django.core.files import File

from assurance.backups import BackupError
from assurance.storage import sha256_of

# A file being written by PrivateStorage has this prefix until it is renamed whole: not yet a file.
PARTIAL_PREFIX = ".partial-"


def stored_names(storage, folder=""):
    """Every stored file's name, sorted; an absent storage folder is an empty storage."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [_join(folder, name) for name in files if not name.startswith(PARTIAL_PREFIX)]
    for child in folders:
        names += stored_names(storage, _join(folder, child))
    return sorted(names)


def _join(folder, name):
    return f"{folder}/{name}" if folder else name


def stored_sha256(storage, name):
    """(sha256, size) of a stored file, or None when it is not there."""
    try:
        with storage.open(name, "rb") as stored:
            return sha256_of(stored)
    except FileNotFoundError:
        return None


def copy_out(storage, destination):
    """Copies every stored file under `destination`; returns (files for the manifest, names that
    vanished between listing and reading: deleted meanwhile, e.g. a replaced draft report)."""
    copied, vanished = [], []
    for name in stored_names(storage):
        target = safe_path(destination, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.open(name, "rb") as stored, open(target, "wb") as copy:
                digest, size = sha256_of(stored, copy_to=copy)
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            vanished.append(name)
            continue
        copied.append({"name": name, "size": size, "sha256": digest})
    return copied, vanished


def copy_in(storage, source, files):
    """Saves each backed-up file into the (empty) storage under its own name."""
    for entry in files:
        name = entry["name"]
        with open(safe_path(source, name), "rb") as backed_up:
            saved = storage.save(name, File(backed_up, name=os.path.basename(name)))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}: it was not empty.")


def safe_path(folder, name):
    """`folder/name`, refusing a name that would reach outside `folder` (a hand-edited manifest)."""
    folder = Path(folder).resolve()
    path = (folder / name).resolve()
    if folder not in path.parents:
        raise BackupError(f"The file name {name!r} points outside the backup.")
    return path
