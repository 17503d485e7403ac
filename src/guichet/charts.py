"""Charts drawn as SVG (or PNG): a sizing's agents over a typical week; the scores of a comparison.

Drawn with matplotlib's object API (a :class:`matplotlib.figure.Figure`, never ``pyplot``'s global
state), so they are safe in a web request, and with mathtext off, so no text is ever read as mathematics
(a premises name with two "$" signs prints as written). Every word on them comes from the caller, already
in the reader's language.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ScoreBar", "score_chart", "sizing_chart", "svg_data_uri"]

_WEEK = 7 * 1_440


def _typical_week(rows: Sequence[Mapping[str, Any]]) -> tuple[list[int], list[int], list[int]] | None:
    """(start minute in the week, agents, scheduled) per slot of a week, the busiest value of each slot
    when the intervals cover several weeks; None when the intervals do not say their day and time."""
    slots: dict[int, tuple[int, int]] = {}
    for row in rows:
        day, start = row.get("day"), row.get("start_minute")
        if day is None or start is None:
            return None
        key = int(day) * 1_440 + int(start)
        agents, scheduled = slots.get(key, (0, 0))
        slots[key] = (max(agents, int(row["agents"])), max(scheduled, int(row["scheduled_agents"])))
    keys = sorted(slots)
    return keys, [slots[k][0] for k in keys], [slots[k][1] for k in keys]


def sizing_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    interval_minutes: float,
    title: str,
    agents_label: str,
    scheduled_label: str,
    y_label: str,
    day_names: Sequence[str],
    image_format: str = "svg",
) -> bytes:
    """The chart of ``rows`` (a sizing's ``intervals``: ``day``, ``start_minute``, ``agents``,
    ``scheduled_agents``) as SVG or PNG bytes. Days are marked with ``day_names`` (Monday first)."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(
        {"text.parse_math": False, "svg.fonttype": "none", "svg.hashsalt": "guichet", "font.size": 9}
    ):
        figure = Figure(figsize=(10, 3.6), layout="constrained")
        axes = figure.add_subplot()
        week = _typical_week(rows)
        if week is not None and week[0]:
            starts, agents, scheduled = week
            x = [s / 1_440 for s in starts]
            end = (starts[-1] + interval_minutes) / 1_440
            axes.step([*x, end], [*scheduled, scheduled[-1]], where="post", label=scheduled_label)
            axes.step([*x, end], [*agents, agents[-1]], where="post", label=agents_label)
            axes.set_xlim(0, 7)
            axes.set_xticks([d + 0.5 for d in range(7)], list(day_names)[:7])
            axes.tick_params(axis="x", length=0)
            for day in range(1, 7):
                axes.axvline(day, color="0.8", linewidth=0.8)
        else:
            positions = list(range(len(rows)))
            scheduled_values = [int(r["scheduled_agents"]) for r in rows]
            agent_values = [int(r["agents"]) for r in rows]
            axes.step(positions, scheduled_values, where="post", label=scheduled_label)
            axes.step(positions, agent_values, where="post", label=agents_label)
            every = max(1, len(rows) // 12)
            axes.set_xticks(
                positions[::every], [str(r["label"]) for r in rows][::every], rotation=45, ha="right"
            )
        axes.set_ylim(bottom=0)
        axes.set_ylabel(y_label)
        axes.set_title(title, loc="left")
        axes.grid(axis="y", alpha=0.3)
        axes.legend(loc="upper right", frameon=False)
        buffer = io.BytesIO()
        metadata = {"Date": None} if image_format == "svg" else {}
        figure.savefig(buffer, format=image_format, metadata=metadata)
    return buffer.getvalue()


@dataclass(frozen=True)
class ScoreBar:
    """One candidate's bar: its label, its points per criterion (0..1 each, in the legend's order), its score
    (0..1) and the score as the reader writes it."""

    label: str
    points: Sequence[float]
    score: float
    score_text: str


def score_chart(bars: Sequence[ScoreBar], *, criteria: Sequence[tuple[str, str]], x_label: str) -> str:
    """Each candidate's score split by criterion, as stacked horizontal bars (points out of 100), as SVG
    text. ``criteria``: (legend name, colour) of each criterion, in the order of each bar's points."""
    import matplotlib
    from matplotlib.figure import Figure

    # Texts stay texts in the SVG (no glyph outlines).
    with matplotlib.rc_context({"text.parse_math": False, "svg.fonttype": "none", "font.size": 9}):
        figure = Figure(figsize=(8, 1.2 + 0.45 * len(bars)))
        axes = figure.subplots()
        positions = list(range(len(bars)))
        left = [0.0] * len(bars)
        for index, (name, colour) in enumerate(criteria):
            widths = [bar.points[index] * 100 for bar in bars]
            axes.barh(
                positions,
                widths,
                left=left,
                height=0.62,
                color=colour,
                label=name,
                edgecolor="white",
                linewidth=0.6,
            )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        for position, bar in zip(positions, bars, strict=True):
            axes.text(bar.score * 100 + 1, position, bar.score_text, va="center", fontsize=9)
        axes.set_yticks(positions, [bar.label for bar in bars])
        axes.invert_yaxis()
        axes.set_xlim(0, 108)
        axes.set_xlabel(x_label)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.02),
            ncol=4,
            frameon=False,
            fontsize=8,
            handlelength=1,
            columnspacing=1,
        )
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def svg_data_uri(svg: str) -> str:
    """An SVG as an image address: shown in an ``<img>``, its own styles apply under the page's content
    security policy (which refuses inline styles in the page itself)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
