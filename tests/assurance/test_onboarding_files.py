"""Importing a network from a file: the dry run lists what will change and every row's errors;
importing writes all of it, or nothing at all."""

import datetime
import time

import pytest
from auditlog.models import LogEntry

from assurance.models import Organisation, Region, ReviewerRecord, Role, RoleKind, Sector, Service, User
from assurance.onboarding.applying import check_file, import_file
from assurance.onboarding.reading import FileProblem
from tests.assurance.onboarding_files import HEADER, csv_bytes, generated_network, row, table_counts, xlsx_bytes
from tests.factories import OrganisationFactory, RegionFactory, RoleFactory, SectorFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = [
    row("HMP Northfield", "Heron Wing", "Prison wing", "North West", "yes"),
    row("HMP Northfield", "Heron Wing", first="Amara", last="Okafor", email="Amara.Okafor@example.org", role="service lead"),
    row("HMP Northfield", "Heron Wing", first="Ben", last="Hughes", email="ben@example.org", role="Staff"),
    row("HMP Northfield", "Heron Wing", first="Dev", last="Patel", email="dev@example.org", role="peer_reviewer",
        trained="2026-03-12", vetting="Prison vetting", expires="31/03/2028"),
    row("Riverside Trust", "Linden House", "Probation hostel", "Yorkshire", "no", "Esther", "Mensah",
        "esther@example.org", "commissioner"),
    row(first="Ivan", last="Novak", email="ivan@example.org", role="Network administrator"),
]


def errors_of(data, name="network.csv"):
    return [str(error) for error in check_file(name, data).sorted_errors()]


def test_a_good_csv_file_is_checked_then_imported():
    data = csv_bytes(GOOD)
    before = table_counts()
    plan = check_file("network.csv", data)
    assert plan.errors == []
    assert table_counts() == before, "the dry run wrote something"
    assert (len(plan.organisations), len(plan.services), len(plan.people), len(plan.roles), len(plan.reviewer_records)) \
        == (2, 2, 5, 5, 1)
    assert sorted(plan.regions) == ["North West", "Yorkshire"]

    outcome = import_file("network.csv", data)

    assert outcome.applied
    heron = Service.objects.get(name="Heron Wing")
    assert (heron.organisation.name, heron.sector.name, heron.region.name, heron.is_secure_setting) \
        == ("HMP Northfield", "Prison wing", "North West", True)
    amara = User.objects.get(email="amara.okafor@example.org")
    assert (amara.username, amara.get_full_name(), amara.has_usable_password()) \
        == ("amara.okafor@example.org", "Amara Okafor", False)
    assert Role.objects.get(user=amara).kind == RoleKind.SERVICE_LEAD
    assert Role.objects.get(user__email="ivan@example.org").service is None
    dev = ReviewerRecord.objects.get(user__email="dev@example.org")
    assert (dev.trained_on, dev.vetting, dev.vetting_expires_on) \
        == (datetime.date(2026, 3, 12), "Prison vetting", datetime.date(2028, 3, 31))
    assert Role.objects.get(user__email="dev@example.org").service == heron  # a reviewer's home service


def test_an_xlsx_file_reads_as_its_csv_does_with_row_numbers_as_lines():
    rows = [list(values) for values in GOOD]
    rows[3][9] = datetime.date(2026, 3, 12)  # a date cell
    plan = check_file("network.xlsx", xlsx_bytes(rows))
    assert plan.errors == []
    assert (len(plan.people), len(plan.roles), plan.reviewer_records[0].trained_on) == (5, 5, datetime.date(2026, 3, 12))
    bad = [*rows, row("HMP Northfield", "Heron Wing", first="Jo", last="Bloggs", email="jo@", role="staff")]
    assert errors_of(xlsx_bytes(bad), "network.xlsx") == ["Line 8, email: “jo@” is not an email address."]


def test_the_import_records_who_created_what_in_the_audit_log():
    admin = UserFactory(username="importer")
    import_file("network.csv", csv_bytes(GOOD), actor=admin)
    entries = LogEntry.objects.filter(actor=admin)
    assert entries.filter(object_repr="Heron Wing", action=LogEntry.Action.CREATE).exists()
    assert entries.filter(object_repr="Amara Okafor", action=LogEntry.Action.CREATE).exists()
    assert "password" not in entries.get(object_repr="Amara Okafor").changes


def test_existing_records_are_reused_whatever_the_capitals():
    heron = ServiceFactory(name="Heron Wing", organisation=OrganisationFactory(name="HMP Northfield"),
                           sector=SectorFactory(name="Prison wing"), region=RegionFactory(name="North West"))
    amara = UserFactory(username="amara", email="amara.okafor@EXAMPLE.org")
    rows = [
        row("hmp northfield", "HERON WING", "prison wing", "north west", "", "Amara", "Okafor",
            "amara.okafor@example.org", "staff"),
        row("HMP Northfield", "Kite Wing", "Prison wing", "North West", "", "Ben", "Hughes", "ben@example.org", "staff"),
    ]
    plan = check_file("network.csv", csv_bytes(rows))
    assert plan.errors == [] and plan.changes == []
    assert (plan.organisations, plan.regions, plan.sectors, len(plan.services), len(plan.people)) == ([], [], [], 1, 1)
    import_file("network.csv", csv_bytes(rows))
    assert Organisation.objects.count() == 1 and Region.objects.count() == 1 and Sector.objects.count() == 1
    assert set(Role.objects.filter(user=amara).values_list("kind", "service")) == {(RoleKind.STAFF, heron.pk)}
    assert Service.objects.get(name="Kite Wing").organisation == heron.organisation


def test_a_role_already_held_is_left_as_it_is_and_listed():
    heron = ServiceFactory(name="Heron Wing", organisation=OrganisationFactory(name="HMP Northfield"))
    amara = UserFactory(email="amara@example.org")
    RoleFactory(user=amara, kind=RoleKind.STAFF, service=heron)
    data = csv_bytes([row("HMP Northfield", "Heron Wing", first="Amara", last="Okafor", email="amara@example.org", role="staff")])
    plan = check_file("network.csv", data)
    assert plan.errors == [] and plan.roles == []
    assert [(r.line, r.email) for r in plan.roles_in_place] == [(2, "amara@example.org")]
    before = table_counts()
    import_file("network.csv", data)
    assert table_counts() == before


def test_a_change_to_an_existing_service_is_listed_and_applied():
    heron = ServiceFactory(name="Heron Wing", organisation=OrganisationFactory(name="HMP Northfield"),
                           sector=SectorFactory(name="Prison wing"), region=RegionFactory(name="North West"))
    data = csv_bytes([row("HMP Northfield", "Heron Wing", "Prison wing", "North East", "yes")])
    plan = check_file("network.csv", data)
    assert [(c.line, c.record, c.field, c.before, c.after) for c in plan.changes] == [
        (2, "Heron Wing (HMP Northfield)", "region", "North West", "North East"),
        (2, "Heron Wing (HMP Northfield)", "secure setting", "no", "yes"),
    ]
    assert plan.regions == ["North East"]
    import_file("network.csv", data)
    heron.refresh_from_db()
    assert (heron.region.name, heron.is_secure_setting) == ("North East", True)


def test_a_reviewer_records_new_values_are_listed_as_changes():
    dev = UserFactory(email="dev@example.org")
    RoleFactory(user=dev, kind=RoleKind.PEER_REVIEWER, service=None)
    ReviewerRecord.objects.create(user=dev, vetting="Enhanced DBS", vetting_expires_on=datetime.date(2026, 1, 1))
    data = csv_bytes([row(email="dev@example.org", role="peer reviewer", vetting="Enhanced DBS", expires="2029-01-01")])
    plan = check_file("network.csv", data)
    assert [(c.field, c.before, c.after) for c in plan.changes] == [("vetting expires", "1 January 2026", "1 January 2029")]
    import_file("network.csv", data)
    assert ReviewerRecord.objects.get(user=dev).vetting_expires_on == datetime.date(2029, 1, 1)


def test_the_same_service_name_in_two_organisations():
    rows = [
        row("HMP Northfield", "Oak Unit", "Prison wing", "North West"),
        row("Riverside Trust", "Oak Unit", "Hostel", "Yorkshire"),
        row("", "Oak Unit", first="Jo", last="Bloggs", email="jo@example.org", role="staff"),
        row("Riverside Trust", "Oak Unit", first="Kim", last="Lee", email="kim@example.org", role="staff"),
    ]
    assert errors_of(csv_bytes(rows)) == [
        "Line 4, organisation: There is a “Oak Unit” in HMP Northfield and Riverside Trust: fill in the organisation."
    ]
    import_file("network.csv", csv_bytes([rows[0], rows[1], rows[3]]))
    assert sorted(Service.objects.values_list("organisation__name", "slug")) == [
        ("HMP Northfield", "oak-unit"), ("Riverside Trust", "oak-unit-2")]
    assert Role.objects.get(user__email="kim@example.org").service.organisation.name == "Riverside Trust"


def test_a_service_named_without_its_organisation_is_found_when_only_one_has_it():
    heron = ServiceFactory(name="Heron Wing", region=RegionFactory(name="North West"))
    data = csv_bytes([row("", "heron wing", first="Jo", last="Bloggs", email="jo@example.org", role="member"),
                      row("", "Heron Wing", region="Yorkshire")])
    plan = check_file("network.csv", data)
    assert [(c.line, c.field, c.after) for c in plan.changes] == [(3, "region", "Yorkshire")]
    import_file("network.csv", data)
    assert Role.objects.get(user__email="jo@example.org").service == heron


BAD_ROWS = [
    (row("Trust", "Unit", "S", "R", first="Jo", last="B", email="jo@", role="staff"),
     "Line 2, email: “jo@” is not an email address."),
    (row("Trust", "Unit", "S", "R", first="Jo", last="B", email="jo@example.org", role="chief"),
     "Line 2, role: “chief” is not a role. The roles are: service lead, staff, member, peer reviewer, "
     "lived-experience reviewer, lead reviewer, network administrator, commissioner."),
    (row(first="Jo", last="B", email="jo@example.org", role="service lead"),
     "Line 2, service: A service lead belongs to a service: fill in the service and its organisation."),
    (row("Trust", "Unit", "S", "R", first="Jo", last="B", email="jo@example.org", role="network administrator"),
     "Line 2, service: A network administrator is not tied to a service: leave the service empty."),
    (row(first="Jo", last="B", email="jo@example.org", role="lead reviewer", trained="31/02/2026"),
     "Line 2, reviewer_trained_on: “31/02/2026” is not a date. Write it as 2026-12-31 or 31/12/2026."),
    (row(first="Jo", last="B", email="jo@example.org", role="lead reviewer", expires="2027-01-01"),
     "Line 2, vetting: Name the vetting or clearance that expires on 1 January 2027."),
    (row("Trust", "Unit", "S", "R", first="Jo", last="B", email="jo@example.org", role="staff", vetting="DBS"),
     "Line 2, vetting: Only reviewers have a vetting: leave it empty for a staff."),
    (row("Trust", "Unit", "S", first="Jo", last="B", email="jo@example.org", role="staff"),
     "Line 2, region: “Unit” is a new service: fill in its region."),
    (row("Trust", "Unit", "S", "R", "maybe"), "Line 2, secure_setting: “maybe” is not yes or no."),
    (row("Trust", "", "S"), "Line 2, sector: A sector belongs to a service: fill in the service, or leave it empty."),
    (row("Trust", "Unit", "S", "R", first="Jo", email="jo@example.org", role="staff"),
     "Line 2, last_name: jo@example.org is a new person: fill in their last name."),
    (row("", "Unit", first="Jo", last="B", email="jo@example.org", role="staff"),
     "Line 2, organisation: “Unit” is a new service: fill in its organisation."),
    (row("=HYPERLINK(\"http://x\")", "Unit", "S", "R"),
     "Line 2, organisation: “=HYPERLINK(\"http://x\")” is a formula. Type its value instead."),
    (row("T" * 201, "Unit", "S", "R"), f"Line 2, organisation: “{'T' * 30}…” is longer than 200 characters."),
    (row(first="Jo", last="B", role="staff"), "Line 2, email: Fill in the person's email address."),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS, ids=[message.split(":")[1][:40] for _, message in BAD_ROWS])
def test_every_kind_of_bad_row_is_named_by_line_and_column_and_nothing_is_written(bad, message):
    data = csv_bytes([bad])
    assert errors_of(data) == [message]
    before = table_counts()
    outcome = import_file("network.csv", data)
    assert not outcome.applied
    assert table_counts() == before


def test_every_rows_errors_are_listed_and_one_bad_row_stops_every_good_one():
    rows = [*GOOD, row("X", "Y", "S", "R", "", "A", "B", "a@x", "boss"),
            row(first="Ivan", last="Novak", email="IVAN@example.org", role="network administrator")]
    assert errors_of(csv_bytes(rows)) == [
        "Line 8, email: “a@x” is not an email address.",
        "Line 8, role: “boss” is not a role. The roles are: service lead, staff, member, peer reviewer, "
        "lived-experience reviewer, lead reviewer, network administrator, commissioner.",
        "Line 9: The same person, role and service as line 7.",
    ]
    before = table_counts()
    assert not import_file("network.csv", csv_bytes(rows)).applied
    assert table_counts() == before


def test_conflicting_rows_about_one_service_or_person_are_errors():
    rows = [
        row("Trust", "Unit", "Prison wing", "North"),
        row("Trust", "Unit", "Hostel", "North", first="Jo", last="Bloggs", email="jo@example.org", role="staff"),
        row("Trust", "Unit", first="Joanne", last="Bloggs", email="jo@example.org", role="member"),
    ]
    assert errors_of(csv_bytes(rows)) == [
        "Line 3, sector: “Hostel” differs from line 2 (“Prison wing”) for Unit.",
        "Line 4, first_name: “Joanne” differs from line 3 (“Jo”) for jo@example.org.",
    ]


def test_lines_count_line_breaks_inside_quoted_values():
    data = b'organisation,service,first_name,last_name,email,role\n"Two\nLines",Unit,,,,\nTrust,Unit2,Jo,B,jo@,staff\n'
    errors = errors_of(data)
    assert "Line 4, email: “jo@” is not an email address." in errors


@pytest.mark.parametrize(("header", "message"), [
    (HEADER[:7] + HEADER[8:], "Line 1, email: The column “email” is missing. Every file needs the columns: "
                              "organisation, service, first_name, last_name, email, role."),
    ([*HEADER, "Shoe size"], "Line 1, Shoe size: “Shoe size” is not a column this import knows. The columns are: "
                             "organisation, service, sector, region, secure_setting, first_name, last_name, email, "
                             "role, reviewer_trained_on, vetting, vetting_expires_on."),
    ([*HEADER, "Email"], "Line 1, Email: The column “Email” appears twice."),
])
def test_a_missing_unknown_or_repeated_column_is_named(header, message):
    values = [row("Trust", "Unit", "S", "R")[: len(header)]]
    assert errors_of(csv_bytes(values, header=header)) == [message]


def test_headers_match_whatever_their_capitals_and_spacing():
    header = ["Organisation", "Service", "Sector", "Region", "Secure setting", "First name", "Surname", "E-mail", "Role",
              "Reviewer trained on", "Vetting", "Vetting expires on"]
    assert errors_of(csv_bytes(GOOD, header=header)) == []


def test_a_byte_order_mark_and_semicolons_are_read():
    data = b"\xef\xbb\xbf" + csv_bytes(GOOD, delimiter=";")
    plan = check_file("network.csv", data)
    assert plan.errors == [] and len(plan.people) == 5


@pytest.mark.parametrize(("name", "data", "message"), [
    ("network.csv", b"", "The file is empty."),
    ("network.csv", b"\n \n", "The file is empty."),
    ("network.csv", csv_bytes([]), "The file has a header but no rows below it."),
    ("network.csv", "organisation,service,first_name,last_name,email,role\nTrust,Unité,,,,\n".encode("latin-1"),
     "Line 2 has a character that is not UTF-8. Save the file as “CSV UTF-8 (comma delimited)” and upload it again."),
    ("network.pdf", b"%PDF-1.7 ...", "Upload a CSV file (.csv) or an Excel workbook (.xlsx)."),
    ("network.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "This is an old Excel file (.xls). Save it as .xlsx or as CSV UTF-8, "
                                                       "then upload it again."),
    ("network.xlsx", b"PK\x03\x04 not really a zip", "This file is not a valid Excel workbook. Open it in Excel and save "
                                                     "it again as .xlsx."),
    ("network.xlsx", b"organisation,service\n", "This file is not a valid Excel workbook. Open it in Excel and save it "
                                                "again as .xlsx."),
    ("network.csv", b"PK\x03\x04rest", "This file is a zip archive, not a CSV file. Upload a .csv or .xlsx file."),
    ("network.csv", b"organisation,service,email\nT,U,x,extra\n",
     "Line 2 has more values than the first line has columns. Check for a stray comma or semicolon."),
    ("network.csv", b"x" * (5 * 1024 * 1024 + 1), "The file is larger than 5 MB. Split it into smaller files and import each."),
])
def test_a_file_that_cannot_be_read_says_why(name, data, message):
    with pytest.raises(FileProblem) as raised:
        check_file(name, data)
    assert str(raised.value) == message


def test_an_xlsx_formula_is_refused():
    rows = [row("Trust", "Unit", "S", "R"), row("Trust", "=B2&\" 2\"", "S", "R")]
    assert errors_of(xlsx_bytes(rows), "network.xlsx") == [
        "Line 3, service: “=B2&\" 2\"” is a formula. Type its value instead."]


def test_a_thousand_rows_are_checked_and_imported_in_a_bounded_number_of_queries(django_assert_max_num_queries):
    data = csv_bytes(generated_network(1000))
    started = time.perf_counter()
    with django_assert_max_num_queries(12):
        plan = check_file("network.csv", data)
    assert plan.errors == []
    with django_assert_max_num_queries(30):
        outcome = import_file("network.csv", data)
    elapsed = time.perf_counter() - started
    print(f"\n1,000 rows checked and imported in {elapsed:.2f} s")
    assert outcome.applied
    assert (User.objects.count(), Role.objects.count(), Service.objects.count(), ReviewerRecord.objects.count()) \
        == (1000, 1000, 200, 400)
    # Importing it again finds everything in place.
    again = check_file("network.csv", data)
    assert (len(again.people), len(again.roles), len(again.roles_in_place), again.changes) == (0, 0, 1000, [])
