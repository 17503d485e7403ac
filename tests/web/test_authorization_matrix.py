"""The authorization matrix of every page, generated from the URL configuration.

Six roles: an anonymous visitor, an investor holding a dossier link, Alice (officer of Grand Besançon),
Bob (officer of Grand Belfort, her competitor), Agnès (agency staff) and Root (administrator). Every named
route of the site must have a rule below: a new page without one fails
`test_every_route_has_a_rule`. The API has its own matrix, read from its OpenAPI schema
(tests/api/test_access.py). Each cell is the exact status code expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("anonymous", "investor", "alice", "bob", "agnes", "root")


@dataclass(frozen=True)
class Rule:
    method: str
    args: tuple[str, ...]  # names of scene objects, in URL order
    expected: tuple[int, int, int, int, int, int]  # in ROLES order


def same(code: int) -> tuple[int, int, int, int, int, int]:
    return (code,) * 6


SIGNED_IN = (302, 302, 200, 200, 200, 200)
AGENCY_PAGE = (302, 302, 403, 403, 200, 200)
AGENCY_ACTION = (302, 302, 403, 403, 302, 302)
OWN_RECORD_PAGE = (302, 302, 200, 404, 200, 200)  # a record of Grand Besançon's
OWN_RECORD_ACTION = (302, 302, 302, 404, 302, 302)
PRIVATE_TO_BESANCON = (404, 404, 200, 404, 200, 200)  # Grand Besançon's premises kept off the portal

RULES: dict[str, Rule] = {
    # Public portal and labour pages.
    "portal:home": Rule("GET", (), same(200)),
    "portal:premises_search": Rule("GET", (), same(200)),
    "portal:premises_export_csv": Rule("GET", (), same(200)),
    "portal:premises_detail": Rule("GET", ("private_premises",), PRIVATE_TO_BESANCON),
    "portal:communes_geojson": Rule("GET", ("doubs",), same(200)),
    "portal:authority_list": Rule("GET", (), same(200)),
    "portal:authority_detail": Rule("GET", ("besancon",), same(200)),
    "portal:project_submit": Rule("GET", (), same(200)),
    "portal:project_submitted": Rule("GET", (), same(200)),
    "labour:premises_panel": Rule("GET", ("private_premises",), PRIVATE_TO_BESANCON),
    "labour:territory": Rule("GET", (), same(200)),
    "labour:imports": Rule("GET", (), AGENCY_PAGE),
    "labour:import_upload": Rule("POST", ("sirene",), (302, 302, 403, 403, 200, 200)),
    "labour:centre_create": Rule("POST", (), (302, 302, 403, 403, 200, 200)),
    "labour:zoning_upload": Rule("POST", (), (302, 302, 403, 403, 200, 200)),
    "labour:centre_edit": Rule("GET", ("centre",), AGENCY_PAGE),
    "labour:centre_delete": Rule("POST", ("centre",), AGENCY_ACTION),
    "jobs:list": Rule("GET", (), SIGNED_IN),
    "audit:transparency": Rule("GET", (), same(200)),
    "audit:head_log": Rule("GET", (), SIGNED_IN),
    # A background job is seen by who started it (Alice here) and the agency; Bob is told it does not exist.
    "jobs:detail": Rule("GET", ("job",), (302, 302, 200, 404, 200, 200)),
    "jobs:status": Rule("GET", ("job",), (302, 302, 200, 404, 200, 200)),
    # Accounts and languages.
    "accounts:login": Rule("GET", (), same(200)),
    "accounts:logout": Rule("POST", (), same(302)),
    "set_language": Rule("POST", (), same(302)),
    "admin:index": Rule("GET", (), (302, 302, 302, 302, 200, 200)),
    # The authorities' own catalogue.
    "catalogue:space": Rule("GET", (), SIGNED_IN),
    "catalogue:premises_create": Rule("GET", (), SIGNED_IN),
    "catalogue:premises_edit": Rule("GET", ("private_premises",), OWN_RECORD_PAGE),
    "catalogue:premises_archive": Rule("POST", ("private_premises",), OWN_RECORD_ACTION),
    "catalogue:incentive_create": Rule("GET", (), SIGNED_IN),
    "catalogue:incentive_edit": Rule("GET", ("grant",), OWN_RECORD_PAGE),
    "catalogue:incentive_archive": Rule("POST", ("grant",), OWN_RECORD_ACTION),
    "catalogue:cnig_import": Rule("GET", (), SIGNED_IN),
    "catalogue:cnig_export": Rule("GET", ("site_eco",), SIGNED_IN),
    # Photos follow their premises: Réserve is kept off the portal.
    "catalogue:photo": Rule("GET", ("private_photo",), PRIVATE_TO_BESANCON),
    # Projects: the agency's.
    "projects:list": Rule("GET", (), AGENCY_PAGE),
    "projects:create": Rule("GET", (), AGENCY_PAGE),
    "projects:dashboard": Rule("GET", (), AGENCY_PAGE),
    "projects:dashboard_chart": Rule("GET", ("chart",), AGENCY_PAGE),
    "projects:dashboard_export": Rule("GET", ("table", "xlsx"), AGENCY_PAGE),
    "projects:follow_up": Rule("GET", (), AGENCY_PAGE),
    # Each officer reads its own authority's results; agency staff choose an authority.
    "projects:results": Rule("GET", (), SIGNED_IN),
    "projects:outcome": Rule("POST", ("project",), AGENCY_ACTION),
    "projects:detail": Rule("GET", ("project",), AGENCY_PAGE),
    "projects:edit": Rule("GET", ("project",), AGENCY_PAGE),
    # An empty sizing form comes back with its errors on its fields (200), not as a redirect.
    "projects:size": Rule("POST", ("project",), (302, 302, 403, 403, 200, 200)),
    "projects:sizing_chart": Rule("GET", ("project", "sizing"), AGENCY_PAGE),
    "projects:adopt_sizing": Rule("POST", ("project", "sizing"), AGENCY_ACTION),
    "projects:move": Rule("POST", ("project",), AGENCY_ACTION),
    "projects:jobs": Rule("POST", ("project",), AGENCY_ACTION),
    "projects:disclose": Rule("POST", ("project",), AGENCY_ACTION),
    # Calls for offers. The open call went to Besançon and Belfort; the private call only to Besançon.
    "offers:call_list": Rule("GET", (), SIGNED_IN),
    "offers:call_create": Rule("GET", ("project",), AGENCY_PAGE),
    "offers:call_detail": Rule("GET", ("private_call",), (302, 302, 200, 404, 200, 200)),
    "offers:call_exclude": Rule("POST", ("open_call",), AGENCY_ACTION),
    # No authority named in the empty form: nothing to include (404), once the role is checked.
    "offers:call_include": Rule("POST", ("open_call",), (302, 302, 403, 403, 404, 404)),
    "offers:call_open": Rule("POST", ("open_call",), AGENCY_ACTION),
    "offers:call_answer": Rule("GET", ("private_call",), (302, 302, 200, 404, 403, 403)),
    # Receipts are the sending authority's own; the attachment also reaches the agency after the deadline
    # (passed for the private call); everybody else gets 404, as for a file that does not exist.
    "offers:receipt_canonical": Rule("GET", ("private_call", "receipt"), (302, 302, 200, 404, 404, 404)),
    "offers:receipt_json": Rule("GET", ("private_call", "receipt"), (302, 302, 200, 404, 404, 404)),
    "offers:receipt_pdf": Rule("GET", ("private_call", "receipt"), (302, 302, 200, 404, 404, 404)),
    "offers:attachment": Rule("GET", ("attachment",), (404, 404, 200, 404, 200, 200)),
    "offers:call_compare": Rule("GET", ("open_call",), AGENCY_ACTION),  # sealed: back to the call page
    "offers:call_deadline": Rule("POST", ("open_call",), AGENCY_ACTION),
    "offers:call_cancel": Rule("POST", ("open_call",), AGENCY_ACTION),
    "offers:call_close": Rule("POST", ("open_call",), AGENCY_ACTION),
    # Officers of a consulted authority ask questions (an empty form goes back to the call's page).
    "offers:clarification_ask": Rule("POST", ("open_call",), (302, 302, 302, 302, 403, 403)),
    "offers:clarification_answer": Rule("POST", ("question",), AGENCY_ACTION),
    "offers:call_offers": Rule("GET", ("private_call",), AGENCY_PAGE),  # its deadline has passed
    "offers:call_choose": Rule("POST", ("private_call",), AGENCY_ACTION),
    "offers:call_sign": Rule("POST", ("private_call",), AGENCY_ACTION),
    "offers:call_resend": Rule("POST", ("private_call",), AGENCY_ACTION),
    "offers:call_decide": Rule("POST", ("open_call",), AGENCY_ACTION),
    "offers:dossier_create": Rule("POST", ("open_call",), AGENCY_ACTION),
    "offers:dossier_revoke": Rule("POST", ("dossier_link",), AGENCY_ACTION),
    # The investor's dossier: the link is the key; without it, nothing.
    "offers:dossier": Rule("GET", ("token",), (404, 200, 404, 404, 404, 404)),
    "offers:dossier_pdf": Rule("GET", ("token",), (404, 200, 404, 404, 404, 404)),
    "offers:dossier_xlsx": Rule("GET", ("token",), (404, 200, 404, 404, 404, 404)),
    "offers:dossier_photo": Rule("GET", ("token", "public_photo"), (404, 200, 404, 404, 404, 404)),
}
# Routes deliberately outside this matrix: Django's admin (its own permission system, entered through
# admin:index above), the API (tests/api/test_access.py), and static files.
EXCLUDED_NAMESPACES = ("admin", "api")


def route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return {name for name in names if name.split(":")[0] not in EXCLUDED_NAMESPACES or name == "admin:index"}


def test_every_route_has_a_rule() -> None:
    names = route_names()
    assert sorted(names - set(RULES)) == [], "a page without an authorization rule"
    assert sorted(set(RULES) - names) == [], "a rule for a page that no longer exists"


def client_for(role: str, scene: dict[str, Any]) -> Client:
    client = Client()
    if role in scene["users"]:
        client.force_login(scene["users"][role])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RULES))
def test_each_role_gets_exactly_the_expected_answer(name: str, scene: dict[str, Any]) -> None:
    rule = RULES[name]
    args = [scene[arg] for arg in rule.args]
    url = reverse(name, args=args)
    wrong_token_url = reverse(
        name,
        args=[
            "not-a-valid-token" * 3 if arg == "token" else value
            for arg, value in zip(rule.args, args, strict=True)
        ],
    )
    answers = {}
    for role in ROLES:
        # Only the investor holds the link; everyone else tries the page with a token of their own making.
        target = url if role == "investor" or "token" not in rule.args else wrong_token_url
        client = client_for(role, scene)
        # Each role starts from the same scene: what one role's action changed is rolled back.
        with transaction.atomic():
            response = client.post(target, {}) if rule.method == "POST" else client.get(target)
            transaction.set_rollback(True)
        answers[role] = response.status_code
    assert answers == dict(zip(ROLES, rule.expected, strict=True))
