"""What evidence files may be: judged by their content, never by their name, and (for office
files, which are zip archives) by what they would unpack to."""

import codecs
import zipfile

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What may be uploaded, judged by the file's content: detected MIME type → allowed extensions.
ALLOWED_TYPES = {
    "application/pdf": {"pdf"},
    "application/msword": {"doc"},
    "application/vnd.ms-excel": {"xls"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
    "image/png": {"png"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/gif": {"gif"},
    "image/webp": {"webp"},
    "text/plain": {"txt", "csv", "md"},
}
ALLOWED_DESCRIPTION = gettext_lazy("PDF, Word, Excel, OpenDocument, an image (PNG, JPEG, GIF, WebP) or plain text")


def detect_type(upload):
    """The file's real type from its first bytes, not from its name; None if not allowed."""
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED_TYPES else None
    return "text/plain" if _looks_like_text(upload) else None


def _looks_like_text(upload):
    """UTF-8 with no NUL bytes. The decoder is incremental: large uploads arrive in chunks, and
    a character may be split between two of them."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True



# Office files are zip archives. One that unpacks to far more than it weighs, or to an absurd
# number of parts, is a "zip bomb" meant to exhaust whoever opens it: it is refused.
MAX_RATIO = 100
MAX_PARTS = 5000
CHUNK = 64 * 1024


def archive_problem(upload):
    """Why this upload is refused as an archive, or None. The parts are really unpacked (up to the
    limit), because the sizes an archive declares can lie."""
    if not zipfile.is_zipfile(upload):
        upload.seek(0)
        return None
    upload.seek(0)
    limit = min(settings.EVIDENCE_MAX_UNPACKED_BYTES, max(upload.size, 1) * MAX_RATIO)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                return _("This file is made of %(count)d parts; an office document has far fewer. "
                         "Check it is the right file.") % {"count": len(parts)}
            if _unpacked_size(archive, parts, limit) > limit:
                return _("This file would unpack to more than %(limit)s, far more than a document of its size "
                         "holds. Check it is the right file.") % {"limit": filesizeformat(limit)}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, RuntimeError):
        return _("This file is damaged and cannot be opened. Check it is the right file.")
    finally:
        upload.seek(0)
    return None


def _unpacked_size(archive, parts, limit):
    """The size of the parts unpacked, counted until it passes `limit`."""
    total = 0
    for part in parts:
        with archive.open(part) as unpacked:
            while chunk := unpacked.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    return total
    return total
