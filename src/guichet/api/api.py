"""The NinjaAPI instance: routers, error handlers, OpenAPI at /api/openapi.json and Swagger UI at /api/docs.

Swagger UI is served from django-ninja's bundled static files ("ninja" in INSTALLED_APPS), never a CDN.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router

from guichet.api import (
    auth,
    calls,
    catalogue,
    costs,
    dashboard,
    errors,
    examples,
    labour,
    offers,
    projects,
    questions,
    staffing,
)

DESCRIPTION = """
The one-stop shop's JSON API. Public: the catalogue (premises, authorities, incentives) and the staffing
calculation. With a token (`POST /api/tokens`, then `Authorization: Bearer <token>`): agency staff run
projects and calls for offers; an authority's officers keep their catalogue and answer the calls sent to
them. Lists are paginated (`limit`, `offset`; `count` is the total). Errors are RFC 9457 problem details
(`application/problem+json`). An object you may not see answers 404, exactly as one that does not exist.
Money is a decimal string ("95.00"). See docs/api.md.
"""


COMPONENTS = "#/components/schemas/"


def _component(schema: dict[str, Any]) -> str | None:
    """The component a schema refers to (``{"$ref": ...}``, or that or null), else None."""
    for candidate in [schema, *schema.get("anyOf", [])]:
        reference = candidate.get("$ref", "")
        if reference.startswith(COMPONENTS):
            return str(reference.removeprefix(COMPONENTS))
    return None


def _example_of(schema: dict[str, Any]) -> Any:
    if schema.get("type") == "array":
        item = _component(schema.get("items", {}))
        return [examples.example(item)] if item in examples.EXAMPLES else None
    name = _component(schema)
    return examples.example(name) if name in examples.EXAMPLES else None


def _put_examples(operation: dict[str, Any]) -> None:
    """Each request body and each success answer with its example (``examples.EXAMPLES``)."""
    for content in operation.get("requestBody", {}).get("content", {}).values():
        value = _example_of(content["schema"])
        if value is None:
            value = examples.OPERATION_EXAMPLES.get(operation["operationId"])
        if value is not None:
            content["example"] = value
    for status, response in operation.get("responses", {}).items():
        if 200 <= int(status) < 300:
            for content in response.get("content", {}).values():
                value = _example_of(content["schema"])
                if value is not None:
                    content["example"] = value


class GuichetAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Error responses are declared as application/problem+json, which is what the handlers send; each
        operation carries its examples."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[errors.PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                _put_examples(operation)
        return schema


api = GuichetAPI(
    title="Guichet API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

api.add_router("", auth.router)
api.add_router("", catalogue.public)
api.add_router("", staffing.router)
api.add_router("", costs.router)
api.add_router("/my", catalogue.mine)
api.add_router("/my", offers.mine)
api.add_router("/my", questions.mine)
api.add_router("/my", dashboard.mine)
api.add_router("", projects.router)
api.add_router("", offers.agency)
api.add_router("", calls.router)
api.add_router("", questions.agency)
api.add_router("", labour.router)
api.add_router("", dashboard.agency)

fallback = Router()


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False)
def not_found(request: HttpRequest, rest: str) -> None:
    """Any other path under /api/: a 404 problem, like every other error. (Routed last.)"""
    raise Http404


api.add_router("", fallback)
