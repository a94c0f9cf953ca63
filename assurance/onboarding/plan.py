"""What importing an onboarding file would do (the dry run), and the errors that stop it."""

import datetime
from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext as _

from assurance.models import RoleKind


@dataclass(frozen=True, order=True)
class Error:
    line: int
    column: str  # "" for the row (or the file) as a whole
    message: str

    def __str__(self):
        where = _("Line %(line)d") % {"line": self.line}
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class NewService:
    line: int
    organisation: str  # names, as first written in the file
    name: str
    sector: str
    region: str
    is_secure_setting: bool


@dataclass
class NewPerson:
    line: int
    email: str
    first_name: str
    last_name: str
    username: str

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class NewRole:
    line: int
    email: str
    person: str  # the person's name, to show
    kind: str
    service: object  # ServiceRef or None

    @property
    def kind_label(self):
        return RoleKind(self.kind).label


@dataclass(frozen=True)
class ServiceRef:
    """A service named in the file: an existing one (`existing`) or one the file creates."""

    organisation: str
    name: str
    existing: object = None

    @property
    def key(self):
        return (self.organisation.lower(), self.name.lower())

    def __str__(self):
        return f"{self.name} ({self.organisation})"


@dataclass
class RecordValues:
    line: int
    email: str
    person: str
    trained_on: object = None
    vetting: str = ""
    vetting_expires_on: object = None
    existing: object = None  # the ReviewerRecord this changes, if any


@dataclass
class Change:
    """A value of an existing record that importing the file changes."""

    line: int
    record: str
    field: str
    before: str
    after: str
    target: object  # the model instance
    attribute: str
    value: object


@dataclass
class Plan:
    """What importing the file would do, and every error that stops it."""

    rows: int = 0
    errors: list = field(default_factory=list)
    regions: list = field(default_factory=list)  # names to create
    sectors: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    services: list = field(default_factory=list)  # NewService
    people: list = field(default_factory=list)  # NewPerson
    roles: list = field(default_factory=list)  # NewRole
    roles_in_place: list = field(default_factory=list)  # NewRole already held: left as they are
    reviewer_records: list = field(default_factory=list)  # RecordValues to create
    changes: list = field(default_factory=list)  # Change
    existing: object = None

    @property
    def is_valid(self):
        return not self.errors

    @property
    def changes_anything(self):
        return any((self.regions, self.sectors, self.organisations, self.services, self.people, self.roles,
                    self.reviewer_records, self.changes))

    def sorted_errors(self):
        return sorted(self.errors)


def shown(value):
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    return str(value) if value else "—"


def unique_slug(name, taken):
    """A slug for `name` that is not in `taken` (which it joins)."""
    base = slugify(name)[:90] or "item"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug
