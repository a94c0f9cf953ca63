"""Reading an onboarding file: CSV (UTF-8, commas or semicolons) or XLSX (the first sheet), into
one kind of row whatever the format. Problems with the file as a whole raise FileProblem, with a
message for the person who uploaded it; problems with single values are the checker's."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX file is a zip archive: it may unpack to at most this much.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
EXTENSIONS = (".csv", ".txt", ".xlsx")


class FileProblem(ValueError):
    """The file cannot be read at all."""


@dataclass(frozen=True)
class Row:
    """One row of the file: its line (the header is line 1; an XLSX row's number) and its values
    by column name, each a stripped string ("" when empty)."""

    line: int
    values: dict
    # Columns holding a formula rather than a value (in a CSV file, text that would become one in
    # a spreadsheet: it is refused, so that no export of the network ever carries one).
    formulas: frozenset = frozenset()

    def __getitem__(self, column):
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    headers: list  # as written in the file, in order
    rows: list


def read(name, data):
    """The file's header and rows. `name` is the file's name, which says its format."""
    if len(data) > MAX_BYTES:
        raise FileProblem(_("The file is larger than 5 MB. Split it into smaller files and import each."))
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    lowered = (name or "").lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or lowered.endswith(".xls"):
        raise FileProblem(_("This is an old Excel file (.xls). Save it as .xlsx or as CSV UTF-8, then upload it again."))
    if data.startswith(b"PK\x03\x04"):
        if not lowered.endswith(".xlsx"):
            raise FileProblem(_("This file is a zip archive, not a CSV file. Upload a .csv or .xlsx file."))
        return _read_xlsx(data)
    if not lowered.endswith(EXTENSIONS):
        raise FileProblem(_("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))
    if lowered.endswith(".xlsx"):
        raise FileProblem(_("This file is not a valid Excel workbook. Open it in Excel and save it again as .xlsx."))
    return _read_csv(data)


def _read_csv(data):
    if b"\x00" in data:
        raise FileProblem(_("This is not a text file. Upload a CSV file saved as “CSV UTF-8”, or an .xlsx workbook."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(_(
            "Line %(line)d has a character that is not UTF-8. Save the file as “CSV UTF-8 (comma delimited)” "
            "and upload it again."
        ) % {"line": line}) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise FileProblem(_("The file is not valid CSV: %(error)s.") % {"error": error}) from None
    # csv counts a quoted value's line breaks: the line of each record is where it starts.
    numbered, line = [], 1
    for record in records:
        numbered.append((line, record))
        line += 1 + sum(value.count("\n") for value in record)
    return _table(numbered)


def _read_xlsx(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(item.file_size for item in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FileProblem(_("The workbook unpacks to more than 100 MB. Split it into smaller files."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileProblem:
        raise
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign file
        raise FileProblem(_("This file is not a valid Excel workbook. Open it in Excel and save it again as .xlsx.")) from None
    try:
        sheet = workbook.worksheets[0]
        numbered = [(number, [_cell_text(value) for value in values])
                    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except Exception:
        raise FileProblem(_("This file is not a valid Excel workbook. Open it in Excel and save it again as .xlsx.")) from None
    finally:
        workbook.close()
    return _table(numbered)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(numbered):
    numbered = [(line, [value.strip() for value in values]) for line, values in numbered]
    if not numbered or not any(numbered[0][1]):
        raise FileProblem(_("The first line must name the columns, for example: organisation, service, email, role."))
    header_line, headers = numbered[0]
    while headers and not headers[-1]:
        headers.pop()
    rows = []
    for line, values in numbered[1:]:
        if not any(values):
            continue
        extra = values[len(headers):]
        if any(extra):
            raise FileProblem(_(
                "Line %(line)d has more values than the first line has columns. Check for a stray comma or semicolon."
            ) % {"line": line})
        cells = dict(zip(headers, values, strict=False))
        rows.append(Row(line, cells, frozenset(column for column, value in cells.items() if value.startswith("="))))
        if len(rows) > MAX_ROWS:
            raise FileProblem(_("The file has more than %(count)d rows. Split it into smaller files.") % {"count": MAX_ROWS})
    if not rows:
        raise FileProblem(_("The file has a header but no rows below it."))
    return Table(headers, rows)
