"""Checking an onboarding file: every row's errors, by line and column, and the plan of what
importing it would change (the dry run). Existing records are read in a fixed number of queries,
whatever the file's length; nothing is written here.

Rules (docs/onboarding.md): organisations, services, regions and sectors are matched by name,
people by email, without regard to case, and reused. A row may describe a service only, a person
only (a network administrator, a reviewer without a home service), or a person's role in a service.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from assurance.models import (
    REVIEWER_ROLES,
    SERVICE_ROLES,
    Organisation,
    Region,
    ReviewerRecord,
    RoleKind,
    Sector,
    Service,
    User,
)
from assurance.onboarding.columns import (
    COLUMNS,
    MAX_LENGTHS,
    NO,
    PERSON_COLUMNS,
    REVIEWER_COLUMNS,
    YES,
    column_key,
    header_errors,
    role_kind,
    role_names,
)
from assurance.onboarding.existing import Existing, username_candidates
from assurance.onboarding.plan import (
    Change,
    Error,
    NewPerson,
    NewRole,
    NewService,
    Plan,
    RecordValues,
    ServiceRef,
    shown,
)


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
        if organisation:
            ref = ServiceRef(organisation, name, self.existing.services.get((organisation.lower(), name.lower())))
        else:
            ref = self.service_by_name(row, name)
        if ref is None:
            return None
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
                    shown(before), shown(after), record, attribute, after,
                ))
