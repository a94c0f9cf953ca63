"""The database half of a backup, for SQLite and PostgreSQL: a consistent copy taken while the
site runs, the rows of every table as of that copy, and the copy put back into an empty database."""

import sqlite3

from django.db import DatabaseError, transaction

from assurance.backups import BackupError, postgres

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"

SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
POSTGRES_TABLES = (
    "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
    "ORDER BY schemaname, tablename"
)
POSTGRES_RELATIONS = (
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' "
    "AND n.nspname NOT LIKE 'pg_toast_temp%'"
)


def reach(connection):
    """Connects, or says plainly that the database cannot be reached."""
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {connection.vendor}.")
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        raise BackupError(f"Cannot reach the database ({describe(connection)}): {error}".strip()) from error


def describe(connection):
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {settings_dict['NAME']}"
    return f"PostgreSQL {settings_dict.get('NAME')} on {settings_dict.get('HOST') or 'the local socket'}"


def dump(connection, folder):
    """Copies the database into `folder`; returns the manifest's database part: the file, the
    tool, the rows of every table and the migrations applied, all as of the copy."""
    if connection.vendor == "sqlite":
        return _dump_sqlite(connection, folder)
    return _dump_postgres(connection, folder)


def _dump_sqlite(connection, folder):
    path = folder / SQLITE_FILE
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)  # SQLite's online backup: a consistent copy while others write
        cursor = copy.cursor()
        tables = [name for (name,) in cursor.execute(SQLITE_TABLES).fetchall()]
        counts = {name: _count(cursor, f'"{name}"') for name in tables}
        migrations = _migrations(cursor, tables)
    finally:
        copy.close()
    return {"vendor": "sqlite", "file": SQLITE_FILE, "tool": f"sqlite3 {sqlite3.sqlite_version}",
            "tables": counts, "migrations": migrations}


def _dump_postgres(connection, folder):
    path = folder / POSTGRES_FILE
    # One snapshot for the counts and for pg_dump, so the manifest counts exactly what was dumped.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = postgres_counts(cursor)
        migrations = _migrations(cursor, [name.split(".")[-1] for name in counts])
        tool = postgres.dump(connection, path, snapshot)
    return {"vendor": "postgresql", "file": POSTGRES_FILE, "tool": tool, "tables": counts, "migrations": migrations}


def postgres_counts(cursor):
    cursor.execute(POSTGRES_TABLES)
    tables = cursor.fetchall()
    return {_qualified(schema, name): _count(cursor, f'"{schema}"."{name}"') for schema, name in tables}


def _qualified(schema, name):
    return name if schema == "public" else f"{schema}.{name}"


def _count(cursor, quoted_table):
    cursor.execute(f"SELECT count(*) FROM {quoted_table}")  # noqa: S608 (names come from the catalogue)
    return cursor.fetchone()[0]


def _migrations(cursor, tables):
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def counts_and_migrations(connection):
    """The rows of every table and the migrations applied in the live database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_TABLES)
            tables = [name for (name,) in cursor.fetchall()]
            counts = {name: _count(cursor, f'"{name}"') for name in tables}
        else:
            counts = postgres_counts(cursor)
        return counts, _migrations(cursor, [name.split(".")[-1] for name in counts])


def is_empty(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master")
        else:
            cursor.execute(POSTGRES_RELATIONS)
        return cursor.fetchone()[0] == 0


def restore(connection, path, vendor):
    """Puts the copy at `path` into the configured (empty) database."""
    if vendor != connection.vendor:
        raise BackupError(f"This backup is of a {vendor} database; the site is configured for {connection.vendor}. "
                          f"Set DATABASE_URL to a {vendor} database to restore it.")
    if vendor == "postgresql":
        postgres.restore(connection, str(path))
        return
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
