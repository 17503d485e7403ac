"""An office document is one: its parts declared, its main part there, no macros, no zip bomb."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.exports import csv_cell
from guichet.files import DOCUMENT_KINDS, IMAGE_KINDS, check_upload

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def content_types(*overrides: tuple[str, str]) -> str:
    parts = "".join(f'<Override PartName="/{part}" ContentType="{kind}"/>' for part, kind in overrides)
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="xml" ContentType="application/xml"/>{parts}</Types>'
    )


def archive(name: str, members: list[tuple[str, bytes | str]], stored: str = "") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        if stored:  # ODF: "mimetype" first and uncompressed
            target.writestr(zipfile.ZipInfo("mimetype"), stored, compress_type=zipfile.ZIP_STORED)
        for member, content in members:
            target.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue())


def check(upload: SimpleUploadedFile) -> str:
    return check_upload(
        upload, allowed=DOCUMENT_KINDS, max_bytes=20 * 2**20, field="attachment"
    ).kind.extension


def refusal(upload: SimpleUploadedFile) -> str:
    with pytest.raises(ValidationError) as raised:
        check(upload)
    [message] = raised.value.message_dict["attachment"]
    return message


REAL_DOCX = [
    ("[Content_Types].xml", content_types(("word/document.xml", WORD))),
    ("word/document.xml", "<w/>"),
]


def test_real_documents_are_accepted_with_the_kind_their_parts_declare() -> None:
    assert check(archive("offre.docx", REAL_DOCX)) == "docx"
    workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    xlsx = [
        ("[Content_Types].xml", content_types(("xl/workbook.xml", workbook))),
        ("xl/workbook.xml", "<w/>"),
    ]
    assert check(archive("chiffres.xlsx", xlsx)) == "xlsx"
    odt = archive(
        "offre.odt", [("content.xml", "<office/>")], stored="application/vnd.oasis.opendocument.text"
    )
    assert check(odt) == "odt"


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        (
            [("word/x.html", "<html><script>alert(1)</script></html>")],
            "il n’a pas de [Content_Types].xml valide",
        ),
        ([("[Content_Types].xml", content_types()), ("word/document.xml", "<w/>")], "sa partie principale"),
        ([*REAL_DOCX, ("word/vbaProject.bin", b"\x00VBA")], "il contient des macros"),
        (
            [
                (
                    "[Content_Types].xml",
                    content_types(
                        ("word/document.xml", WORD.replace("document.main", "document.macroEnabled.main"))
                    ),
                ),
                ("word/document.xml", "<w/>"),
            ],
            "il contient des macros",
        ),
        ([*REAL_DOCX, ("word/media/big.bin", b"\x00" * (150 * 2**20))], "une bombe zip"),
    ],
)
def test_a_false_or_dangerous_office_document_is_refused_naming_why(members: list, reason: str) -> None:
    message = refusal(archive("offre.docx", members))
    assert message.startswith("offre.docx n’est pas un document bureautique accepté\u00a0: ")
    assert reason in message


def test_an_opendocument_with_macros_is_refused() -> None:
    odt = archive(
        "offre.odt",
        [("content.xml", "<office/>"), ("Basic/Standard/Module1.xml", "<macro/>")],
        stored="application/vnd.oasis.opendocument.text",
    )
    assert "il contient des macros" in refusal(odt)


def test_a_document_where_only_pictures_are_allowed_is_refused() -> None:
    with pytest.raises(ValidationError):
        check_upload(archive("offre.docx", REAL_DOCX), allowed=IMAGE_KINDS, max_bytes=2**20)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+33 1 23", "'+33 1 23"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-0.5", "-0.5"),  # a negative longitude stays a number
        ("+3", "+3"),
        ("12,5", "12,5"),
        ("Parc des Tilleuls", "Parc des Tilleuls"),
    ],
)
def test_cnig_cells_are_formula_safe_and_numbers_stay_numbers(cell: str, written: str) -> None:
    assert csv_cell(cell) == written
