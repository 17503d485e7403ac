"""The chart of a sizing: agents required per interval over a typical week, drawn as SVG (or PNG).

Drawn with matplotlib's object API (a :class:`matplotlib.figure.Figure`, never ``pyplot``'s global
state), so it is safe in a web request, and with mathtext off, so no text is ever read as mathematics.
Every word on it comes from the caller, already in the reader's language.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["sizing_chart"]

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
