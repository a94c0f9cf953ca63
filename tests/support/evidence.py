"""Evidence for tests: real files made in memory, and the evidence page driven the way a browser
drives it (uploads, links, downloads, the way back to the answers)."""

import html
import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reviews.models import CycleState, Perspective
from reviews.selfassessment.services import add_file_evidence
from standards.models import RatingLevel
from tests.support.documents import download
from tests.support.wizard import step_url

# --- real files, made in memory ---------------------------------------------------------------


def pdf_bytes():
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


OFFICE_PARTS = {
    "word": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Our practice guide</w:t></w:r></w:p></w:body></w:document>",
    ),
    "xl": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheets><sheet name="Rota" sheetId="1"/></sheets></workbook>',
    ),
}


def office_bytes(kind):
    """A minimal Office Open XML package: [Content_Types].xml first, as Word and Excel write it."""
    part, content_type, xml = OFFICE_PARTS[kind]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="' + part + '" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", rels)
        package.writestr(part, xml)
    return buffer.getvalue()


def image_bytes(image_format):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (0, 110, 120)).save(buffer, format=image_format)
    return buffer.getvalue()


def text_bytes():
    return "Community meeting, Tuesday\n1. Café opening hours: members proposed a change; agreed.\n".encode()


ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
MZ_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100


# --- the evidence page ------------------------------------------------------------------------


def evidence_url(cycle, next_url=None):
    url = reverse("reviews:evidence", args=[cycle.pk])
    return f"{url}?next={next_url}" if next_url is not None else url


def download_url(item):
    return reverse("reviews:evidence-download", args=[item.cycle_id, item.pk])


def upload(client, cycle, name, content, title="Kitchen rota", description="", url=None):
    return client.post(
        url or evidence_url(cycle),
        {
            "add_file": "",
            "file-title": title,
            "file-file": SimpleUploadedFile(name, content),
            "file-description": description,
            "file-effective_date": "",
        },
    )


def add_link(client, cycle, address, title="'You said, we did' board", url=None):
    return client.post(
        url or evidence_url(cycle),
        {"add_link": "", "link-title": title, "link-url": address, "link-description": "", "link-effective_date": ""},
    )


def field_error(response, field_id):
    """The words of the error message shown with a field ("" if there is none)."""
    match = re.search(
        rf'<p class="error-message" id="{re.escape(field_id)}_error">(.*?)</p>', response.content.decode(), re.DOTALL
    )
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split()) if match else ""


def input_value(response, name):
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', response.content.decode())
    assert match, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else ""


def file_item(cycle, person, added_as=Perspective.STAFF, name="minutes.txt", content=b"Minutes of the meeting.\n"):
    return add_file_evidence(
        cycle=cycle, added_by=person, added_as=added_as, upload=SimpleUploadedFile(name, content),
        detected_type="text/plain", title=f"{added_as} {name}",
    )


def download_evidence(client, item):
    """(status, body, response) of an evidence item's download, read whole."""
    response, body = download(client, download_url(item))
    return response.status_code, body, response


def mark_submitted(cycle):
    """The self-assessment marked submitted, without the checks: only the stage matters here."""
    cycle.state = CycleState.SELF_ASSESSMENT_SUBMITTED
    cycle.save(update_fields=["state"])


def top_level(cycle):
    return RatingLevel.objects.filter(edition=cycle.edition).order_by("-value").first()


def wizard_post(client, cycle, step, answers, perspective=Perspective.STAFF, **buttons):
    """Posts a wizard step: answers is {criterion: (level, [evidence, ...])}."""
    data = {f"answers-{cycle.pk}-{perspective}-current_step": step, **buttons}
    for answered, (level, items) in answers.items():
        prefix = f"{step}-c{answered.pk}_"
        data[prefix + "level"] = str(level.pk)
        data[prefix + "evidence"] = [str(item.pk) for item in items]
        data[prefix + "narrative"] = "Shown in the minutes."
        data[prefix + "version"] = "0"
    return client.post(step_url(cycle, perspective, step), data)
