"""The site's routes that take a POST, found by walking the URL resolver: the forms' fuzzing
(tests/web/test_fuzz_forms.py) and the API's parity with the pages (tests/api/test_parity.py) read them."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def _reads_post(callback: Callable[..., Any]) -> bool:
    """Whether a view answers POST: a class-based view with `post`, a view behind require_POST (or
    require_http_methods with POST), or one whose code reads the POST data or the uploaded files."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    function: Any = callback
    while function is not None:
        if isinstance(function, functools.partial):
            function = function.func
            continue
        if not hasattr(function, "__code__"):  # a callable object: its __call__
            function = type(function).__call__
        for name, cell in zip(function.__code__.co_freevars, function.__closure__ or (), strict=True):
            if name == "request_method_list" and "POST" in cell.cell_contents:
                return True
        inner = getattr(function, "__wrapped__", None)
        if inner is None:
            source = inspect.getsource(function)
            return "request.POST" in source or "request.FILES" in source
        function = inner
    return False


def post_routes() -> dict[str, Callable[..., Any]]:
    """Every route that takes a POST, by name (namespace:name), or by its pattern when it has no name."""
    found: dict[str, Callable[..., Any]] = {}

    def walk(patterns: list[Any], namespace: str | None, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and _reads_post(pattern.callback):
                if pattern.name:
                    key = f"{namespace}:{pattern.name}" if namespace else pattern.name
                else:
                    key = "/" + prefix + str(pattern.pattern)
                    key = f"{namespace}:{key}" if namespace else key
                found[key] = pattern.callback

    walk(get_resolver().url_patterns, None, "")
    return found
