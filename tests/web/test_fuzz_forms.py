"""Hostile input on every form of the site: no answer is a server error.

Every URL pattern of the URL configuration that accepts POST is found by walking the resolver (a view that
reads ``request.POST`` or ``request.FILES``, one behind ``require_POST``, or a class-based view with a
``post`` method). Each one is either fuzzed here or excluded with its reason: a new form that is neither
fails `test_every_post_route_is_fuzzed_or_excluded`.

For each route, the role that may use it signs in, the page that carries the form is read, and its fields
(inputs, selects, textareas, file inputs) are found in the HTML. Starting from a valid filling, hypothesis
replaces any number of fields with hostile values: numbers out of every range (negative, NaN, infinities,
1e308, 2**63), texts of 10 MB, NUL bytes, control and right-to-left characters, mathtext, malformed dates
and versions, and for file fields empty files, decompression bombs, files of the wrong type and files above
the upload limit. Each POST runs in a rolled-back transaction, so that every example starts from the same
scene. The run is derandomized (CI replays the same examples); `GUICHET_FUZZ_EXAMPLES` changes its size.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import itertools
import os
import traceback
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from PIL import Image

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, Premises
from guichet.labour.models import ImportKind
from guichet.offers import evaluation
from guichet.offers import services as offer_services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, Proposal
from guichet.projects import services as project_services
from guichet.projects.models import Project, Stage
from guichet.sources import cnig

from ..routes import post_routes

EXAMPLES = int(os.environ.get("GUICHET_FUZZ_EXAMPLES", "40"))
# GUICHET_FUZZ_SWEEP=1 adds, after the random examples, every hostile value in every field one at a time
# (thousands of POSTs: for a hunt, not for CI).
SWEEP = os.environ.get("GUICHET_FUZZ_SWEEP") == "1"


# --- the forms on a page --------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # an input's type, "select", "textarea"
    values: list[str] = field(default_factory=list)  # what the page submits as it is
    options: list[str] = field(default_factory=list)  # a select's options, a checkbox group's values


@dataclass
class Form:
    action: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """The POST forms of a page, with their fields as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.selected: list[str] = []
        self.option: str | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                enctype = a.get("enctype", "")
                self.form = Form(action=a.get("action", ""), multipart=enctype.startswith("multipart"))
                self.forms.append(self.form)
            return
        form = self.form
        name = a.get("name")
        if form is None:
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            item = form.fields.setdefault(name, Field(name, kind))
            if kind in ("checkbox", "radio"):
                item.options.append(a.get("value", "on"))
                if "checked" in a:
                    item.values.append(a.get("value", "on"))
            elif kind != "file":
                item.values = [a.get("value", "")]
        elif tag == "select" and name:
            self.select = form.fields.setdefault(name, Field(name, "select"))
            self.selected = []
        elif tag == "option" and self.select is not None:
            self.option = a.get("value")
            value = self.option if self.option is not None else ""
            self.select.options.append(value)
            if "selected" in a:
                self.selected.append(value)
        elif tag == "textarea" and name:
            self.textarea = form.fields.setdefault(name, Field(name, "textarea", values=[""]))

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.values = [self.textarea.values[0] + data]
        if self.select is not None and self.option is None and self.select.options:
            # <option>text</option> without a value attribute submits its text.
            self.select.options[-1] += data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            if self.selected:
                self.select.values = self.selected
            elif self.select.options:
                self.select.values = [self.select.options[0]]
            self.select = None
        elif tag == "option":
            self.option = None
        elif tag == "textarea" and self.textarea is not None:
            # The template's leading newline after <textarea> is not part of the value.
            self.textarea.values = [self.textarea.values[0].removeprefix("\n")]
            self.textarea = None


def form_for(html: str, page_url: str, url: str) -> Form | None:
    """The POST form of the page whose action is `url` (an empty action posts to the page itself)."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        target = urlsplit(form.action).path if form.action else urlsplit(page_url).path
        if target == url:
            return form
    return None


# --- hostile values -------------------------------------------------------------------------------------

TEN_MB = "x" * (10 * 2**20)
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1e308",
    "-1e308",
    "1e309",
    "1e-400",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    str(2**63),
    str(-(2**63) - 1),
    str(2**31),
    str(2**31 - 1),
    str(2**53 + 1),
    "9" * 400,
    "0." + "0" * 400 + "1",
    "1e6",
    "1,5",
    "1 000",
    "1\u202f000",
    "١٢٣",  # Arabic-Indic digits
    "１２",  # full-width digits
    "0x1F",
    "1_000",
    "+5",
    "12abc",
    "99999999.999",
    "1E+2147483648",
]
TEXTS = [
    "",
    " ",
    TEN_MB,
    "a" * 100_001,
    "\x00",
    "a\x00b",
    "\x1b[31m\x07\x08",
    "\u202eevil\u202c",
    "\ufeff",
    "\ud7ff\ue000\U0010ffff",
    "💥" * 1000,
    "Ω≈ç√∫",
    "$x$",
    "$\\frac{1}{0}$",
    "$\\sqrt{\\sqrt{\\sqrt{x}}}$" * 50,
    "$$$$",
    "<script>alert(1)</script>",
    "'; DROP TABLE catalogue_premises; --",
    "%s %(x)s {0} {x} %n",
    "../../../../etc/passwd",
    "\r\n\r\nSet-Cookie: x=1",
    "=cmd|' /C calc'!A0",
]
DATES = [
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2024-02-30",
    "2024-13-01",
    "2027-09-01T25:61",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "31/12/9999",
    "1e308",
    "now",
]
CHOICES = ["not-a-choice", "-1", "0", str(2**63), "00000000-0000-0000-0000-000000000000", "1:2:3", ":"]
VERSIONS = ["-1", "abc", str(2**31), str(2**63), "1.5", "", "0"]


def _png() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(image, format="PNG")
    return image.getvalue()


def _zip(member: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


ZEROS = b"0" * (40 * 2**20)  # 40 MB that compress to a few tens of kilobytes
BOMBS = {
    "bomb.zip": _zip("StockEtablissement.csv", ZEROS),
    "bomb.csv.gz": gzip.compress(ZEROS, compresslevel=9),
    "bomb.xlsx": _zip("xl/worksheets/sheet1.xml", b"<x>" + ZEROS + b"</x>"),
}
del ZEROS
OVER_LIMIT = 2**20 + 1  # the test sets every upload limit to 1 MB
FILES: list[tuple[str, bytes, str]] = [
    ("empty.csv", b"", "text/csv"),
    ("empty.pdf", b"", "application/pdf"),
    ("nul.csv", b"\x00" * 4096, "text/csv"),
    ("latin1.csv", "nom;commune\nCafé;Besançon\n".encode("latin-1"), "text/csv"),
    ("invalid-utf8.csv", b"\xff\xfe\xfa\xfb;\x80\x81\n" * 50, "text/csv"),
    ("picture.csv", _png(), "text/csv"),
    ("program.pdf", b"MZ\x90\x00" + b"\x00" * 512, "application/pdf"),
    ("text.pdf", b"not a pdf at all", "application/pdf"),
    ("truncated.pdf", b"%PDF-1.4\n1 0 obj <<", "application/pdf"),
    ("truncated.xlsx", b"PK\x03\x04" + b"\x00" * 64, "application/vnd.ms-excel"),
    ("garbage.parquet", b"PAR1" + b"\x01" * 64 + b"PAR1", "application/octet-stream"),
    ("garbage.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "application/vnd.ms-excel"),
    ("over-limit.csv", b"a;b\n" * (OVER_LIMIT // 4 + 1), "text/csv"),
    ("over-limit.pdf", b"%PDF-1.4\n" + b"0" * OVER_LIMIT, "application/pdf"),
    ("../../etc/passwd", b"root:x:0:0\n", "text/plain"),
    ("\u202efdp.exe", b"%PDF-1.4\n", "application/pdf"),
    ("a" * 300 + ".pdf", b"%PDF-1.4\n", "application/pdf"),
    ("nul\x00name.pdf", b"%PDF-1.4\n", "application/pdf"),
    ("noextension", b"%PDF-1.4\n", "application/pdf"),
    (".pdf", b"%PDF-1.4\n", "application/pdf"),
    *((name, content, "application/octet-stream") for name, content in BOMBS.items()),
]


def hostile_value(kind: str) -> st.SearchStrategy[str]:
    typed = {
        "number": NUMBERS,
        "date": DATES,
        "datetime-local": DATES,
        "select": CHOICES,
        "radio": CHOICES,
        "checkbox": CHOICES,
        "hidden": VERSIONS + NUMBERS,
    }.get(kind, TEXTS)
    return st.one_of(st.sampled_from(typed), st.sampled_from(NUMBERS + TEXTS + DATES), st.text(max_size=50))


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def baseline(form: Form, good: dict[str, Any]) -> dict[str, Any]:
    """The valid filling: the page's own values, with the target's good values over them."""
    data: dict[str, Any] = {}
    for name, item in form.fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        if item.kind == "file":
            if name in good:
                data[name] = upload(*good[name])
        elif name in good:
            data[name] = good[name]
        elif item.values:
            data[name] = item.values if len(item.values) > 1 else item.values[0]
    return data


@st.composite
def submissions(draw: st.DrawFn, form: Form, good: dict[str, Any]) -> dict[str, Any]:
    """The valid filling with one of its fields, or any number of them, made hostile (given a hostile
    value or file, left out, or given several values), and sometimes a field the form does not have."""
    data = baseline(form, good)
    names = sorted(name for name in form.fields if name != "csrfmiddlewaretoken")
    if not names:
        chosen: list[str] = []
    elif draw(st.integers(0, 3)):
        chosen = [draw(st.sampled_from(names))]
    else:
        chosen = draw(st.lists(st.sampled_from(names), unique=True, min_size=1))
    for name in chosen:
        item = form.fields[name]
        if item.kind == "file":
            data[name] = upload(*draw(st.sampled_from(FILES)))
            continue
        how = draw(st.sampled_from(["hostile", "hostile", "hostile", "missing", "several"]))
        if how == "missing":
            data.pop(name, None)
        elif how == "several":
            data[name] = [draw(hostile_value(item.kind)), draw(hostile_value(item.kind))]
        else:
            data[name] = draw(hostile_value(item.kind))
    if draw(st.integers(0, 4)) == 0:
        data[draw(st.sampled_from(["version", "owner", "id", "pk", "status", "x" * 200]))] = draw(
            hostile_value("text")
        )
    return data


# --- the routes, who posts them, and where their form is ------------------------------------------------


@dataclass(frozen=True)
class Target:
    role: str  # who posts: anonymous, alice, bob, agnes
    args: tuple[str, ...] = ()  # scene objects, in URL order
    page: str | None = None  # the route of the page that carries the form (None: the URL itself)
    page_args: tuple[str, ...] = ()
    good: dict[str, Any] = field(default_factory=dict)  # a valid filling, over the page's own values
    on_page: bool = True  # False: the scene does not show this form; junk fields are posted instead


PREMISES = {
    "name": "Bureaux du port",
    "commune": "25056",
    "total_area_m2": "2000",
    "available_area_m2": "2000",
    "available_from": "2027-01-01",
    "rent_eur_m2_year": "95",
}
PROJECT = {"code_name": "Projet Borée", "company_name": "Borée SAS", "contact_email": "dg@boree.example"}
CNIG_SITE = (cnig.SCHEMA_DIR / cnig.SITE / "exemple-valide.csv").read_bytes()

FUZZED: dict[str, list[Target]] = {
    "accounts:login": [Target("anonymous", good={"username": "alice", "password": "pw-alice-123"})],
    "accounts:logout": [Target("alice", page="portal:home")],
    "set_language": [Target("anonymous", page="portal:home", good={"language": "en", "next": "/"})],
    "portal:project_submit": [
        Target(
            "anonymous",
            good={
                "company_name": "Borée SAS",
                "contact_name": "Jeanne Martin",
                "contact_email": "jeanne@boree.example",
                "description": "Un centre de relation client de 150 postes.",
                "seats": "150",
                "consent": "on",
            },
        )
    ],
    "catalogue:premises_create": [Target("alice", good=PREMISES)],
    "catalogue:premises_edit": [Target("alice", ("private_premises",))],
    "catalogue:premises_archive": [Target("alice", ("private_premises",), page="catalogue:space")],
    "catalogue:incentive_create": [
        Target(
            "alice", good={"name": "Aide", "kind": "grant_per_job", "amount": "1000", "unit": "eur_per_job"}
        )
    ],
    "catalogue:incentive_edit": [Target("alice", ("grant",))],
    "catalogue:incentive_archive": [Target("alice", ("grant",), page="catalogue:space")],
    "catalogue:cnig_import": [
        Target("alice", good={"kind": cnig.SITE, "file": ("sites.csv", CNIG_SITE, "text/csv")})
    ],
    "labour:import_upload": [
        Target("agnes", (kind,), page="labour:imports", good={f"{kind}-naf": "82.20Z"})
        for kind in ("sirene", "zones", "job_seekers", "france_travail", "travel_times")
    ],
    "labour:centre_create": [
        Target("agnes", page="labour:imports", good={"name": "Centre", "commune": "25056", "jobs_low": "80"})
    ],
    "labour:zoning_upload": [
        Target(
            "agnes",
            page="labour:imports",
            good={
                "zoning-kind": "afr",
                "zoning-file": ("afr.csv", b"insee;zone\n25056;c_predefined\n", "text/csv"),
                "zoning-source": "décret n° 2022-968",
                "zoning-vintage": "2022-2027",
            },
        )
    ],
    "labour:centre_edit": [Target("agnes", ("centre",), good={"jobs_low": "80"})],
    "labour:centre_delete": [Target("agnes", ("centre",), page="labour:imports")],
    "projects:create": [Target("agnes", good=PROJECT)],
    "projects:edit": [Target("agnes", ("project",))],
    "projects:size": [Target("agnes", ("project",), page="projects:detail", page_args=("project",))],
    "projects:move": [Target("agnes", ("project",), page="projects:detail", page_args=("project",))],
    "projects:jobs": [
        Target(
            "agnes",
            ("won_project",),
            page="projects:detail",
            page_args=("won_project",),
            good={"year": "2028", "jobs": "40"},
        )
    ],
    "projects:outcome": [
        Target("agnes", ("won_project",), page="projects:detail", page_args=("won_project",))
    ],
    "projects:disclose": [Target("agnes", ("project",), page="projects:detail", page_args=("project",))],
    "offers:call_create": [
        Target(
            "agnes",
            ("project",),
            good={"brief": "Centre de 150 postes.", "deadline": "2030-01-15T12:00"},
        )
    ],
    "offers:call_exclude": [
        Target("agnes", ("draft_call",), page="offers:call_detail", page_args=("draft_call",))
    ],
    "offers:call_include": [
        Target("agnes", ("draft_call",), page="offers:call_detail", page_args=("draft_call",))
    ],
    "offers:call_open": [
        Target("agnes", ("draft_call",), page="offers:call_detail", page_args=("draft_call",))
    ],
    "offers:call_answer": [Target("alice", ("open_call",), good={"p{temis}_offer": "on"})],
    "offers:call_deadline": [
        Target(
            "agnes",
            ("open_call",),
            page="offers:call_detail",
            page_args=("open_call",),
            good={"new_deadline": "2030-01-15T12:00", "reason": "Demande des collectivités"},
        )
    ],
    # Its form shows once every consulted authority has answered (not yet in the open call): the service
    # refuses the early close, and the junk posted instead of the form must not break it either.
    "offers:call_close": [
        Target(
            "agnes",
            ("open_call",),
            page="offers:call_detail",
            page_args=("open_call",),
            good={"reason": "Toutes les collectivités ont répondu"},
            on_page=False,
        )
    ],
    "offers:call_cancel": [
        Target(
            "agnes",
            ("open_call",),
            page="offers:call_detail",
            page_args=("open_call",),
            good={"reason": "Projet abandonné"},
        )
    ],
    "offers:clarification_ask": [
        Target(
            "alice",
            ("open_call",),
            page="offers:call_detail",
            page_args=("open_call",),
            good={"question": "Le parking est-il gardé ?"},
        )
    ],
    "offers:clarification_answer": [
        Target(
            "agnes",
            ("question",),
            page="offers:call_detail",
            page_args=("open_call",),
            good={"answer": "Oui."},
        )
    ],
    "offers:call_decide": [
        Target("agnes", ("private_call",), page="offers:call_compare", page_args=("private_call",))
    ],
    "offers:call_choose": [
        Target("agnes", ("decided_call",), page="offers:call_detail", page_args=("decided_call",))
    ],
    "offers:call_sign": [
        Target("agnes", ("decided_call",), page="offers:call_detail", page_args=("decided_call",))
    ],
    # Its form shows only when an e-mail failed to go out; nothing fails in the tests' mail backend.
    "offers:call_resend": [
        Target(
            "agnes", ("private_call",), page="offers:call_detail", page_args=("private_call",), on_page=False
        )
    ],
    "offers:dossier_create": [
        Target("agnes", ("private_call",), page="offers:call_detail", page_args=("private_call",))
    ],
    "offers:dossier_revoke": [
        Target("agnes", ("dossier_link",), page="offers:call_detail", page_args=("private_call",))
    ],
}
EXCLUDED: dict[str, str] = {
    "/admin/login/": "a redirect to accounts:login (fuzzed above), whatever the method",
    "projects:adopt_sizing": "a button without a field (the sizing is in the address): nothing to fuzz; "
    "tests/projects/test_need.py posts it",
}
EXCLUDED_NAMESPACES: dict[str, str] = {
    "admin": "Django's own admin: its forms and their validation are Django's, for agency staff only",
    "api": "the JSON API is fuzzed from its OpenAPI schema by tests/api/test_schemathesis.py",
}
STATUSES: Counter[str] = Counter()


def test_every_post_route_is_fuzzed_or_excluded() -> None:
    routes = post_routes()
    covered = set(FUZZED) | set(EXCLUDED)
    loose = sorted(
        name for name in routes if name not in covered and name.split(":")[0] not in EXCLUDED_NAMESPACES
    )
    assert loose == [], "a route taking POST that is neither fuzzed nor excluded with a reason"
    assert sorted(set(FUZZED) - set(routes)) == [], "a fuzzed route that no longer takes POST"
    assert len(FUZZED) >= 35


# --- the scene ------------------------------------------------------------------------------------------


@pytest.fixture
def fuzz_scene(scene: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The site-wide scene, plus a draft call, an open call with Bob's proposal in it, and a decided call
    whose investor chose Alice's offer (signature pending)."""
    agnes: User = scene["users"]["agnes"]
    alice: User = scene["users"]["alice"]
    bob: User = scene["users"]["bob"]
    project = Project.objects.get(pk=scene["project"])
    open_call = CallForOffers.objects.get(public_id=scene["open_call"])
    temis = Premises.objects.get(owner=alice.authority, name="Temis")
    belfort = Premises.objects.get(owner=bob.authority)
    offer_services.proposal_submit(
        actor=bob, call=open_call, offers=[OfferTerms(belfort.pk, 3000, Decimal(85))]
    )
    deadline = timezone.now() + dt.timedelta(days=10)
    draft = offer_services.call_create(
        actor=agnes, project=project, title="Brouillon", brief="b", deadline=deadline
    )
    decided = offer_services.call_create(
        actor=agnes, project=project, title="Décidé", brief="b", deadline=deadline
    )
    offer_services.call_open(actor=agnes, call=decided)
    proposal: Proposal = offer_services.proposal_submit(
        actor=alice, call=decided, offers=[OfferTerms(temis.pk, 3000, Decimal(90))]
    )
    CallForOffers.objects.filter(pk=decided.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    decided.refresh_from_db()
    offer_services.call_decide(actor=agnes, call=decided, weights=evaluation.call_weights(call=decided))
    decided.refresh_from_db()
    offer_services.call_choose_offer(actor=agnes, call=decided, proposal=proposal, premises_id=temis.pk)
    # Every upload limit at 1 MB: the over-limit files stay small.
    settings.GUICHET_UPLOAD_LIMITS = dict.fromkeys(settings.GUICHET_UPLOAD_LIMITS, 1)
    settings.GUICHET_MAX_FILE_MB = 1
    assert Authority.objects.count() == 2
    won = project_services.project_create(actor=agnes, code_name="Zéphyr", company_name="Zéphyr SAS")
    for stage in (Stage.QUALIFIED, Stage.SHORTLIST):
        project_services.project_move(actor=agnes, project=won, stage=stage)
    project_services.project_move(actor=agnes, project=won, stage=Stage.WON, jobs_announced=120)
    return {
        **scene,
        **{kind: kind for kind in ImportKind.values},
        "draft_call": draft.public_id,
        "decided_call": decided.public_id,
        "won_project": won.pk,
        "temis": temis.pk,
    }


# --- the fuzzing ----------------------------------------------------------------------------------------


def _targets() -> Iterator[tuple[str, int]]:
    for name, targets in sorted(FUZZED.items()):
        for index in range(len(targets)):
            yield name, index


def _summary(data: dict[str, Any]) -> dict[str, str]:
    """The submitted values, short enough to read in a report."""

    def short(value: Any) -> str:
        if isinstance(value, SimpleUploadedFile):
            return f"<file {value.name[:40]!r}, {value.size} bytes>"
        text = repr(value)
        return text if len(text) <= 80 else f"{text[:60]}... ({len(text)} chars)"

    return {name: short(value) for name, value in data.items()}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index"), list(_targets()))
def test_no_server_error(name: str, index: int, fuzz_scene: dict[str, Any]) -> None:
    target = FUZZED[name][index]
    client = Client()
    if target.role != "anonymous":
        client.force_login(fuzz_scene["users"][target.role])
    url = reverse(name, args=[fuzz_scene[arg] for arg in target.args])
    page_url = reverse(target.page, args=[fuzz_scene[a] for a in target.page_args]) if target.page else url
    page = client.get(page_url)
    assert page.status_code == 200, f"{page_url} answers {page.status_code} to {target.role}"
    form = form_for(page.content.decode(), page_url, url)
    good = {key.format(**fuzz_scene): value for key, value in target.good.items()}
    if target.on_page:
        assert form is not None, f"no form posting to {url} on {page_url}"
    else:
        assert form is None, f"{url} now shows on {page_url}: fuzz its form"
        form = Form(action=url, multipart=False)
    failures: list[str] = []
    statuses: Counter[int] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=submissions(form, good))
    def post(data: dict[str, Any]) -> None:
        for cache in caches.all():  # no rate limit cuts the run short
            cache.clear()
        status: int | str
        with transaction.atomic():
            try:
                response = client.post(url, data)
                status = response.status_code
            except Exception:
                status = 500
                failures.append(f"{_summary(data)}\n{traceback.format_exc(limit=-4)}")
            else:
                if status >= 500:
                    failures.append(f"{_summary(data)}\n{response.status_code}")
            transaction.set_rollback(True)
        statuses[int(status)] += 1

    with transaction.atomic():
        valid = client.post(url, baseline(form, good))
        transaction.set_rollback(True)
    assert valid.status_code < 500
    STATUSES[f"{name} valid {valid.status_code}"] += 1
    post()
    if SWEEP:  # every hostile value of its kind in every field, one field at a time
        for field_name, item in form.fields.items():
            if field_name == "csrfmiddlewaretoken":
                continue
            values: list[Any] = {"number": NUMBERS, "date": DATES, "datetime-local": DATES}.get(
                item.kind, NUMBERS + TEXTS + DATES + CHOICES
            )
            if item.kind == "file":
                values = [*FILES, *itertools.pairwise(FILES)]
            for value in values:
                if item.kind == "file":
                    files = value if isinstance(value[0], tuple) else (value,)
                    value = [upload(*file) for file in files]
                data = {**baseline(form, good), field_name: value}
                with transaction.atomic():
                    try:
                        response = client.post(url, data)
                    except Exception:
                        failures.append(f"{_summary(data)}\n{traceback.format_exc(limit=-4)}")
                    else:
                        statuses[response.status_code] += 1
                    transaction.set_rollback(True)
    for status, count in statuses.items():
        STATUSES[f"{name} {status}"] += count
    assert sum(statuses.values()) > 0
    assert not failures, f"{len(failures)} server errors on POST {url}:\n\n" + "\n\n".join(failures[:5])


def test_report_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints what the fuzzing ran (visible with -s): routes, examples and statuses per route."""
    with capsys.disabled():
        total = sum(STATUSES.values())
        print(f"\nform fuzzing: {len(FUZZED)} routes, {total} POSTs")
        for key, count in sorted(STATUSES.items()):
            print(f"  {key}: {count}")
