"""schemathesis against the API's own OpenAPI schema, in-process (WSGI, no server), on the test database.

Every operation gets generated requests, valid ones (positive) and ones that break the schema (negative),
anonymously and with an agency token; none may answer a server error (5xx). The scene of the other API
tests is there (premises, a sized project, an open call with a proposal), so generated ids hit real rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from guichet.accounts.models import User
from guichet.api.api import api
from guichet.api.services import api_token_create
from guichet.catalogue.models import Incentive, Premises
from guichet.offers.models import CallForOffers

from .conftest import Api, offer

application = get_wsgi_application()

POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
# Per operation and identity: valid requests, invalid ones, and valid ones aimed at the scene's real objects.
PASSES = [
    ("positive", POSITIVE, 12, False),
    ("negative", NEGATIVE, 6, False),
    ("real ids", POSITIVE, 10, True),
]
# Read from the API object at collection time: a new operation is fuzzed without touching this file.
OPERATIONS = sorted(
    (path, method.upper())
    for path, methods in api.get_openapi_schema(path_prefix="/api/")["paths"].items()
    for method in methods
)
STATS: Counter[str] = Counter()


@contextmanager
def keeping_connection() -> Iterator[None]:
    """Like Django's test client: keep the test's connection (and transaction) across WSGI requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema() -> Any:
    """The schema the application serves at /api/openapi.json (its generation reads no database)."""
    with keeping_connection():
        return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def same_connection() -> Iterator[None]:
    with keeping_connection():
        yield


@pytest.fixture
def scene(
    alice: User,
    open_call: CallForOffers,
    temis: Premises,
    hidden_belfort: Premises,
    besancon_grant: Incentive,
) -> CallForOffers:
    alice_api = Api(api_token_create(user=alice))
    response = alice_api.put(f"/my/calls/{open_call.public_id}/proposal", {"offers": [offer(temis)]})
    assert response.status_code == 200
    return open_call


def test_every_operation_is_fuzzed(schema: Any) -> None:
    loaded = sorted((op.path, op.method.upper()) for op in (r.ok() for r in schema.get_all_operations()))
    assert loaded == OPERATIONS and len(OPERATIONS) >= 25


def real_id(path: str, scene: CallForOffers, temis: Premises) -> int | str:
    """The id of a real object for a path's {id}."""
    if "/premises/" in path:
        return temis.pk
    if "/authorities/" in path:
        return temis.owner_id
    if "/projects/" in path:
        return scene.project_id
    return str(scene.public_id)


@pytest.mark.parametrize("who", ["anonymous", "agnes", "alice"])
def test_no_server_error(
    schema: Any,
    scene: CallForOffers,
    temis: Premises,
    agnes: User,
    alice: User,
    same_connection: None,
    who: str,
) -> None:
    """One test per identity (the scene is built once), every operation and pass inside it; the failures
    of all operations are reported together."""
    user = {"agnes": agnes, "alice": alice}.get(who)
    headers = {"Authorization": f"Bearer {api_token_create(user=user)}"} if user else {}
    failures: dict[str, str] = {}
    for path, method in OPERATIONS:
        operation = schema[path][method]
        for name, mode, examples, aimed in PASSES:
            if aimed and "{id}" not in path:
                continue
            fixed = {"id": real_id(path, scene, temis)} if aimed else None

            @settings(
                max_examples=examples,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
            def check(case: Any) -> None:
                response = case.call(headers=headers)
                STATS[f"{who} {response.status_code}"] += 1
                STATS["examples"] += 1
                case.validate_response(response, checks=[not_a_server_error])

            try:
                check()
            except Exception as error:  # every operation runs; all failures are reported together
                failures[f"{who}: {method} {path} ({name})"] = str(error)
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())


def test_report_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints what the fuzzing ran (visible with -s): operations, examples and statuses."""
    with capsys.disabled():
        statuses = {k: v for k, v in sorted(STATS.items()) if k != "examples"}
        print(
            f"\nschemathesis: {len(OPERATIONS)} operations, {STATS['examples']} examples, statuses {statuses}"
        )
