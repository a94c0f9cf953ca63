"""PostgreSQL's own tools for a backup: pg_dump in its custom format and pg_restore, the ones
that match the server's major version (an older pg_dump refuses a newer server)."""

import glob
import os
import re
import shutil
import subprocess

from assurance.backups import BackupError

INSTALLED = "/usr/lib/postgresql/*/bin"


def server_major(connection):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def find_tool(name, major):
    """The path of pg_dump or pg_restore for a server of version `major`: ASSURANCE_PG_BIN when set
    (the only place looked), else the installed one of that version, else the oldest on PATH or
    installed that is at least as new."""
    chosen_folder = os.environ.get("ASSURANCE_PG_BIN", "")
    if chosen_folder:
        candidates = [os.path.join(chosen_folder, name)]
    else:
        candidates = [os.path.join(folder, name) for folder in sorted(glob.glob(INSTALLED))]
        candidates += [found for found in [shutil.which(name)] if found]
    versions = {path: _version(path) for path in candidates if os.access(path, os.X_OK)}
    if not versions:
        where = chosen_folder or f"{INSTALLED} or on PATH"
        raise BackupError(f"{name} was not found ({where}). Install the PostgreSQL {major} client "
                          f"(e.g. apt-get install postgresql-client-{major}) and run the backup again.")
    fitting = sorted((version, path) for path, version in versions.items() if version is not None and version >= major)
    if not fitting:
        found = ", ".join(f"{path} ({version})" for path, version in versions.items())
        raise BackupError(f"The database server is PostgreSQL {major} but only an older {name} was found: {found}. "
                          f"Install postgresql-client-{major}.")
    exact = [path for version, path in fitting if version == major]
    return exact[0] if exact else fitting[0][1]


def _version(path):
    try:
        output = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(found.group(1)) if found else None


def client_environment(settings_dict):
    """libpq's variables for the database Django is configured with, so no password is ever on a
    command line (where `ps` would show it)."""
    environment = {**os.environ}
    pairs = {"PGHOST": settings_dict.get("HOST"), "PGPORT": settings_dict.get("PORT"),
             "PGUSER": settings_dict.get("USER"), "PGPASSWORD": settings_dict.get("PASSWORD"),
             "PGDATABASE": settings_dict.get("NAME")}
    options = settings_dict.get("OPTIONS") or {}
    pairs["PGSSLMODE"] = options.get("sslmode")
    for variable, value in pairs.items():
        if value not in (None, ""):
            environment[variable] = str(value)
    return environment


def dump(connection, path, snapshot):
    """pg_dump of the whole database in custom format into `path`, as of the exported `snapshot`."""
    tool = find_tool("pg_dump", server_major(connection))
    command = [tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", f"--file={path}"]
    _run(command, connection.settings_dict, "pg_dump")
    return tool


def restore(connection, path):
    """pg_restore of `path` into the (empty) database, in one transaction: all of it or nothing."""
    tool = find_tool("pg_restore", server_major(connection))
    command = [tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
               f"--dbname={connection.settings_dict['NAME']}", path]
    _run(command, connection.settings_dict, "pg_restore")
    return tool


def _run(command, settings_dict, name):
    finished = subprocess.run(command, env=client_environment(settings_dict), capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupError(f"{name} failed (exit {finished.returncode}): {finished.stderr.strip() or finished.stdout.strip()}")
