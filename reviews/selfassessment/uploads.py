"""What evidence files may be: judged by their content, never by their name, and (for office
files, which are zip archives) by what they would unpack to."""

import codecs
import struct
import zipfile
import zlib

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
# The content types that are zip archives (their type is told by the parts inside).
ARCHIVE_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the lengths of the name and the extra field
DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, RuntimeError, zlib.error,
           struct.error, ValueError)


def archive_problem(upload, detected_type=None):
    """Why this upload is refused as an archive, or None. Each part's compressed data is really
    inflated (up to the limit), whatever sizes the archive declares: a part may claim to be small
    and unpack to gigabytes for a reader that does not stop where the claim says."""
    try:
        if not zipfile.is_zipfile(upload):
            # An office file whose first bytes say "Word" but that is no whole archive (cut short).
            return _damaged() if detected_type in ARCHIVE_TYPES else None
        upload.seek(0)
        limit = min(settings.EVIDENCE_MAX_UNPACKED_BYTES, max(upload.size, 1) * MAX_RATIO)
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                return _("This file is made of %(count)d parts; an office document has far fewer. "
                         "Check it is the right file.") % {"count": len(parts)}
            if _inflated_size(upload, parts, limit) > limit:
                return _("This file would unpack to more than %(limit)s, far more than a document of its size "
                         "holds. Check it is the right file.") % {"limit": filesizeformat(limit)}
            if archive.testzip() is not None:  # a part's checksum is wrong
                return _damaged()
    except DAMAGED:
        return _damaged()
    finally:
        upload.seek(0)
    return None


def _damaged():
    return _("This file is damaged and cannot be opened. Check it is the right file.")


def _inflated_size(stream, parts, limit):
    """The size of every part's data inflated, counted until it passes `limit`. Written here, not
    left to zipfile, which stops at the size a part declares and so cannot see a lie."""
    total = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise NotImplementedError("encrypted part")
        total += _inflate_part(stream, part, limit - total)
        if total > limit:
            return total
    return total


def _inflate_part(stream, part, budget):
    stream.seek(part.header_offset)
    signature, name_length, extra_length = LOCAL_HEADER.unpack(stream.read(LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile("no local header")
    stream.seek(part.header_offset + LOCAL_HEADER.size + name_length + extra_length)
    if part.compress_type == zipfile.ZIP_STORED:
        return part.compress_size
    if part.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError("compression method")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    remaining, size = part.compress_size, 0
    while remaining > 0 and size <= budget:
        compressed = stream.read(min(CHUNK, remaining))
        if not compressed:
            raise EOFError("part cut short")
        remaining -= len(compressed)
        while compressed and size <= budget:
            size += len(inflater.decompress(compressed, CHUNK))
            compressed = inflater.unconsumed_tail
    return size
