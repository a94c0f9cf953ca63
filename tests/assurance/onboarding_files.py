"""Files for the onboarding tests: CSV and XLSX bytes from rows, and the count of every table's rows."""

import csv
import io

from django.apps import apps
from openpyxl import Workbook

HEADER = [
    "organisation", "service", "sector", "region", "secure_setting", "first_name", "last_name", "email", "role",
    "reviewer_trained_on", "vetting", "vetting_expires_on",
]


def row(organisation="", service="", sector="", region="", secure="", first="", last="", email="", role="",
        trained="", vetting="", expires=""):
    return [organisation, service, sector, region, secure, first, last, email, role, trained, vetting, expires]


def csv_bytes(rows, header=HEADER, delimiter=",", encoding="utf-8"):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_counts():
    """Rows of every table of the project, by model."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def generated_network(count):
    """`count` rows: services of 10 organisations, each with a lead, staff and reviewers."""
    kinds = ["service lead", "staff", "member", "peer reviewer", "lived-experience reviewer"]
    rows = []
    for n in range(count):
        organisation, service = f"Trust {(n // 5) % 10}", f"Unit {n // 5}"
        kind = kinds[n % len(kinds)]
        reviewer = "reviewer" in kind
        unit = n // 5
        rows.append(row(organisation, service, f"Sector {unit % 3}", f"Region {unit % 4}", "yes" if unit % 7 == 0 else "",
                        f"First{n}", f"Last{n}", f"person{n}@example.org", kind,
                        "2026-01-15" if reviewer else "", "Enhanced DBS" if reviewer else "",
                        "2028-01-15" if reviewer else ""))
    return rows
