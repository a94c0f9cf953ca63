"""The demo's reviewer records: training and vetting (one expiring soon, one expired, one never
trained), a time unavailable, the prisons' wings as secure settings, and a conflict of interest with
a whole organisation.

Call `seed_demo_reviewer_records(services, people)` AFTER the demo's reviews are built (it marks
the prison wings secure, and their review teams were chosen before vetting was recorded): the
visit pages of the prisons' reviews then show whose vetting needs checking. Dates are relative to
the day the demo is seeded. Running it twice changes nothing."""

import datetime

from django.utils import timezone

from assurance.models import ReviewerRecord, Unavailability
from reviews.peer.models import ConflictOfInterest
from reviews.peer.services.team import declare_conflict

PRISON_SECTOR = "Prison wing (PIPE)"

# username: (trained days ago or None, vetting, vetting expires in days or None, notes)
RECORDS = {
    "reviewer": (400, "Prison vetting (non-directed)", 35, "Renewal form sent; check before any prison visit."),
    "leadreviewer": (900, "Enhanced DBS and prison vetting", 700, ""),
    "lived": (250, "Enhanced DBS", -20, "Vetting lapsed: ask Chris to renew before the next prison visit."),
    "nia": (1200, "Enhanced DBS and prison vetting", 500, ""),
    "lee": (180, "Enhanced DBS", 900, ""),
    "jo": (None, "", None, "Booked on the next reviewer training day."),
}
# username: (starts in days, lasts days, note)
UNAVAILABLE = {
    "lee": (21, 7, "Annual leave"),
    "leadreviewer": (45, 2, "Another network's visit"),
}
ORGANISATION_CONFLICT = ("jo", "Cedar Unit", "Worked as an officer at HMP Northmoor until 2024.")


def seed_demo_reviewer_records(services, people):
    """services: name → Service; people: username → User."""
    today = timezone.localdate()
    for service in services.values():
        if service.sector.name == PRISON_SECTOR and not service.is_secure_setting:
            service.is_secure_setting = True
            service.save(update_fields=["is_secure_setting"])
    for username, (trained_ago, vetting, expires_in, notes) in RECORDS.items():
        ReviewerRecord.objects.update_or_create(user=people[username], defaults={
            "trained_on": today - datetime.timedelta(days=trained_ago) if trained_ago is not None else None,
            "vetting": vetting,
            "vetting_expires_on": today + datetime.timedelta(days=expires_in) if expires_in is not None else None,
            "notes": notes,
        })
    for username, (starts_in, lasts, note) in UNAVAILABLE.items():
        starts_on = today + datetime.timedelta(days=starts_in)
        Unavailability.objects.get_or_create(user=people[username], starts_on=starts_on, defaults={
            "ends_on": starts_on + datetime.timedelta(days=lasts - 1), "note": note})
    username, service_name, reason = ORGANISATION_CONFLICT
    organisation = services[service_name].organisation
    if not ConflictOfInterest.objects.filter(user=people[username], organisation=organisation).exists():
        declare_conflict(user=people[username], organisation=organisation, reason=reason)
