"""The journey deploy/smoke plays through nginx, over HTTP, as the demo's people would in their browsers.

The agency sends a call for the demo project to Besançon and Belfort; Besançon's officer answers with a PDF
attachment; the deadline passes (moved in the database, as tests/scene.close_call does: the pages refuse a
deadline in the past); the agency reads the attachment, which gunicorn hands to nginx by X-Accel-Redirect;
Belfort's officer, a competitor, gets 404; the investor's private link gives the dossier's PDF, rendered
ahead by a background worker. Each check is printed with its result; the first broken step stops the
journey (the checks after it could only fail for its reason).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import html
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests

PASSWORD = "guichet-demo"  # guichet.commands.demo.DEMO_PASSWORD
DEMO_PROJECT = "Projet Aurore (DÉMO)"  # guichet.projects.demo.DEMO_CODE_NAME
BESANCON = "Grand Besançon Métropole"
BELFORT = "Grand Belfort Communauté d'Agglomération"
# What django-tasks' worker logs when a job ends well.
SUCCEEDED = "state=SUCCESSFUL"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class Broken(Exception):
    """A step that cannot go on: the journey stops there."""


@dataclass
class Checks:
    results: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.results.append((name, ok, detail))
        print(f"  {'ok  ' if ok else 'FAIL'}  {name}{f'  [{detail}]' if detail else ''}", flush=True)
        return ok

    def require(self, name: str, ok: bool, detail: str = "") -> None:
        if not self.check(name, ok, detail):
            raise Broken(name)

    @property
    def failed(self) -> int:
        return sum(not ok for _, ok, _ in self.results)


def brochure() -> bytes:
    """A PDF of a few hundred kilobytes, different at each run (its digest proves which bytes came back)."""
    filler = b"".join(b"% " + secrets.token_hex(60).encode() + b"\n" for _ in range(2500))
    return (
        b"%PDF-1.4\n1 0 obj << >> endobj\n% Plaquette du Grand Besancon\n"
        + filler
        + b"trailer << >>\n%%EOF\n"
    )


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise Broken("no CSRF token in the page")
    return match.group(1)


@dataclass
class Person:
    base: str
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.headers["Accept-Language"] = "en"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.base + path, allow_redirects=False, timeout=60, **kwargs)

    def post(
        self, path: str, data: dict[str, Any], *, page: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """A form sent as a browser does: with the CSRF token of the page that shows it."""
        token = csrf_token(page if page is not None else self.get(path).text)
        return self.session.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token, **data},
            allow_redirects=False,
            timeout=120,
            **kwargs,
        )

    def sign_in(self, username: str, password: str = PASSWORD) -> int:
        return self.post("/accounts/login/", {"username": username, "password": password}).status_code


@dataclass
class Journey:
    base_url: str  # nginx
    web_url: str  # gunicorn, reached directly only to see what it answers nginx
    var: Path
    database_url: str
    web_log: Path
    worker_logs: list[Path]
    checks: Checks = field(default_factory=Checks)

    def person(self, username: str | None = None) -> Person:
        person = Person(self.base_url)
        if username is not None:
            status = person.sign_in(username)
            self.checks.require(f"{username} signs in through nginx", status == 302, f"HTTP {status}")
        return person

    def play(self) -> Checks:
        steps: list[Callable[[], None]] = [self.static_files, self.sign_in_limit, self.call_and_proposal]
        try:
            for step in steps:
                step()
        except Broken:
            pass
        return self.checks

    # --- nginx alone ---------------------------------------------------------------------------------
    def static_files(self) -> None:
        home = requests.get(self.base_url + "/", timeout=30)
        self.checks.require(
            "the home page through nginx", home.status_code == 200, f"HTTP {home.status_code}"
        )
        match = re.search(r'href="(/static/[^"]+\.css)"', home.text)
        self.checks.require("the page links a hashed stylesheet", match is not None)
        assert match is not None
        path = match.group(1)
        response = requests.get(
            self.base_url + path, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30
        )
        raw = response.raw.read()
        body = gzip.decompress(raw) if response.headers.get("Content-Encoding") == "gzip" else raw
        on_disk = (self.var / "static" / path.removeprefix("/static/")).read_bytes()
        self.checks.check(
            "a static file comes from GUICHET_VAR_DIR/static, precompressed",
            response.status_code == 200
            and body == on_disk
            and response.headers.get("Content-Encoding") == "gzip",
            f"{path}: HTTP {response.status_code}, {len(raw):,} bytes gzip for {len(on_disk):,}",
        )
        self.checks.check(
            "it is cached for a year (hashed name)",
            "immutable" in response.headers.get("Cache-Control", ""),
            response.headers.get("Cache-Control", ""),
        )
        seen = [line for line in self.web_log.read_text().splitlines() if "/static/" in line]
        self.checks.check(
            "gunicorn never saw a /static/ request", seen == [], f"{len(seen)} in its access log"
        )

    def sign_in_limit(self) -> None:
        """Six wrong passwords on one username through nginx and three gunicorn workers: five answered.
        Every sign-in of the journey counts in nginx's client's bucket too (LOGIN_RATE_LIMIT, 10 a minute):
        these six and the three people's below."""
        visitor = Person(self.base_url)
        page = visitor.get("/accounts/login/").text
        name = f"smoke-{secrets.token_hex(3)}"
        statuses = [
            visitor.post(
                "/accounts/login/", {"username": name, "password": f"wrong-{n}"}, page=page
            ).status_code
            for n in range(6)
        ]
        self.checks.check(
            "sign-in limit: 5 wrong passwords, then refused (Redis, across the workers)",
            statuses == [200] * 5 + [429],
            " ".join(map(str, statuses)),
        )

    # --- the call for offers -------------------------------------------------------------------------
    def call_and_proposal(self) -> None:
        agency = self.person("agence")
        projects = agency.get("/projects/").text
        match = re.search(
            r'href="/projects/(\d+)/">' + re.escape(html.escape(DEMO_PROJECT, quote=False)), projects
        )
        self.checks.require("the agency finds the demo project", match is not None, DEMO_PROJECT)
        assert match is not None
        call_id = self.open_call(agency, int(match.group(1)))
        besancon = self.person("besancon")
        pdf = brochure()
        attachment = self.answer(besancon, call_id, pdf)
        belfort = self.person("belfort")
        sealed = agency.get(f"/attachments/{attachment}/")
        self.checks.check(
            "before the deadline the agency cannot read it (sealed): 404", sealed.status_code == 404
        )
        self.close(call_id)
        self.read_attachment(agency, belfort, attachment, pdf)
        self.emails_sent(agency, call_id)
        self.dossier(agency, call_id)

    def open_call(self, agency: Person, project: int) -> str:
        deadline = dt.datetime.now(ZoneInfo("Europe/Paris")) + dt.timedelta(days=10)
        form = agency.get(f"/calls/new/{project}/").text
        response = agency.post(
            f"/calls/new/{project}/",
            {
                "title": "Smoke test call",
                "brief": "Inbound contact centre, about 280 seats, opening in 2027.",
                "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
                "years": "9",
                "discount_rate": "0.04",
            },
            page=form,
        )
        match = re.fullmatch(rf"/calls/({UUID})/", response.headers.get("Location", ""))
        self.checks.require(
            "the agency drafts a call for offers", response.status_code == 302 and match is not None
        )
        assert match is not None
        call_id = match.group(1)
        page = agency.get(f"/calls/{call_id}/").text
        for name in (BESANCON, BELFORT):
            option = re.search(r'<option value="(\d+)">' + re.escape(html.escape(name)) + "</option>", page)
            if option is not None:  # not consulted by default: added, as the agency may
                agency.post(f"/calls/{call_id}/include/", {"authority": option.group(1)}, page=page)
                page = agency.get(f"/calls/{call_id}/").text
        opened = agency.post(f"/calls/{call_id}/open/", {"unreachable_confirmed": "on"}, page=page)
        page = agency.get(f"/calls/{call_id}/").text
        self.checks.require(
            "the agency sends it to Besançon and Belfort (and the others consulted)",
            opened.status_code == 302 and "Open for proposals" in page and html.escape(BELFORT) in page,
        )
        return call_id

    def answer(self, officer: Person, call_id: str, pdf: bytes) -> str:
        form = officer.get(f"/calls/{call_id}/answer/").text
        premises = re.search(r'name="p(\d+)_offer"', form)
        self.checks.require("Besançon's officer opens the proposal form", premises is not None)
        assert premises is not None
        prefix = f"p{premises.group(1)}"
        area = re.search(rf'name="{prefix}_area" value="(\d+)"', form)
        data = {
            "version": "",
            "training_places": "12",
            f"{prefix}_offer": "on",
            f"{prefix}_area": area.group(1) if area else "1000",
            f"{prefix}_rent": "88.50",
            f"{prefix}_charges": "18",
            f"{prefix}_free": "3",
            f"{prefix}_fitout": "0",
        }
        response = officer.post(
            f"/calls/{call_id}/answer/",
            data,
            page=form,
            files={"attachment": ("plaquette.pdf", pdf, "application/pdf")},
        )
        page = officer.get(f"/calls/{call_id}/").text
        match = re.search(rf'href="/attachments/({UUID})/"', page)
        self.checks.require(
            "Besançon submits a sealed proposal with a PDF attachment",
            response.status_code == 302 and "Receipt (SHA-256)" in page and match is not None,
            f"{len(pdf):,} bytes, SHA-256 {hashlib.sha256(pdf).hexdigest()[:16]}…",
        )
        assert match is not None
        return match.group(1)

    def close(self, call_id: str) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            moved = connection.execute(
                "UPDATE offers_callforoffers SET deadline = now() - interval '1 minute' WHERE public_id = %s",
                [call_id],
            ).rowcount
        self.checks.require("the deadline is moved to the past (in the database)", moved == 1)

    def read_attachment(self, agency: Person, belfort: Person, attachment: str, pdf: bytes) -> None:
        path = f"/attachments/{attachment}/"
        response = agency.get(path)
        digest = hashlib.sha256(response.content).hexdigest()
        self.checks.check(
            "after the deadline the agency reads the attachment through nginx: the same bytes",
            response.status_code == 200 and digest == hashlib.sha256(pdf).hexdigest(),
            f"HTTP {response.status_code}, {len(response.content):,} bytes, SHA-256 {digest[:16]}…",
        )
        headers = response.headers
        self.checks.check(
            "as a download, with the view's headers (type, name, nosniff, sandbox)",
            headers.get("Content-Type") == "application/pdf"
            and headers.get("Content-Disposition", "").startswith('attachment; filename="plaquette.pdf"')
            and headers.get("X-Content-Type-Options") == "nosniff"
            and "sandbox" in headers.get("Content-Security-Policy", "")
            and "X-Accel-Redirect" not in headers,
            f"{headers.get('Content-Type')}; {headers.get('Content-Disposition')}",
        )
        # The same request straight to gunicorn, with the agency's session: what nginx received.
        direct = agency.session.get(self.web_url + path, allow_redirects=False, timeout=60)
        redirect = direct.headers.get("X-Accel-Redirect", "")
        self.checks.check(
            "gunicorn answered with X-Accel-Redirect and no body: nginx sent the file",
            direct.status_code == 200
            and redirect.startswith("/_private_files/private/")
            and direct.content == b"",
            f"X-Accel-Redirect: {redirect}, body {len(direct.content)} bytes",
        )
        # The access log: `"GET /attachments/<id>/ HTTP/1.0" 200 0 ...`, nginx's request and the direct one
        # gunicorn writes the line once the answer is sent: it may come a moment after the client has it.
        for _ in range(50):
            logged = re.findall(rf'"GET {path} HTTP/1\.[01]" 200 (\S+) ', self.web_log.read_text())
            if len(logged) >= 2:
                break
            time.sleep(0.1)
        self.checks.check(
            "gunicorn's access log: its 200 answers to that address had 0 bytes of body",
            len(logged) >= 2 and set(logged) <= {"0", "-"},
            f"{len(logged)} answers, sizes {', '.join(logged)}",
        )
        if redirect:
            internal = requests.get(self.base_url + redirect, timeout=30)
            self.checks.check(
                "the internal location is not reachable from outside: 404",
                internal.status_code == 404,
                f"HTTP {internal.status_code}",
            )
        competitor = belfort.get(path)
        self.checks.check(
            "Belfort's officer (a competitor) gets 404",
            competitor.status_code == 404,
            f"HTTP {competitor.status_code}",
        )
        anonymous = requests.get(self.base_url + path, timeout=30)
        self.checks.check(
            "an anonymous visitor gets 404", anonymous.status_code == 404, f"HTTP {anonymous.status_code}"
        )

    def emails_sent(self, agency: Person, call_id: str) -> None:
        """The call's e-mails are jobs: the background workers send them (the console backend here)."""
        deadline = time.monotonic() + 90
        while True:
            page = agency.get(f"/calls/{call_id}/").text
            statuses = re.findall(r'class="badge delivery-(\w+)"', page)
            waiting = [s for s in statuses if s in ("queued", "sending")]
            if not waiting or time.monotonic() > deadline:
                break
            time.sleep(1)
        self.checks.check(
            "the background workers sent the call's e-mails",
            statuses.count("sent") > 0 and not waiting,
            f"{statuses.count('sent')} sent, {len(waiting)} waiting",
        )

    def dossier(self, agency: Person, call_id: str) -> None:
        page = agency.get(f"/calls/{call_id}/").text
        proposals = re.findall(rf'name="proposal" value="({UUID})"', page)
        self.checks.require("the agency can make the investor's dossier", bool(proposals))
        agency.post(
            f"/calls/{call_id}/dossier-links/", {"proposal": proposals, "valid_days": "30"}, page=page
        )
        link = re.search(r"/dossier/([\w-]+)/", agency.get(f"/calls/{call_id}/").text)
        self.checks.require("a private link for the investor is shown once", link is not None)
        assert link is not None
        investor = Person(self.base_url)
        base = f"/dossier/{link.group(1)}/"
        opened = investor.get(base)
        self.checks.check(
            "the investor opens the dossier with the link alone",
            opened.status_code == 200 and html.escape(DEMO_PROJECT, quote=False) in opened.text,
            f"HTTP {opened.status_code}",
        )
        started, waited = time.monotonic(), 0
        while True:
            pdf = investor.get(base + "dossier.pdf")
            if pdf.status_code != 202 or time.monotonic() - started > 180:
                break
            waited += 1
            time.sleep(1)
        self.checks.check(
            "the investor downloads the dossier's PDF, rendered by a background worker",
            pdf.status_code == 200
            and pdf.content.startswith(b"%PDF")
            and pdf.headers.get("Content-Type") == "application/pdf",
            f"HTTP {pdf.status_code}, {len(pdf.content):,} bytes after {time.monotonic() - started:.1f} s "
            f"({waited} answers 202 'being prepared' before)",
        )
        ran = {log.stem: log.read_text().count(SUCCEEDED) for log in self.worker_logs}
        self.checks.check(
            "the jobs (e-mails, dossier renders) were run by the background workers",
            sum(ran.values()) > 0,
            ", ".join(f"{name}: {count}" for name, count in ran.items()),
        )
