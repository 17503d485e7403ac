"""Moved to :mod:`guichet.phrasing.sizing` (the sizing's voice). Kept only for the two modules of the
offers/projects branch merged alongside (``offers/dossier.py``, ``projects/services.py``), which still import
from here and pass a stored sizing as a dict: remove it once they import :mod:`guichet.phrasing.sizing` and
read the sizing with :func:`guichet.engine.sizing.read_sizing`.
"""

from __future__ import annotations

from typing import Any

from guichet.engine.sizing import read_sizing
from guichet.phrasing import sizing as _phrasing
from guichet.phrasing.sizing import MODEL_LABELS, opening_hours_text, sizing_error_message

__all__ = ["MODEL_LABELS", "input_rows", "opening_hours_text", "sizing_error_message"]


def input_rows(summary: dict[str, Any]) -> list[dict[str, str]]:
    return _phrasing.input_rows(read_sizing(summary))
