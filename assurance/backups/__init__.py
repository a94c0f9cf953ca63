"""Backups of the whole site, the database and every stored file, and their restoring.

A backup is one folder named by its date and time (under var/backups/ or BACKUP_DIR) holding the
database (`database.sqlite3`, or `database.pgdump` in pg_dump's custom format), every stored file
under `files/` and `manifest.json`: when it was taken, the rows of every table, each file's size and
SHA-256 and the migrations applied. The folder is written under a `.partial` name and renamed only
once whole, so a failed backup never looks like a good one. Files are read and written through the
storage API only, so backups work the same on a local folder and on S3-compatible storage.
"""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in words for the operator."""


class RestoreIncomplete(BackupError):
    """The database was restored but the files were not all put back: start again from empty."""


MANIFEST = "manifest.json"
FILES = "files"
