"""Uploaded files are private: random storage names, checked content, served only through views.

No uploaded file lives under a public URL. Each file belongs to a record (a proposal's attachment, a
premises photo); the view that serves it applies the same selector as the record, then hands the bytes
over with `file_response`: a download (`Content-Disposition: attachment`), never sniffed, never scripted.
In production the view only decides; the reverse proxy sends the bytes (`GUICHET_SENDFILE`).
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class PrivateStorage(FileSystemStorage):
    """The default storage. Its files have no URL: a template that asks for one fails loudly."""

    def url(self, name: str | None) -> str:
        raise ImproperlyConfigured(f"uploaded files are private; serve {name!r} through its record's view")


@contextmanager
def files_deleted_on_failure() -> Iterator[list[FieldFile]]:
    """Around a write that stores files and its transaction (outside `transaction.atomic`, so a failing
    commit counts too): the caller appends each file it stores; if anything raises before the transaction
    has committed, those files are deleted again, since the rows naming them are rolled back. Storage is not
    transactional: without this, a failed submission leaves orphaned files behind."""
    stored: list[FieldFile] = []
    try:
        yield stored
    except BaseException:
        for item in stored:
            try:
                if item.name:
                    item.storage.delete(item.name)
            except OSError:  # the original error matters more; a file left behind is logged
                logger.exception("could not delete %s after a failed write", item.name)
        raise


def private_name(folder: str) -> str:
    """A storage name that says nothing: not the client's file name, not a record id, not a count."""
    return f"private/{folder}/{uuid.uuid4().hex}"


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


# What an authority may attach to a proposal: documents and pictures. No HTML, SVG, script or archive:
# nothing a browser would run from the site's own origin.
DOCUMENT_KINDS = {
    "pdf": FileKind("pdf", "application/pdf", "PDF"),
    "png": FileKind("png", "image/png", "PNG"),
    "jpg": FileKind("jpg", "image/jpeg", "JPEG"),
    "webp": FileKind("webp", "image/webp", "WebP"),
    "docx": FileKind(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (.docx)"
    ),
    "xlsx": FileKind(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (.xlsx)"
    ),
    "pptx": FileKind(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint (.pptx)",
    ),
    "odt": FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text"),
    "ods": FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"),
    "odp": FileKind("odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument presentation"),
}
IMAGE_KINDS = {key: DOCUMENT_KINDS[key] for key in ("png", "jpg", "webp")}
# filetype's names for what it recognises, mapped to ours (it calls JPEG "jpg").
_DETECTED = {"jpeg": "jpg"}


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    size: int
    sha256: str
    name: str


def max_upload_bytes() -> int:
    return int(settings.GUICHET_MAX_FILE_MB) * 2**20


def clean_file_name(name: str, kind: FileKind) -> str:
    """The client's name, kept only as a label: no folders, no control characters, the right extension."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    stem = base.rsplit(".", 1)[0].strip(" .") or "file"
    return f"{stem[:150]}.{kind.extension}"


def check_upload(
    upload: UploadedFile, *, allowed: dict[str, FileKind], max_bytes: int, field: str = "file"
) -> CheckedUpload:
    """Refuse a file that is too large or whose content is not one of the allowed kinds.

    The kind is read from the bytes, never from the name or the browser's content type."""
    size = upload.size or 0
    if size > max_bytes:
        raise ValidationError(
            {
                field: _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "name": upload.name,
                    "size": number_format(size / 2**20, 1),
                    "limit": number_format(max_bytes / 2**20, 0),
                }
            }
        )
    if size == 0:
        raise ValidationError({field: _("%(name)s is empty.") % {"name": upload.name}})
    upload.seek(0)
    head = upload.read(8192)
    guess = filetype.guess(head)
    detected = _DETECTED.get(guess.extension, guess.extension) if guess else None
    kind = allowed.get(detected or "")
    if kind is None:
        raise ValidationError(
            {
                field: _("%(name)s is not an accepted file; accepted: %(kinds)s.")
                % {"name": upload.name, "kinds": ", ".join(k.label for k in allowed.values())}
            }
        )
    if kind in IMAGE_KINDS.values():
        _check_image(upload, field)
    if kind.extension in OFFICE_MAIN_PARTS:
        kind = _check_office(upload, field, kind, allowed)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        kind=kind, size=size, sha256=digest.hexdigest(), name=clean_file_name(upload.name or "", kind)
    )


# An office document is a zip: what makes it one is its declared parts, not a name inside the archive.
# OOXML (docx, xlsx, pptx): [Content_Types].xml declares the main part with its content type. ODF: the
# first member, "mimetype", stored uncompressed, names the kind; content.xml holds the document.
OFFICE_MAIN_PARTS = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "odt": ("content.xml", "application/vnd.oasis.opendocument.text"),
    "ods": ("content.xml", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": ("content.xml", "application/vnd.oasis.opendocument.presentation"),
}
# Macros: a VBA project in OOXML (and the macro-enabled content types), Basic or scripts in ODF.
MACRO_MEMBERS = ("vbaproject.bin", "vbadata.xml")
MACRO_FOLDERS = ("basic/", "scripts/")
MAX_OFFICE_MEMBERS = 2000
MAX_OFFICE_UNPACKED_BYTES = 100 * 2**20  # well above a real document, well below a zip bomb
MAX_OFFICE_RATIO = 500  # a member's declared size over its compressed size (deflate tops out near 1000)
MAX_MANIFEST_BYTES = 2**20


def _office_refusal(field: str, upload: UploadedFile, reason: str) -> ValidationError:
    return ValidationError(
        {
            field: _("%(name)s is not an accepted office document: %(reason)s")
            % {"name": upload.name, "reason": reason}
        }
    )


def _office_members(upload: UploadedFile, field: str) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """The archive's members, read from its central directory only: nothing is unpacked before the
    count, the total declared size and each member's compression ratio are within bounds."""
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _office_refusal(field, upload, _("the archive is damaged")) from None
    if len(infos) > MAX_OFFICE_MEMBERS:
        raise _office_refusal(field, upload, _("it holds too many parts"))
    total = sum(info.file_size for info in infos)
    if total > MAX_OFFICE_UNPACKED_BYTES or any(
        info.file_size > MAX_OFFICE_RATIO * max(info.compress_size, 1024) for info in infos
    ):
        raise _office_refusal(field, upload, _("it unpacks to far more than its size (a zip bomb)"))
    return archive, {info.filename: info for info in infos}


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as handle:
        return handle.read(MAX_MANIFEST_BYTES + 1)[:MAX_MANIFEST_BYTES]


def _ooxml_types(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> dict[str, str] | None:
    """Part name (without its leading slash) -> declared content type, from [Content_Types].xml."""
    from xml.etree import ElementTree

    info = members.get("[Content_Types].xml")
    if info is None:
        return None
    try:
        root = ElementTree.fromstring(_read_small(archive, info))
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, OSError, ValueError):
        return None
    types = {}
    for element in root:
        if element.tag.endswith("Override"):
            types[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
        elif element.tag.endswith("Default"):
            types["*." + element.get("Extension", "").lower()] = element.get("ContentType", "")
    return types


def _office_kind(
    upload: UploadedFile, field: str, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]
) -> str:
    lowered = [name.lower() for name in members]
    if any(name.rsplit("/", 1)[-1] in MACRO_MEMBERS or name.startswith(MACRO_FOLDERS) for name in lowered):
        raise _office_refusal(field, upload, _("it contains macros"))
    if "mimetype" in members:
        declared = _read_small(archive, members["mimetype"]).decode("ascii", errors="replace").strip()
        for extension, (part, content_type) in OFFICE_MAIN_PARTS.items():
            if content_type == declared and part in members:
                return extension
        raise _office_refusal(field, upload, _("its declared type or its content part is missing"))
    types = _ooxml_types(archive, members)
    if types is None:
        raise _office_refusal(field, upload, _("it has no valid [Content_Types].xml"))
    if any("macroenabled" in value.lower() or "vbaproject" in value.lower() for value in types.values()):
        raise _office_refusal(field, upload, _("it contains macros"))
    for extension, (part, content_type) in OFFICE_MAIN_PARTS.items():
        if types.get(part) == content_type and part in members:
            return extension
    raise _office_refusal(field, upload, _("its main part is missing or not declared"))


def _check_office(
    upload: UploadedFile, field: str, detected: FileKind, allowed: dict[str, FileKind]
) -> FileKind:
    """A Word, Excel, PowerPoint or OpenDocument file that is one: its parts declared, its main part
    there, no macros, no zip bomb. Its kind is the one its parts declare."""
    archive, members = _office_members(upload, field)
    try:
        with archive:
            extension = _office_kind(upload, field, archive, members)
    finally:
        upload.seek(0)
    kind = allowed.get(extension)
    if kind is None:
        raise _office_refusal(field, upload, _("this kind of document is not accepted here"))
    return kind


def _check_image(upload: UploadedFile, field: str) -> None:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            {field: _("%(name)s is not a readable picture.") % {"name": upload.name}}
        ) from None
    finally:
        upload.seek(0)


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        digest.update(chunk)
    return digest.hexdigest()


def file_response(
    stored: FieldFile, *, download_name: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """The bytes of a private file, after the caller's view has decided that the user may read them.

    `GUICHET_SENDFILE=nginx` answers with `X-Accel-Redirect` to the internal location
    `GUICHET_SENDFILE_PREFIX` (nginx then reads the file); `apache` with `X-Sendfile` and the absolute path.
    Without it, Django streams the file itself."""
    mode = settings.GUICHET_SENDFILE
    response: HttpResponse
    if mode == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.GUICHET_SENDFILE_PREFIX.rstrip("/") + "/" + str(stored.name)
    elif mode == "apache":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = stored.path
    else:
        response = FileResponse(stored.open("rb"), content_type=content_type)  # type: ignore[assignment]
    response["Content-Disposition"] = content_disposition_header(not inline, download_name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were talked into rendering it, the file runs nothing and reaches nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def image_response(stored: FieldFile, *, download_name: str) -> HttpResponse:
    """A stored picture shown in a page: its type read from its bytes; anything else is not served."""
    with stored.open("rb") as handle:
        guess = filetype.guess(handle.read(8192))
    detected = _DETECTED.get(guess.extension, guess.extension) if guess else ""
    kind = IMAGE_KINDS.get(detected)
    if kind is None:
        raise Http404
    return file_response(
        stored, download_name=f"{download_name}.{kind.extension}", content_type=kind.content_type, inline=True
    )


def download_response(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    """Bytes the product made (a PDF, a workbook, a CSV) as a download under a name in any language:
    the header carries an ASCII fallback and the UTF-8 name (RFC 6266), so "Aurore (DÉMO).pdf" arrives
    whole."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
