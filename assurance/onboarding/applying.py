"""Importing a checked file: the whole plan in one transaction, or nothing.

The file is checked again inside the transaction, so what is written is what the records say at
that moment; any error writes nothing. Records are created in bulk (a fixed number of queries
per kind of record), so a thousand rows take a second or two.
"""

from dataclasses import dataclass, field

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from assurance.models import Organisation, Region, ReviewerRecord, Role, RoleKind, Sector, Service, User
from assurance.onboarding.checking import check
from assurance.onboarding.plan import unique_slug
from assurance.onboarding.reading import read


@dataclass
class Outcome:
    plan: object
    applied: bool = False
    created_people: list = field(default_factory=list)  # the Users created


def check_file(name, data):
    """The dry run: the plan for the file, changing nothing. Raises reading.FileProblem."""
    return check(read(name, data))


def import_file(name, data, actor=None):
    """Checks the file and, when it has no errors, applies it, recording each created and changed
    record in the audit log as `actor`'s. Raises reading.FileProblem."""
    table = read(name, data)
    with transaction.atomic():
        plan = check(table)
        if not plan.is_valid:
            return Outcome(plan)
        people = apply(plan, actor)
    return Outcome(plan, applied=True, created_people=people)


def apply(plan, actor=None):
    """Writes a valid plan; returns the people it created. Call inside a transaction. Bulk
    creation skips the audit log's signals: the entries are written here, in bulk too."""
    audit = _Audit(actor)
    existing = plan.existing
    regions = _create_named(Region, plan.regions, existing.regions, existing.slugs[Region], audit)
    sectors = _create_named(Sector, plan.sectors, existing.sectors, existing.slugs[Sector], audit)
    organisations = _create_named(
        Organisation, plan.organisations, existing.organisations, existing.slugs[Organisation], audit
    )
    services = dict(existing.services)
    new_services = Service.objects.bulk_create([
        Service(
            organisation=organisations[new.organisation.lower()], name=new.name,
            slug=unique_slug(new.name, existing.slugs[Service]),
            sector=sectors[new.sector.lower()], region=regions[new.region.lower()],
            is_secure_setting=new.is_secure_setting,
        )
        for new in plan.services
    ])
    audit.created(new_services)
    for service in new_services:
        services[(service.organisation.name.lower(), service.name.lower())] = service
    people = {email: found[0] for email, found in existing.people.items()}
    # An unusable password: the person sets their own through their invitation.
    created = User.objects.bulk_create([
        User(username=new.username, email=new.email, first_name=new.first_name, last_name=new.last_name,
             password=make_password(None))
        for new in plan.people
    ])
    audit.created(created)
    people.update((person.email, person) for person in created)
    audit.created(Role.objects.bulk_create([
        Role(user=people[role.email], kind=role.kind, service=services[role.service.key] if role.service else None)
        for role in plan.roles
    ]))
    audit.created(ReviewerRecord.objects.bulk_create([
        ReviewerRecord(user=people[values.email], trained_on=values.trained_on, vetting=values.vetting,
                       vetting_expires_on=values.vetting_expires_on)
        for values in plan.reviewer_records
    ]))
    _apply_changes(plan.changes, regions, sectors, audit)
    audit.save()
    return created


def _create_named(model, names, known, slugs, audit):
    """Creates the named records; returns every one by lower name, old and new."""
    created = model.objects.bulk_create([model(name=name, slug=unique_slug(name, slugs)) for name in names])
    audit.created(created)
    return {**known, **{item.name.lower(): item for item in created}}


def _apply_changes(changes, regions, sectors, audit):
    by_model = {}
    for change in changes:
        value = change.value
        if change.attribute == "sector":
            value = sectors[change.after.lower()]
        elif change.attribute == "region":
            value = regions[change.after.lower()]
        field = change.target._meta.get_field(change.attribute)
        before = field.value_from_object(change.target)
        setattr(change.target, change.attribute, value)
        audit.changed(change.target, change.attribute, before, field.value_from_object(change.target))
        by_model.setdefault(type(change.target), ({}, set()))
        targets, fields = by_model[type(change.target)]
        targets[change.target.pk] = change.target
        fields.add(change.attribute)
    for model, (targets, fields) in by_model.items():
        model.objects.bulk_update(list(targets.values()), sorted(fields))


class _Audit:
    """Audit log entries for records written in bulk, saved at once."""

    def __init__(self, actor):
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.now = timezone.now()
        self.entries = []
        self.role_labels = {kind: str(label).lower() for kind, label in RoleKind.choices}

    def _entry(self, instance, action, changes):
        return LogEntry(
            content_type=ContentType.objects.get_for_model(instance), object_pk=str(instance.pk),
            object_id=instance.pk, object_repr=self._repr(instance)[:200], action=action, changes=changes,
            changes_text="", actor=self.actor, actor_email=getattr(self.actor, "email", None) or None,
            timestamp=self.now,
        )

    def _repr(self, instance):
        if isinstance(instance, Role):  # Role.__str__, with each role's name translated once, not per role
            kind = self.role_labels[instance.kind]
            return f"{instance.user}: {kind}, {instance.service}" if instance.service else f"{instance.user}: {kind}"
        return str(instance)

    def created(self, instances):
        # Only the model's own columns: a reverse one-to-one (a person's reviewer record) would
        # cost a query per record.
        self.entries += [
            self._entry(i, LogEntry.Action.CREATE,
                        model_instance_diff(None, i, fields_to_check=[f.name for f in i._meta.concrete_fields]))
            for i in instances if auditlog.contains(type(i))
        ]

    def changed(self, instance, attribute, before, after):
        if auditlog.contains(type(instance)):
            self.entries.append(self._entry(instance, LogEntry.Action.UPDATE, {attribute: [str(before), str(after)]}))

    def save(self):
        LogEntry.objects.bulk_create(self.entries)
