"""Proof that stored files are whole: each file of a backup against its manifest, and each record
that keeps a file's hash (a final report, an evidence file) against the file in storage.

The apps own their records, so each declares its checks in an `integrity` module (found the way
Django finds `admin` modules): `register("final reports", check)`, where `check(storage)` returns
how many records it looked at and a sentence for each that does not verify."""

from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

from assurance.backups.files import stored_sha256

_checks = {}


@dataclass
class Outcome:
    what: str
    checked: int = 0
    problems: list = field(default_factory=list)

    def line(self):
        verdict = "all verify" if not self.problems else f"{len(self.problems)} do not verify"
        return f"{self.what}: {self.checked} checked, {verdict}"


def register(what, check):
    _checks[what] = check


def file_problem(storage, name, expected_sha256, label):
    """None when the stored file `name` is there and its SHA-256 is `expected_sha256`; otherwise
    what is wrong, starting with `label`."""
    found = stored_sha256(storage, name)
    if found is None:
        return f"{label}: the file {name} is missing"
    if found[0] != expected_sha256:
        return f"{label}: the file {name} has SHA-256 {found[0][:12]}…, not the {expected_sha256[:12]}… recorded"
    return None


def verify_stored_records(storage):
    """Runs every app's checks on the configured database and storage."""
    autodiscover_modules("integrity")
    outcomes = []
    for what, check in sorted(_checks.items()):
        checked, problems = check(storage)
        outcomes.append(Outcome(what, checked, list(problems)))
    return outcomes


def verify_against_manifest(storage, files):
    """Each file listed in a backup's manifest, read back from storage, against its SHA-256."""
    outcome = Outcome("files against the backup's manifest")
    for entry in files:
        outcome.checked += 1
        problem = file_problem(storage, entry["name"], entry["sha256"], "Restored file")
        if problem:
            outcome.problems.append(problem)
    return outcome


def verify_counts(expected, found):
    """The rows of every table against the manifest's."""
    outcome = Outcome("tables' rows against the backup's manifest", checked=len(expected))
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            outcome.problems.append(f"Table {table}: {found.get(table, 'no table')} rows, "
                                    f"the backup holds {expected.get(table, 'no table')}")
    return outcome
