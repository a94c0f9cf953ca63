"""The records an onboarding file may name, read in a fixed number of queries whatever the
file's length."""

from dataclasses import dataclass

from django.db.models.functions import Lower

from assurance.models import Organisation, Region, ReviewerRecord, Role, Sector, Service, User


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
