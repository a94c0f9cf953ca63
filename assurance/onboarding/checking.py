"""Checking an onboarding file: every row's errors, by line and column, and the plan of what
importing it would change (the dry run). Existing records are read in a fixed number of queries,
whatever the file's length; nothing is written here.

Rules (docs/onboarding.md): organisations, services, regions and sectors are matched by name,
people by email, without regard to case, and reused. A row may describe a service only, a person
only (a network administrator, a reviewer without a home service), or a person's role in a service.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assurance.models import (
    REVIEWER_ROLES,
    SERVICE_ROLES,
    Organisation,
    Region,
    ReviewerRecord,
    Role,
    RoleKind,
    Sector,
    Service,
    User,
)

# The columns, in the template's order; the first six must be in every file.
REQUIRED_COLUMNS = ("organisation", "service", "first_name", "last_name", "email", "role")
OPTIONAL_COLUMNS = ("sector", "region", "secure_setting", "reviewer_trained_on", "vetting", "vetting_expires_on")
COLUMNS = (
    "organisation", "service", "sector", "region", "secure_setting", "first_name", "last_name", "email", "role",
    "reviewer_trained_on", "vetting", "vetting_expires_on",
)
# Other names people give the columns.
COLUMN_ALIASES = {
    "organization": "organisation", "org": "organisation", "service_name": "service", "unit": "service",
    "secure": "secure_setting", "firstname": "first_name", "forename": "first_name", "given_name": "first_name",
    "lastname": "last_name", "surname": "last_name", "family_name": "last_name", "email_address": "email",
    "e_mail": "email", "trained_on": "reviewer_trained_on", "reviewer_training": "reviewer_trained_on",
    "training_completed": "reviewer_trained_on", "vetting_or_security_clearance": "vetting",
    "security_clearance": "vetting", "vetting_expires": "vetting_expires_on", "vetting_expiry": "vetting_expires_on",
}
MAX_LENGTHS = {
    "organisation": 200, "service": 200, "sector": 100, "region": 100, "first_name": 150, "last_name": 150,
    "email": 254, "vetting": 100,
}
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0"}
ROLE_ALIASES = {"admin": RoleKind.NETWORK_ADMIN, "network admin": RoleKind.NETWORK_ADMIN, "lead": RoleKind.SERVICE_LEAD,
                "lived experience": RoleKind.LIVED_EXPERIENCE_REVIEWER, "reviewer": RoleKind.PEER_REVIEWER}
REVIEWER_COLUMNS = ("reviewer_trained_on", "vetting", "vetting_expires_on")
PERSON_COLUMNS = ("first_name", "last_name", "email", "role", *REVIEWER_COLUMNS)


def column_key(header):
    key = re.sub(r"[\s\-]+", "_", header.strip().lower().replace("(optional)", "").strip(" ?*"))
    return COLUMN_ALIASES.get(key, key)


def role_kind(text, names=None):
    """The role a cell names, by its code or its label, or None. `names` is role_names(), to
    look it up once for a whole file."""
    names = role_names() if names is None else names
    return names.get(re.sub(r"[\s_\-]+", " ", text.strip().lower()))


def role_names():
    names = dict(ROLE_ALIASES)
    for kind in RoleKind:
        names[kind.value.replace("_", " ")] = kind
        names[str(kind.label).lower().replace("-", " ")] = kind
    return names


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


# --- the header --------------------------------------------------------------------------------


def header_errors(headers):
    """Errors of the first line: a missing required column, an unknown or repeated one."""
    errors, seen = [], {}
    for position, header in enumerate(headers, start=1):
        key = column_key(header)
        if not header:
            errors.append(Error(1, "", _("Column %(position)d has no name. Name it or delete it.") % {"position": position}))
        elif key not in COLUMNS:
            errors.append(Error(1, header, _("“%(header)s” is not a column this import knows. The columns are: %(columns)s.")
                                % {"header": header, "columns": ", ".join(COLUMNS)}))
        elif key in seen:
            errors.append(Error(1, header, _("The column “%(header)s” appears twice.") % {"header": header}))
        seen.setdefault(key, header)
    for column in REQUIRED_COLUMNS:
        if column not in seen:
            errors.append(Error(1, column, _("The column “%(column)s” is missing. Every file needs the columns: %(columns)s.")
                                % {"column": column, "columns": ", ".join(REQUIRED_COLUMNS)}))
    return errors


# --- what exists -------------------------------------------------------------------------------


@dataclass
class Existing:
    """The records the file may name, read in a fixed number of queries."""

    regions: dict  # lower name → Region
    sectors: dict
    organisations: dict  # lower name → Organisation
    services: dict  # (lower organisation name, lower name) → Service
    services_by_name: dict  # lower name → [Service]
    people: dict  # lower email → [User]
    roles: set  # (user id, kind, service id)
    records: dict  # user id → ReviewerRecord
    slugs: dict  # model → set of slugs taken
    usernames: set  # lower usernames taken, among those the file would make

    @classmethod
    def load(cls, emails):
        organisations = {o.pk: o for o in Organisation.objects.all()}
        services = list(Service.objects.select_related("sector", "region"))
        for service in services:
            service.organisation = organisations[service.organisation_id]
        people = {}
        for person in User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=emails):
            people.setdefault(person.lower_email, []).append(person)
        user_ids = [person.pk for found in people.values() for person in found]
        regions, sectors = list(Region.objects.all()), list(Sector.objects.all())
        by_name = {}
        for service in services:
            by_name.setdefault(service.name.lower(), []).append(service)
        return cls(
            regions={r.name.lower(): r for r in regions},
            sectors={s.name.lower(): s for s in sectors},
            organisations={o.name.lower(): o for o in organisations.values()},
            services={(s.organisation.name.lower(), s.name.lower()): s for s in services},
            services_by_name=by_name,
            people=people,
            roles=set(Role.objects.filter(user_id__in=user_ids).values_list("user_id", "kind", "service_id")),
            records={r.user_id: r for r in ReviewerRecord.objects.filter(user_id__in=user_ids)},
            slugs={
                Region: {r.slug for r in regions}, Sector: {s.slug for s in sectors},
                Organisation: {o.slug for o in organisations.values()}, Service: {s.slug for s in services},
            },
            usernames=_usernames_taken(emails),
        )


def username_candidates(email):
    base = email[:140]
    return [base, *(f"{base}-{n}" for n in range(2, 10))]


def _usernames_taken(emails):
    """The usernames the file's new people could be given that are taken: their emails, and
    for an email taken as another person's username, the numbered alternatives (two queries)."""
    def taken(names):
        return set(User.objects.annotate(lower=Lower("username")).filter(lower__in=names).values_list("lower", flat=True))

    found = taken([email[:140] for email in emails])
    if found:
        found |= taken([candidate for name in found for candidate in username_candidates(name)[1:]])
    return found


# --- the rows ----------------------------------------------------------------------------------


def check(table):
    """The plan for the file read into `table` (reading.Table), with every error."""
    errors = header_errors(table.headers)
    if errors:
        return Plan(rows=len(table.rows), errors=errors)
    keys = {header: column_key(header) for header in table.headers}
    rows = [_canonical(row, keys) for row in table.rows]
    emails = {row.values["email"].lower() for row in rows if row.values["email"]}
    checker = _Checker(Existing.load(emails), len(rows))
    for row in rows:
        checker.check_row(row)
    return checker.finish()


@dataclass
class _CanonicalRow:
    line: int
    values: dict
    formulas: set


def _canonical(row, keys):
    values = {column: "" for column in COLUMNS}
    for header, value in row.values.items():
        values[keys[header]] = value
    return _CanonicalRow(row.line, values, {keys[header] for header in row.formulas})


class _Checker:
    def __init__(self, existing, rows):
        self.existing = existing
        self.plan = Plan(rows=rows, existing=existing)
        self.new_services = {}  # key → NewService
        self.new_people = {}  # lower email → NewPerson
        self.role_lines = {}  # (email, kind, service key) → line
        self.records = {}  # lower email → RecordValues
        self.service_changes = {}  # (service pk, attribute) → Change
        self.new_names = {Region: {}, Sector: {}, Organisation: {}}  # lower name → name as written
        self.role_names = role_names()

    def error(self, row, column, message):
        self.plan.errors.append(Error(row.line, column, message))

    # One row: its values one by one, then what it describes.
    def check_row(self, row):
        before = len(self.plan.errors)
        values = row.values
        for column in sorted(row.formulas):
            self.error(row, column, _("“%(value)s” is a formula. Type its value instead.") % {"value": values[column]})
        for column, limit in MAX_LENGTHS.items():
            if len(values[column]) > limit:
                self.error(row, column, _("“%(value)s…” is longer than %(limit)d characters.")
                           % {"value": values[column][:30], "limit": limit})
        if len(self.plan.errors) > before:
            return
        service = self.check_service(row)
        if any(values[column] for column in PERSON_COLUMNS):
            self.check_person(row, service)
        elif not values["organisation"] and not values["service"]:
            self.error(row, "", _("Name an organisation and service, or a person with their email and role."))

    def check_service(self, row):
        """The service the row names (a ServiceRef), or None; records new organisations and services."""
        values = row.values
        organisation, name = values["organisation"], values["service"]
        secure = self.yes_or_no(row)
        if not name:
            for column in ("sector", "region", "secure_setting"):
                if values[column]:
                    self.error(row, column, _("A %(column)s belongs to a service: fill in the service, or leave it empty.")
                               % {"column": column.replace("_", " ")})
            if organisation:
                self.note_organisation(organisation)
            return None
        if not organisation:
            return self.service_by_name(row, name)
        ref = ServiceRef(organisation, name, self.existing.services.get((organisation.lower(), name.lower())))
        if ref.existing:
            self.note_service_changes(row, ref.existing, secure)
        else:
            self.note_new_service(row, ref, secure)
        return ref

    def service_by_name(self, row, name):
        matches = [ServiceRef(s.organisation.name, s.name, s) for s in self.existing.services_by_name.get(name.lower(), [])]
        matches += [ServiceRef(s.organisation, s.name) for key, s in self.new_services.items() if key[1] == name.lower()]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            self.error(row, "organisation", _("“%(service)s” is a new service: fill in its organisation.") % {"service": name})
        else:
            self.error(row, "organisation", _("There is a “%(service)s” in %(organisations)s: fill in the organisation.")
                       % {"service": name, "organisations": _(" and ").join(sorted(m.organisation for m in matches))})
        return None

    def yes_or_no(self, row):
        text = row.values["secure_setting"].lower()
        if not text:
            return None
        if text in YES:
            return True
        if text in NO:
            return False
        self.error(row, "secure_setting", _("“%(value)s” is not yes or no.") % {"value": row.values["secure_setting"]})
        return None

    def note_organisation(self, name):
        if name.lower() not in self.existing.organisations:
            self.new_names[Organisation].setdefault(name.lower(), name)

    def note_named(self, model, name):
        """A region or sector by name: existing, or new (created by the import)."""
        found = (self.existing.regions if model is Region else self.existing.sectors).get(name.lower())
        if found is None:
            self.new_names[model].setdefault(name.lower(), name)
        return found

    def note_new_service(self, row, ref, secure):
        values = row.values
        earlier = self.new_services.get(ref.key)
        if earlier is None:
            for column in ("sector", "region"):
                if not values[column]:
                    self.error(row, column, _("“%(service)s” is a new service: fill in its %(column)s.")
                               % {"service": ref.name, "column": column})
            if values["sector"] and values["region"]:
                self.note_organisation(ref.organisation)
                self.note_named(Sector, values["sector"])
                self.note_named(Region, values["region"])
                self.new_services[ref.key] = NewService(row.line, ref.organisation, ref.name, values["sector"],
                                                        values["region"], bool(secure))
            return
        given = {"sector": values["sector"], "region": values["region"],
                 "secure_setting": "" if secure is None else values["secure_setting"]}
        kept = {"sector": earlier.sector, "region": earlier.region, "secure_setting": _("yes") if earlier.is_secure_setting else _("no")}
        for column in ("sector", "region"):
            if given[column] and given[column].lower() != kept[column].lower():
                self.differs(row, column, given[column], earlier.line, kept[column], ref.name)
        if secure is not None and secure != earlier.is_secure_setting:
            self.differs(row, "secure_setting", given["secure_setting"], earlier.line, kept["secure_setting"], ref.name)

    def differs(self, row, column, value, line, earlier, subject):
        self.error(row, column, _("“%(value)s” differs from line %(line)d (“%(earlier)s”) for %(subject)s.")
                   % {"value": value, "line": line, "earlier": earlier, "subject": subject})

    def note_service_changes(self, row, service, secure):
        values = row.values
        for column, model in (("sector", Sector), ("region", Region)):
            if not values[column]:
                continue
            current = getattr(service, column)
            if values[column].lower() == current.name.lower():
                continue
            target = self.note_named(model, values[column])
            self.note_change(row, service, column, current.name, values[column], target or values[column])
        if secure is not None and secure != service.is_secure_setting:
            self.note_change(row, service, "is_secure_setting", _("yes") if service.is_secure_setting else _("no"),
                             _("yes") if secure else _("no"), secure)

    def note_change(self, row, service, attribute, before, after, value):
        earlier = self.service_changes.get((service.pk, attribute))
        column = "secure_setting" if attribute == "is_secure_setting" else attribute
        if earlier is not None:
            if earlier.after.lower() != after.lower():
                self.differs(row, column, after, earlier.line, earlier.after, service.name)
            return
        label = str(Service._meta.get_field(attribute).verbose_name)
        change = Change(row.line, f"{service.name} ({service.organisation.name})", label, before, after,
                        service, attribute, value)
        self.service_changes[(service.pk, attribute)] = change
        self.plan.changes.append(change)

    # The person and their role.
    def check_person(self, row, service):
        values = row.values
        email = self.email(row)
        kind = self.kind(row)
        dates = {column: self.date(row, column) for column in ("reviewer_trained_on", "vetting_expires_on")}
        if email is None or kind is None:
            return
        before = len(self.plan.errors)
        if kind in SERVICE_ROLES and not values["service"]:
            self.error(row, "service", _("A %(role)s belongs to a service: fill in the service and its organisation.")
                       % {"role": str(kind.label).lower()})
        if kind == RoleKind.NETWORK_ADMIN and values["service"]:
            self.error(row, "service", _("A network administrator is not tied to a service: leave the service empty."))
        if kind not in REVIEWER_ROLES:
            for column in REVIEWER_COLUMNS:
                if values[column]:
                    self.error(row, column, _("Only reviewers have a %(column)s: leave it empty for a %(role)s.")
                               % {"column": column.replace("_", " "), "role": str(kind.label).lower()})
        person = self.person(row, email)
        if person is None or len(self.plan.errors) > before or (values["service"] and service is None):
            return
        self.note_role(row, email, person, kind, service)
        if kind in REVIEWER_ROLES and any(values[column] for column in REVIEWER_COLUMNS):
            self.note_record(row, email, person, dates)

    def email(self, row):
        text = row.values["email"]
        if not text:
            self.error(row, "email", _("Fill in the person's email address."))
            return None
        try:
            validate_email(text)
        except ValidationError:
            self.error(row, "email", _("“%(value)s” is not an email address.") % {"value": text})
            return None
        return text.lower()

    def kind(self, row):
        text = row.values["role"]
        if not text:
            self.error(row, "role", _("Fill in the person's role."))
            return None
        kind = role_kind(text, self.role_names)
        if kind is None:
            self.error(row, "role", _("“%(value)s” is not a role. The roles are: %(roles)s.")
                       % {"value": text, "roles": ", ".join(str(label).lower() for label in RoleKind.labels)})
        return kind

    def date(self, row, column):
        text = row.values[column]
        if not text:
            return None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        self.error(row, column, _("“%(value)s” is not a date. Write it as 2026-12-31 or 31/12/2026.") % {"value": text})
        return None

    def person(self, row, email):
        """The person (a User, or a NewPerson the import creates) with this email."""
        values = row.values
        found = self.existing.people.get(email, [])
        if len(found) > 1:
            self.error(row, "email", _("%(count)d accounts have the email %(email)s: merge them in the administration first.")
                       % {"count": len(found), "email": email})
            return None
        if found:
            return found[0]
        earlier = self.new_people.get(email)
        if earlier is not None:
            for column in ("first_name", "last_name"):
                if values[column] and values[column] != getattr(earlier, column):
                    self.differs(row, column, values[column], earlier.line, getattr(earlier, column), email)
            return earlier
        missing = [column for column in ("first_name", "last_name") if not values[column]]
        for column in missing:
            self.error(row, column, _("%(email)s is a new person: fill in their %(column)s.")
                       % {"email": email, "column": column.replace("_", " ")})
        if missing:
            return None
        username = self.username(row, email)
        if username is None:
            return None
        person = NewPerson(row.line, email, values["first_name"], values["last_name"], username)
        self.new_people[email] = person
        self.plan.people.append(person)
        return person

    def username(self, row, email):
        for candidate in username_candidates(email):
            if candidate not in self.existing.usernames:
                self.existing.usernames.add(candidate)
                return candidate
        self.error(row, "email", _("No username is free for %(email)s: change the existing accounts' usernames first.")
                   % {"email": email})
        return None

    def note_role(self, row, email, person, kind, service):
        key = (email, kind.value, service.key if service else None)
        earlier = self.role_lines.get(key)
        if earlier is not None:
            self.error(row, "", _("The same person, role and service as line %(line)d.") % {"line": earlier})
            return
        self.role_lines[key] = row.line
        name = person.name if isinstance(person, NewPerson) else str(person)
        role = NewRole(row.line, email, name, kind.value, service)
        existing_service = service.existing if service else None
        held = (isinstance(person, User) and (service is None or existing_service is not None)
                and (person.pk, kind.value, existing_service.pk if existing_service else None) in self.existing.roles)
        (self.plan.roles_in_place if held else self.plan.roles).append(role)

    def note_record(self, row, email, person, dates):
        values = row.values
        given = RecordValues(row.line, email, str(person.name if isinstance(person, NewPerson) else person),
                             dates["reviewer_trained_on"], values["vetting"], dates["vetting_expires_on"])
        earlier = self.records.get(email)
        if earlier is not None:
            for column, attribute in (("reviewer_trained_on", "trained_on"), ("vetting", "vetting"),
                                      ("vetting_expires_on", "vetting_expires_on")):
                mine, theirs = getattr(given, attribute), getattr(earlier, attribute)
                if mine and theirs and mine != theirs:
                    self.differs(row, column, values[column], earlier.line, theirs, email)
                elif mine and not theirs:
                    setattr(earlier, attribute, mine)
            return
        self.records[email] = given

    def finish(self):
        plan = self.plan
        for model, attribute in ((Region, "regions"), (Sector, "sectors"), (Organisation, "organisations")):
            setattr(plan, attribute, list(self.new_names[model].values()))
        plan.services = list(self.new_services.values())
        for email, values in self.records.items():
            if values.vetting_expires_on and not values.vetting:
                existing = self._existing_record(email)
                if not (existing and existing.vetting):
                    plan.errors.append(Error(values.line, "vetting", _("Name the vetting or clearance that expires on %(date)s.")
                                             % {"date": values.vetting_expires_on.strftime("%-d %B %Y")}))
            existing = self._existing_record(email)
            if existing is None:
                plan.reviewer_records.append(values)
            else:
                self._record_changes(values, existing)
        return plan

    def _existing_record(self, email):
        found = self.existing.people.get(email, [])
        return self.existing.records.get(found[0].pk) if len(found) == 1 else None

    def _record_changes(self, values, record):
        for attribute in ("trained_on", "vetting", "vetting_expires_on"):
            after, before = getattr(values, attribute), getattr(record, attribute)
            if after and after != before:
                self.plan.changes.append(Change(
                    values.line, _("%(person)s: reviewer record") % {"person": values.person},
                    str(ReviewerRecord._meta.get_field(attribute).verbose_name),
                    _show(before), _show(after), record, attribute, after,
                ))


def _show(value):
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
