"""The API's contract: OpenAPI and Swagger UI served locally, problem details for every error."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from guichet.catalogue import selectors

from .conftest import Api, assert_problem


def test_the_docs_use_only_local_static_files(anonymous: Api) -> None:
    response = anonymous.client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(url.startswith("/static/") for url in urls), urls
    assert "/api/openapi.json" in html and "cdn" not in html.lower()
    for url in urls:
        assert anonymous.client.get(url).status_code == 200, url


def test_the_openapi_schema(anonymous: Api) -> None:
    schema = anonymous.client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] == "Guichet API"
    assert schema["components"]["securitySchemes"] == {"BearerToken": {"type": "http", "scheme": "bearer"}}
    operation = schema["paths"]["/api/my/premises/{id}"]["patch"]
    assert set(operation["responses"]) >= {"200", "401", "403", "404", "409", "422", "500"}
    assert "application/problem+json" in operation["responses"]["404"]["content"]
    assert "security" not in schema["paths"]["/api/premises"]["get"]  # public
    assert operation["security"] == [{"BearerToken": []}]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/api/nowhere", 404), ("DELETE", "/api/premises", 405), ("GET", "/api/premises/0", 422)],
)
def test_every_error_is_a_problem(anonymous: Api, method: str, path: str, status: int) -> None:
    response = anonymous.client.generic(method, path)
    body = assert_problem(response, status)
    assert body["instance"] == path
    if status == 405:  # answered before any operation, made a problem by guichet.api.middleware
        assert response["Allow"] == "GET" and body["title"] == "Method Not Allowed"


@pytest.mark.parametrize(
    "path", ["/api/staffing", "/api/my/calls/00000000-0000-0000-0000-000000000000/proposal"]
)
def test_an_oversized_body_is_a_413_problem(anonymous: Api, settings: Any, path: str) -> None:
    """Above DATA_UPLOAD_MAX_MEMORY_SIZE, before any token or schema is looked at: a problem, never a page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"calls": 100, "aht_seconds": 180, "padding": "x" * 2000})
    response = anonymous.client.post(path, data=body, content_type="application/json")
    problem = assert_problem(response, 413)
    assert problem["detail"] == (
        "The request body is larger than the 1000 bytes accepted (DATA_UPLOAD_MAX_MEMORY_SIZE)."
    )


def test_an_oversized_form_body_is_a_413_problem_too(as_alice: Api, settings: Any) -> None:
    """A form-encoded body is read by the operation (not by the middleware): its handler answers 413."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = as_alice.client.post(
        "/api/my/calls/00000000-0000-0000-0000-000000000000/proposal/attachments",
        data="expected_version=1&padding=" + "x" * 2000,
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {as_alice.token}"},
    )
    assert_problem(response, 413)


def test_a_disallowed_host_is_a_problem(anonymous: Api) -> None:
    response = anonymous.client.get("/api/premises", headers={"host": "evil.example"})
    assert_problem(response, 400)


def test_an_unexpected_error_is_a_500_problem_without_details(
    anonymous: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(selectors, "premises_visible_to", broken)
    body = assert_problem(anonymous.get("/premises"), 500)
    assert "hunter2" not in str(body) and body["title"] == "Internal Server Error"
