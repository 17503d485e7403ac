"""The OpenAPI schema documents each operation with an example: every request body and every success
answer has one (guichet.api.examples), and each example is valid against the schema it illustrates."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from guichet.api.api import api

SCHEMA = api.get_openapi_schema(path_prefix="/api/")
OPERATIONS = sorted(
    (path, method.upper(), operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
)


def _examples(operation: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(where, content type, content) of each request body and success answer with content."""
    body = operation.get("requestBody", {}).get("content", {})
    found = [(f"request {kind}", kind, content) for kind, content in body.items()]
    for status, response in operation["responses"].items():
        if 200 <= int(status) < 300:
            found += [
                (f"answer {status}", kind, content) for kind, content in response.get("content", {}).items()
            ]
    return found


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(_inline(schema), format_checker=FormatChecker())


def _inline(schema: Any) -> Any:
    """The schema with its references to the components replaced by their definitions."""
    if isinstance(schema, dict):
        reference = schema.get("$ref", "")
        if reference.startswith("#/components/schemas/"):
            return _inline(SCHEMA["components"]["schemas"][reference.rsplit("/", 1)[1]])
        return {key: _inline(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inline(item) for item in schema]
    return schema


def test_every_operation_has_its_examples() -> None:
    missing = [
        f"{method} {path}: {where}"
        for path, method, operation in OPERATIONS
        for where, _kind, content in _examples(operation)
        if "example" not in content
    ]
    assert missing == []
    # Every operation shows something: a body to send, an answer to expect, or both (204s send a body).
    silent = [f"{method} {path}" for path, method, operation in OPERATIONS if not _examples(operation)]
    assert silent == ["DELETE /api/contact-centres/{id}", "DELETE /api/tokens/current"]
    assert len(OPERATIONS) == 64


@pytest.mark.parametrize(
    ("path", "method", "where"),
    [
        (path, method, where)
        for path, method, operation in OPERATIONS
        for where, kind, _content in _examples(operation)
        if kind == "application/json"
    ],
)
def test_each_example_is_valid_against_its_schema(path: str, method: str, where: str) -> None:
    operation = SCHEMA["paths"][path][method.lower()]
    content = {w: c for w, _kind, c in _examples(operation)}[where]
    errors = sorted(_validator(content["schema"]).iter_errors(content["example"]), key=str)
    assert [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors] == []


def test_a_wrong_example_would_be_caught() -> None:
    """The check itself: an example with a missing field and a wrong type is refused."""
    schema = {"$ref": "#/components/schemas/ReasonIn"}
    assert [error.message for error in _validator(schema).iter_errors({"reason": 3})] == [
        "3 is not of type 'string'"
    ]
    assert list(_validator({"$ref": "#/components/schemas/CallDetail"}).iter_errors({"id": "x"}))
