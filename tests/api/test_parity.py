"""Every action a person can take in the pages has an API operation calling the same service, or a written
reason to have none.

The actions are the site's routes that take a POST, found by walking the URL resolver (tests/routes.py):
a new form without an entry in :data:`PARITY` fails `test_every_action_of_the_pages_is_in_the_api`. The
permissions of each operation are checked against the pages' in tests/api/test_access.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from guichet.api.api import api

from ..routes import post_routes


@dataclass(frozen=True)
class Reason:
    """Why a page's action has no API operation."""

    why: str


OPERATION = "guichet_api_{}"

# Route name -> the API operation (its operationId in /api/openapi.json) that does what the page does, or
# the reason it has none.
PARITY: dict[str, str | Reason] = {
    # Signing in and out.
    "accounts:login": "auth_token_create",
    "accounts:logout": "auth_token_revoke_current",
    "/admin/login/": Reason("a redirect to the site's sign-in (accounts:login), whatever the method"),
    "set_language": Reason(
        "the interface's language is a browser session's; each API request chooses its language with "
        "Accept-Language"
    ),
    # The public portal.
    "portal:project_submit": Reason(
        "the public's form, anonymous and rate-limited, that turns a visitor's project into an anonymised "
        "lead for the agency; programs of the agency create projects with POST /api/projects"
    ),
    # An authority's catalogue (its officers; agency staff edit it in the pages, see docs/api.md).
    "catalogue:premises_create": "catalogue_my_premises_create",
    "catalogue:premises_edit": "catalogue_my_premises_update",
    "catalogue:premises_archive": "catalogue_my_premises_archive",
    "catalogue:incentive_create": "catalogue_my_incentives_create",
    "catalogue:incentive_edit": "catalogue_my_incentives_update",
    "catalogue:incentive_archive": "catalogue_my_incentives_archive",
    "catalogue:cnig_import": Reason(
        "a CNIG CSV file imported by a background job, whose page shows its progress; the API exchanges "
        "JSON records (POST /api/my/premises), and `guichet catalogue import-cnig --queue` runs the same job"
    ),
    # Labour data the agency keeps.
    "labour:zoning_upload": "labour_zoning_lists_load",
    "labour:import_upload": Reason(
        "public-data files (SIRENE up to gigabytes, employment zones, DARES, France Travail) imported by a "
        "background job; `guichet labour import-…` runs the same imports from the files"
    ),
    "labour:centre_create": "labour_centres_create",
    "labour:centre_edit": "labour_centres_update",
    "labour:centre_delete": "labour_centres_delete",
    # Projects and the pipeline.
    "projects:create": "projects_projects_create",
    "projects:edit": "projects_projects_update",
    "projects:disclose": "projects_projects_update",  # with "identity_disclosed": true
    "projects:size": "projects_projects_size",
    "projects:adopt_sizing": "projects_projects_adopt_sizing",
    "projects:move": "projects_projects_move",
    "projects:outcome": "projects_projects_outcome",
    "projects:jobs": "projects_projects_jobs",
    # A call for offers, from its draft to the signature.
    "offers:call_create": "offers_calls_create",
    "offers:call_exclude": "calls_calls_exclude",
    "offers:call_include": "calls_calls_include",
    "offers:call_open": "offers_calls_open",
    "offers:call_deadline": "calls_calls_deadline",
    "offers:call_close": "calls_calls_close",
    "offers:call_cancel": "calls_calls_cancel",
    "offers:clarification_ask": "questions_my_calls_ask",
    "offers:clarification_answer": "questions_questions_answer",
    "offers:call_answer": "offers_my_proposal_submit",
    "offers:call_decide": "calls_calls_decide",
    "offers:call_choose": "calls_calls_choose",
    "offers:call_sign": "calls_calls_sign",
    "offers:call_resend": "calls_calls_resend",
    "offers:dossier_create": "calls_calls_dossier_link_create",
    "offers:dossier_revoke": "calls_dossier_links_revoke",
}
# Django's admin: its own forms and permissions, for administrators (API tokens are revoked there too).
EXCLUDED_NAMESPACES = {"admin": "Django's admin, for administrators", "api": "the API itself"}


def _operation_ids() -> set[str]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    return {
        operation["operationId"] for methods in schema["paths"].values() for operation in methods.values()
    }


def test_every_action_of_the_pages_is_in_the_api() -> None:
    actions = {name for name in post_routes() if name.split(":")[0] not in EXCLUDED_NAMESPACES}
    assert sorted(actions - set(PARITY)) == [], "a page's action with neither an API operation nor a reason"
    assert sorted(set(PARITY) - actions) == [], "an entry for a route that no longer takes a POST"


def test_each_named_operation_exists() -> None:
    operations = _operation_ids()
    named = {OPERATION.format(value) for value in PARITY.values() if isinstance(value, str)}
    assert sorted(named - operations) == []
    reasons = [value.why for value in PARITY.values() if isinstance(value, Reason)]
    assert all(len(why) > 40 for why in reasons)  # a reason says why, not just "no"
    # The pages' actions left without an operation are few, each with its reason.
    assert len(reasons) == 5
