"""The demo network: a handful of real-sounding services and one person per role.

`seed_demo_network` is idempotent: it creates what is missing and leaves what exists alone, so
running it twice changes nothing (and never resets a password someone has changed). Other apps
add their part of the demo (reviews at every stage) through `register_demo_seeder`.
`seed_benchmark_services` adds many plain services quickly, for benchmarks.
`as_if_on` runs the demo's steps on the days they would have happened.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from auditlog.context import disable_auditlog, set_actor
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from assurance.models import Organisation, Region, Role, RoleKind, Sector, Service, User
from standards.files import read_standards_file
from standards.models import Edition
from standards.services import load_standards

DEMO_PASSWORD = "walk-alongside-2026"
DEMO_SEEDERS = []  # functions of (services by name, people by username), run in order
DEMO_NOTES = []  # lines apps want printed under the sign-ins (e.g. a questionnaire's code)
STANDARDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "standards"
CURRENT_EDITION = ("relational-practice-standards", "2026.1")

REGIONS = ["North West", "Midlands", "South East", "North East", "South West"]
SECTORS = [
    "Prison wing (PIPE)",
    "Approved Premises",
    "Therapeutic community",
    "Psychiatric ward",
    "Homelessness service",
    "Children's home",
]

# (name, organisation, sector, region, description)
SERVICES = [
    ("Kestrel Wing", "HMP Northmoor", "Prison wing (PIPE)", "North West",
     "A 40-bed progression PIPE on a category C wing, with key-work, community meetings and a residents' forum."),
    ("Elm House", "Three Rivers Probation Service", "Approved Premises", "Midlands",
     "A 24-bed Approved Premises working as a psychologically informed planned environment."),
    ("Larchfield Community", "Larchfield Trust", "Therapeutic community", "South East",
     "A democratic therapeutic community for adults, run by its members and staff together."),
    ("Willow Ward", "Brookvale NHS Foundation Trust", "Psychiatric ward", "North West",
     "An 18-bed acute admission ward for adults of working age."),
    ("Harbour Lights", "Harbour Housing Association", "Homelessness service", "South East",
     "A 30-room hostel and day centre using the PIE framework."),
    ("The Orchard", "Meadowbank Children's Services", "Children's home", "Midlands",
     "A small children's home for up to five young people aged 11 to 17."),
    ("Cedar Unit", "HMP Northmoor", "Prison wing (PIPE)", "North West",
     "A preparation unit helping men ready themselves for the PIPE and for treatment."),
    ("Riverside Hostel", "Harbour Housing Association", "Homelessness service", "Midlands",
     "Supported accommodation for young adults leaving care or sleeping rough."),
    ("Fernside House", "Three Rivers Probation Service", "Approved Premises", "North West",
     "A 20-bed Approved Premises for men leaving long sentences, with a resident-led house meeting."),
    ("Beacon Wing", "HMP Eastfield", "Prison wing (PIPE)", "Midlands",
     "A 60-bed PIPE for men in the later stages of their sentence, with peer mentors on every landing."),
    ("Millbrook Community", "Larchfield Trust", "Therapeutic community", "South East",
     "A residential therapeutic community for young adults, with a strong alumni network."),
    # The rest of the network: reviewed last year and this, so that the network reports have figures.
    ("Heron Ward", "Brookvale NHS Foundation Trust", "Psychiatric ward", "North West",
     "A 16-bed psychiatric intensive care unit where patients and staff plan the day together each morning."),
    ("Linden Lodge", "Meadowbank Children's Services", "Children's home", "South East",
     "A therapeutic children's home for up to four young people, with a weekly house meeting."),
    ("Quayside Project", "Harbour Housing Association", "Homelessness service", "North East",
     "A 22-bed hostel for people with long histories of sleeping rough, run as a psychologically informed "
     "environment."),
    ("Ashdown Community", "Larchfield Trust", "Therapeutic community", "Midlands",
     "A day therapeutic community meeting four days a week, for adults with a diagnosis of personality disorder."),
    ("Granite Wing", "HMP Eastfield", "Prison wing (PIPE)", "North East",
     "A 30-bed progression PIPE for men moving on from treatment on the Offender Personality Disorder pathway."),
    ("Wyvern House", "Three Rivers Probation Service", "Approved Premises", "South West",
     "A 26-bed Approved Premises with a psychologically informed planned environment and a residents' forum."),
    ("Sable Ward", "Eastmere Mental Health Trust", "Psychiatric ward", "South West",
     "A 20-bed rehabilitation ward helping adults with long-term mental illness move back into the community."),
]
# The services reviewed only for the network's figures (reviews/decisions/demo_network.py).
NETWORK_SERVICES = ["Heron Ward", "Linden Lodge", "Quayside Project", "Ashdown Community", "Granite Wing",
                    "Wyvern House", "Sable Ward"]


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: str | None
    services: tuple = ()
    what: str = ""


PERSONAS = [
    Persona("admin", "Alex", "Morgan", RoleKind.NETWORK_ADMIN, (), "network administrator"),
    Persona("lead", "Priya", "Shah", RoleKind.SERVICE_LEAD, ("Kestrel Wing",), "service lead, Kestrel Wing"),
    Persona("staff", "Tom", "Evans", RoleKind.STAFF, ("Kestrel Wing",), "staff, Kestrel Wing"),
    Persona("member", "Jordan", "Lee", RoleKind.MEMBER, ("Kestrel Wing",), "member (lives on Kestrel Wing)"),
    Persona("reviewer", "Sam", "Okafor", RoleKind.PEER_REVIEWER, ("Elm House",), "peer reviewer from Elm House"),
    Persona("lived", "Chris", "Dunn", RoleKind.LIVED_EXPERIENCE_REVIEWER, ("Larchfield Community",),
            "lived-experience reviewer (former member of Larchfield)"),
    Persona("leadreviewer", "Morgan", "Blake", RoleKind.LEAD_REVIEWER, ("Willow Ward",),
            "lead reviewer from Willow Ward"),
    Persona("lead2", "Dee", "Walsh", RoleKind.SERVICE_LEAD, ("Larchfield Community",),
            "service lead, Larchfield Community (self-assessment submitted)"),
    Persona("member2", "Ash", "Patel", RoleKind.MEMBER, ("Larchfield Community",), "member of Larchfield Community"),
    Persona("commissioner", "Ruth", "Adeyemi", RoleKind.COMMISSIONER,
            ("Kestrel Wing", "Cedar Unit", "Elm House", "Beacon Wing", "Millbrook Community"),
            "commissioner of Kestrel Wing, Cedar Unit, Elm House, Beacon Wing (under appeal) and Millbrook "
            "Community (award near expiry)"),
    Persona("outsider", "Casey", "Jones", None, (), "signed up, but has no role"),
]


# People who appear in the demo's reviews but are not advertised as sign-ins.
BACKGROUND_PEOPLE = [
    # Reviewers with no home service in the network: their teams visit services of every organisation.
    Persona("jo", "Jo", "Baptiste", RoleKind.PEER_REVIEWER, (), "peer reviewer"),
    Persona("lee", "Lee", "Harper", RoleKind.LIVED_EXPERIENCE_REVIEWER, (), "lived-experience reviewer"),
    Persona("nia", "Nia", "Roberts", RoleKind.LEAD_REVIEWER, (), "lead reviewer"),
    Persona("harbour-lead", "Grace", "Obi", RoleKind.SERVICE_LEAD, ("Harbour Lights",), "service lead"),
    Persona("riverside-lead", "Owen", "Price", RoleKind.SERVICE_LEAD, ("Riverside Hostel",), "service lead"),
    Persona("orchard-lead", "Ben", "Carter", RoleKind.SERVICE_LEAD, ("The Orchard",), "service lead"),
    Persona("cedar-lead", "Farah", "Khan", RoleKind.SERVICE_LEAD, ("Cedar Unit",), "service lead"),
    Persona("fernside-lead", "Mo", "Daniels", RoleKind.SERVICE_LEAD, ("Fernside House",), "service lead"),
    Persona("beacon-lead", "Ray", "Whitfield", RoleKind.SERVICE_LEAD, ("Beacon Wing",), "service lead"),
    Persona("millbrook-lead", "Iris", "Novak", RoleKind.SERVICE_LEAD, ("Millbrook Community",), "service lead"),
    Persona("heron-lead", "Amara", "Nwosu", RoleKind.SERVICE_LEAD, ("Heron Ward",), "service lead"),
    Persona("linden-lead", "Hannah", "Lowe", RoleKind.SERVICE_LEAD, ("Linden Lodge",), "service lead"),
    Persona("quayside-lead", "Declan", "Murphy", RoleKind.SERVICE_LEAD, ("Quayside Project",), "service lead"),
    Persona("ashdown-lead", "Ruby", "Chen", RoleKind.SERVICE_LEAD, ("Ashdown Community",), "service lead"),
    Persona("granite-lead", "Wes", "Ibrahim", RoleKind.SERVICE_LEAD, ("Granite Wing",), "service lead"),
    Persona("wyvern-lead", "Paula", "Greene", RoleKind.SERVICE_LEAD, ("Wyvern House",), "service lead"),
    Persona("sable-lead", "Tariq", "Aziz", RoleKind.SERVICE_LEAD, ("Sable Ward",), "service lead"),
    # A second network administrator, not involved in any demo review: the appeal panel.
    Persona("panel", "Kim", "Osei", RoleKind.NETWORK_ADMIN, (), "network administrator on appeal panels"),
]


def ensure_standards():
    """Loads the bundled standards files unless their editions are already there."""
    if Edition.objects.filter(framework__slug=CURRENT_EDITION[0], version=CURRENT_EDITION[1]).exists():
        return
    load_standards([read_standards_file(path) for path in sorted(STANDARDS_DIR.glob("*.yaml"))])


@transaction.atomic
def seed_demo_network():
    ensure_standards()
    with disable_auditlog():
        regions = {name: _named(Region, name) for name in REGIONS}
        sectors = {name: _named(Sector, name) for name in SECTORS}
        services = {}
        for name, organisation, sector, region, description in SERVICES:
            services[name], _created = Service.objects.get_or_create(
                slug=slugify(name),
                defaults={
                    "name": name,
                    "organisation": _named(Organisation, organisation),
                    "sector": sectors[sector],
                    "region": regions[region],
                    "description": description,
                },
            )
        people = _people(PERSONAS + BACKGROUND_PEOPLE)
    admin = people["admin"]
    with set_actor(admin):
        for persona in PERSONAS + BACKGROUND_PEOPLE:
            for service_name in persona.services or ((None,) if persona.role else ()):
                service = services[service_name] if service_name else None
                Role.objects.get_or_create(user=people[persona.username], kind=persona.role, service=service)
    with disable_auditlog():
        for seeder in DEMO_SEEDERS:
            seeder(services, people)
    return PERSONAS


def refresh_planner_statistics():
    """On PostgreSQL, ANALYZE: the demo fills empty tables in one transaction, and the planner, still
    believing them empty, would join thousands of members' answers row by row (a minute a query)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def register_demo_seeder(seeder):
    """Adds an app's part of the demo; it runs after the network and its people exist."""
    if seeder not in DEMO_SEEDERS:
        DEMO_SEEDERS.append(seeder)
    return seeder


def register_demo_note(note):
    """Adds a line that `seed_demo` prints under the sign-ins: something to try that is not a sign-in."""
    if note not in DEMO_NOTES:
        DEMO_NOTES.append(note)
    return note


def current_editions():
    """The demo's current edition, and every edition of its framework by version."""
    editions = {e.version: e for e in Edition.objects.filter(framework__slug=CURRENT_EDITION[0])}
    return editions[CURRENT_EDITION[1]], editions


def _named(model, name):
    instance, _created = model.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return instance


def _people(personas):
    """{username: user}, making those missing. They share one hash of the demo password: hashing it
    for each person would take half the seed's time."""
    people = User.objects.in_bulk([persona.username for persona in personas], field_name="username")
    missing = [persona for persona in personas if persona.username not in people]
    password = make_password(DEMO_PASSWORD) if missing else None
    for persona in missing:
        people[persona.username] = User.objects.create(
            username=persona.username,
            password=password,
            first_name=persona.first_name,
            last_name=persona.last_name,
            email=f"{persona.username}@demo.relational-assurance.test",
        )
    return people


@contextmanager
def as_if_on(day, hour=10):
    """Runs the block as if it were `day` (at `hour`, the clock running on from there).

    The demo is built through the same services people use, and they stamp the moment they run:
    a cycle's opening, a submission, a decision, the date a final report was issued. Run on the
    days those steps would have happened, the demo's dates fall in the order a real review's do.
    """
    real_now = timezone.now
    started = real_now()
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    timezone.now = lambda: moment + (real_now() - started)
    try:
        yield moment
    finally:
        timezone.now = real_now


@transaction.atomic
def seed_benchmark_services(count):
    """Makes sure the network has at least `count` benchmark services, each with a lead.

    Uses bulk inserts and one shared password hash: 1,000 services take a few seconds.
    Returns how many were added.
    """
    existing = Service.objects.filter(slug__startswith="bench-").count()
    missing = range(existing + 1, count + 1)
    if not missing:
        return 0
    regions = [_named(Region, name) for name in REGIONS]
    sectors = [_named(Sector, name) for name in SECTORS]
    organisation = _named(Organisation, "Benchmark Network Services")
    services = Service.objects.bulk_create(
        Service(
            name=f"Benchmark service {number:04d}",
            slug=f"bench-{number:04d}",
            organisation=organisation,
            region=regions[number % len(regions)],
            sector=sectors[number % len(sectors)],
        )
        for number in missing
    )
    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        User(username=f"bench-lead-{number:04d}", password=password, first_name="Lead", last_name=f"{number:04d}")
        for number in missing
    )
    Role.objects.bulk_create(
        Role(user=user, service=service, kind=RoleKind.SERVICE_LEAD) for user, service in zip(users, services, strict=True)
    )
    return len(services)
