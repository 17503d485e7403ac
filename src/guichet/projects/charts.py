"""The dashboard's charts, drawn on the server as SVG with matplotlib's object API (no pyplot, no global
figure manager): jobs per year against the target, the conversion funnel, jobs by territory on a map.

Each chart reads a `Table` of the dashboard, the same rows as the page and the downloads. Labels are in the
active language and written by `format_cell`, so the numbers read as on the page. Text is never parsed as
mathtext (a "$" in a territory's name stays a "$"), and text stays text in the SVG (`svg.fonttype: none`),
which keeps the files small and lets the browser render the labels with the page's fonts.
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from guichet.projects.dashboard import NOT_LOCATED, Dashboard
from guichet.projects.formatting import format_cell
from guichet.territory.models import Commune, CommuneContour

# matplotlib's settings are process-wide: the few we change are set for one drawing at a time.
_LOCK = threading.Lock()
RC: dict[Any, Any] = {
    "text.parse_math": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "guichet",  # the same figure gives the same file
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BLUE = "#0b5cad"
LIGHT_BLUE = "#8fb8e3"
TARGET = "#c0392b"
GREY = "#5b6573"
MAP_LABELS = 10
CLASSES = ("#eef1f5", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


_PATH_DATA = re.compile(r' d="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\.\d)\d+")


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # Path coordinates to a tenth of a point (matplotlib writes six decimals): a third of the size.
    return _PATH_DATA.sub(lambda m: ' d="' + _LONG_DECIMAL.sub(r"\1", m.group(1)) + '"', text)


def _draw(build: Any) -> str:
    import matplotlib
    from matplotlib.figure import Figure

    with _LOCK, matplotlib.rc_context(RC):
        figure = Figure(layout="constrained")
        build(figure)
        return _svg(figure)


def _text(axes: Any, x: float, y: float, text: str, **kwargs: Any) -> Any:
    return axes.text(x, y, text, parse_math=False, **kwargs)


def jobs_chart_svg(dashboard: Dashboard) -> str:
    table = dashboard["years"]
    years = table.column("year")
    announced = table.column("jobs_announced")
    created = table.column("jobs_created")
    target = dashboard.target_per_year

    def build(figure: Any) -> None:
        figure.set_size_inches(7.5, 3.6)
        axes = figure.add_subplot()
        positions = list(range(len(years)))
        width = 0.38
        bars_announced = axes.bar(
            [p - width / 2 for p in positions], announced, width, color=LIGHT_BLUE, label=_("Jobs announced")
        )
        bars_created = axes.bar(
            [p + width / 2 for p in positions], created, width, color=BLUE, label=_("Jobs created")
        )
        axes.axhline(target, color=TARGET, linestyle="--", linewidth=1.2, label=_("Target per year"))
        top = max([target, *announced, *created, 1])
        for bars, values in ((bars_announced, announced), (bars_created, created)):
            for bar, value in zip(bars, values, strict=True):
                _text(
                    axes,
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_height() + top * 0.01,
                    format_cell(value, "int"),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    color=GREY,
                )
        axes.set_xticks(positions, [format_cell(year, "year") for year in years])
        axes.set_ylim(0, top * 1.15)
        axes.yaxis.set_major_formatter(_number_formatter())
        axes.set_ylabel(_("Jobs"), parse_math=False)
        axes.set_title(
            _("Jobs per year against the target of %(target)s") % {"target": format_cell(target, "int")},
            loc="left",
            parse_math=False,
        )
        legend = axes.legend(loc="upper left", frameon=False, ncols=3, fontsize=8)
        for text in legend.get_texts():
            text.set_parse_math(False)
        axes.grid(axis="y", alpha=0.3)

    return _draw(build)


def _number_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: format_cell(value, "int"))


def funnel_chart_svg(dashboard: Dashboard) -> str:
    table = dashboard["funnel"]
    steps = table.column("step")
    counts = table.column("projects")
    shares = table.column("share_of_leads")

    def build(figure: Any) -> None:
        figure.set_size_inches(7.5, 2.8)
        axes = figure.add_subplot()
        positions = list(range(len(steps)))[::-1]
        top = max([*counts, 1])
        axes.barh(
            positions, counts, color=[LIGHT_BLUE, "#5b9bd5", "#2f75b5", BLUE][: len(steps)], height=0.62
        )
        for position, count, share in zip(positions, counts, shares, strict=True):
            label = format_cell(count, "int")
            if share is not None:
                label = f"{label} ({format_cell(share, 'share')})"
            _text(axes, count + top * 0.01, position, label, va="center", fontsize=8, color=GREY)
        axes.set_yticks(positions, [str(step) for step in steps])
        for text in axes.get_yticklabels():
            text.set_parse_math(False)
        axes.set_xlim(0, top * 1.3)
        axes.xaxis.set_major_formatter(_number_formatter())
        axes.set_title(_("Conversion of the period's leads"), loc="left", parse_math=False)
        axes.grid(axis="x", alpha=0.3)

    return _draw(build)


# --- the map ----------------------------------------------------------------------------------------------

Point = tuple[float, float]


# Contours are snapped to a grid of about 400 m before drawing: invisible at the map's scale, a fraction of
# the points, and a vertex shared by two communes stays shared, so their common border still dissolves.
GRID_DEGREES = 0.004


def _snap(value: float) -> float:
    return round(round(value / GRID_DEGREES) * GRID_DEGREES, 4)


def _rings(geojson: dict[str, Any]) -> list[list[Point]]:
    polygons = geojson["coordinates"] if geojson["type"] == "MultiPolygon" else [geojson["coordinates"]]
    rings = []
    for polygon in polygons:
        ring: list[Point] = []
        for x, y in polygon[0]:
            point = (_snap(float(x)), _snap(float(y)))
            if not ring or ring[-1] != point:
                ring.append(point)
        if len(ring) >= 4:
            rings.append(ring)
    return rings


def _outline(rings: Iterable[Sequence[Point]]) -> list[list[Point]]:
    """The outer boundary of a group of adjoining polygons, as chains of points.

    The contours share their vertices along common borders, so an edge used by two polygons of the group is
    inside it, and the edges used once form its boundary; they are chained back into lines."""
    count: defaultdict[tuple[Point, Point], int] = defaultdict(int)
    for ring in rings:
        for a, b in pairwise(ring):
            if a != b:
                count[(a, b) if a < b else (b, a)] += 1
    neighbours: defaultdict[Point, list[Point]] = defaultdict(list)
    for (a, b), n in count.items():
        if n % 2 == 1:  # used once (or an odd number of times, where snapping folded a border)
            neighbours[a].append(b)
            neighbours[b].append(a)
    chains = []
    for start in list(neighbours):
        while neighbours[start]:
            chain = [start]
            current = start
            while neighbours[current]:
                following = neighbours[current].pop()
                neighbours[following].remove(current)
                chain.append(following)
                current = following
                if current == start:
                    break
            chains.append(chain)
    return chains


SIMPLIFY_DEGREES = 0.005


def _simplify(chain: list[Point], tolerance: float = SIMPLIFY_DEGREES) -> list[Point]:
    """Douglas-Peucker: drop the points closer than `tolerance` to the line through the points kept.
    At the map's scale the tolerance is under a pixel; neighbours' borders, simplified apart, stay within it.
    """
    if len(chain) < 4:
        return chain
    keep = [False] * len(chain)
    keep[0] = keep[-1] = True
    # A closed chain starts and ends at the same point: anchor it also at the point farthest from it.
    if chain[0] == chain[-1]:
        x0, y0 = chain[0]
        far = max(range(1, len(chain) - 1), key=lambda i: (chain[i][0] - x0) ** 2 + (chain[i][1] - y0) ** 2)
        keep[far] = True
        stack = [(0, far), (far, len(chain) - 1)]
    else:
        stack = [(0, len(chain) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = chain[first], chain[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        worst, worst_index = 0.0, -1
        for index in range(first + 1, last):
            px, py = chain[index]
            if length:
                distance = abs(dy * (px - ax) - dx * (py - ay)) / length
            else:
                distance = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if distance > worst:
                worst, worst_index = distance, index
        if worst > tolerance:
            keep[worst_index] = True
            stack.extend(((first, worst_index), (worst_index, last)))
    return [point for point, kept in zip(chain, keep, strict=True) if kept]


@lru_cache(maxsize=8)
def _base_map(departements: tuple[str, ...], version: int) -> dict[str, Any]:
    """EPCI and département outlines of the départements shown, computed once per process and data load."""
    del version  # part of the cache key only
    members: defaultdict[str, list[list[Point]]] = defaultdict(list)
    by_departement: defaultdict[str, list[list[Point]]] = defaultdict(list)
    rows = CommuneContour.objects.filter(commune__departement__in=departements).values_list(
        "commune__epci_id", "commune__departement_id", "geojson"
    )
    for epci, departement, geojson in rows:
        rings = _rings(geojson)
        members[epci or f"commune-{departement}"].extend(rings)
        by_departement[departement].extend(rings)
    return {
        "epci": {
            epci: (rings, [_simplify(chain) for chain in _outline(rings)]) for epci, rings in members.items()
        },
        "departements": [_simplify(chain) for rings in by_departement.values() for chain in _outline(rings)],
    }


def map_departements(dashboard: Dashboard) -> tuple[str, ...]:
    """The départements drawn: the one filtered on, or else those where projects or premises are located."""
    if dashboard.filters.departement:
        return (dashboard.filters.departement,)
    from guichet.catalogue.models import Premises
    from guichet.projects.models import Project

    codes = set(
        Project.objects.filter(site_commune__isnull=False).values_list(
            "site_commune__departement_id", flat=True
        )
    )
    codes |= set(Premises.objects.values_list("commune__departement_id", flat=True))
    if not codes:
        codes = set(Commune.objects.values_list("departement_id", flat=True).distinct()[:8])
    return tuple(sorted(codes))


def _classes(values: Sequence[int]) -> list[int]:
    """Upper bounds of four classes of the positive values (quartiles, rounded), for the legend."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    bounds: list[int] = []
    for quarter in (1, 2, 3, 4):
        bound = positive[min(len(positive) - 1, max(0, quarter * len(positive) // 4 - 1))]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def territory_map_svg(dashboard: Dashboard) -> str:
    table = dashboard["epci"]
    jobs = {
        code: announced
        for code, announced in zip(table.column("code"), table.column("jobs_announced"), strict=True)
        if code != NOT_LOCATED
    }
    names = dict(zip(table.column("code"), table.column("territory"), strict=True))
    base = _base_map(map_departements(dashboard), CommuneContour.objects.count())
    bounds = _classes(list(jobs.values()))
    points = _label_points(list(jobs))
    ranked = sorted(
        ((epci, value) for epci, value in jobs.items() if value > 0),
        key=lambda item: (-item[1], str(names.get(item[0], item[0])).casefold()),
    )[:MAP_LABELS]

    def build(figure: Any) -> None:
        figure.set_size_inches(7.5, 5.6)
        grid = figure.add_gridspec(1, 2, width_ratios=(2.4, 1.6))
        axes = figure.add_subplot(grid[0, 0])
        side = figure.add_subplot(grid[0, 1])
        side.axis("off")
        _draw_epcis(axes, base, {epci: _colour(jobs.get(epci, 0), bounds) for epci in base["epci"]})
        for chain in base["departements"]:
            axes.plot([p[0] for p in chain], [p[1] for p in chain], color=GREY, linewidth=1.0)
        lines = _draw_labels(axes, ranked, points, names)
        axes.set_aspect(1.45)  # about 1 / cos(46.5°): degrees of longitude are shorter at this latitude
        axes.axis("off")
        axes.autoscale_view()
        _draw_map_side(side, lines, bounds)

    return _draw(build)


def _label_points(epcis: list[str]) -> dict[str, Point]:
    """Where each EPCI's label sits: at its most populous commune."""
    points: dict[str, Point] = {}
    for epci, latitude, longitude in (
        Commune.objects.filter(epci_id__in=epcis, latitude__isnull=False)
        .order_by("-population")
        .values_list("epci_id", "latitude", "longitude")
    ):
        if epci and latitude is not None and longitude is not None:
            points.setdefault(epci, (latitude, longitude))
    return points


def _colour(value: int, bounds: list[int]) -> str:
    if value <= 0 or not bounds:
        return CLASSES[0]
    for index, bound in enumerate(bounds):
        if value <= bound:
            return CLASSES[index + 1]
    return CLASSES[-1]


def _draw_epcis(axes: Any, base: dict[str, Any], colours: dict[str, str]) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    for epci, (rings, chains) in base["epci"].items():
        # The dissolved outline when it closes into rings, else every commune of the EPCI.
        shapes = chains if chains and all(chain[0] == chain[-1] for chain in chains) else rings
        vertices: list[Point] = []
        codes: list[int] = []
        for ring in shapes:
            if len(ring) < 3:
                continue
            vertices.extend(ring)
            codes.extend([int(Path.MOVETO)] + [int(Path.LINETO)] * (len(ring) - 2) + [int(Path.CLOSEPOLY)])
        if not vertices:
            continue
        axes.add_patch(
            PathPatch(Path(vertices, codes), facecolor=colours[epci], edgecolor="white", linewidth=0.5)
        )


def _draw_labels(
    axes: Any, ranked: list[tuple[str, int]], points: dict[str, Point], names: dict[str, Any]
) -> list[str]:
    """A numbered mark on the map for each of the EPCIs announcing most jobs; their lines for the side."""
    lines = []
    for number, (epci, value) in enumerate(ranked, start=1):
        if epci in points:
            latitude, longitude = points[epci]
            axes.plot(longitude, latitude, "o", color="white", markeredgecolor=TARGET, markersize=11)
            _text(axes, longitude, latitude, str(number), ha="center", va="center", fontsize=7, color=TARGET)
        name = textwrap.shorten(str(names.get(epci, epci)), width=42, placeholder="…")
        lines.append(
            f"{number}. "
            + _("%(territory)s: %(jobs)s") % {"territory": name, "jobs": format_cell(value, "int")}
        )
    return lines


def _draw_map_side(side: Any, lines: list[str], bounds: list[int]) -> None:
    """The ranked EPCIs and the legend of the classes, beside the map."""
    from matplotlib.patches import Patch

    _text(
        side,
        0,
        1,
        _("Jobs announced by EPCI"),
        transform=side.transAxes,
        fontsize=9,
        fontweight="bold",
        va="top",
    )
    _text(
        side,
        0,
        0.93,
        "\n".join(lines) if lines else _("No jobs announced in the period."),
        transform=side.transAxes,
        fontsize=7.5,
        va="top",
        linespacing=1.6,
    )
    labels = [f"≤ {format_cell(bound, 'int')}" for bound in bounds]
    handles = [Patch(facecolor=CLASSES[0], edgecolor=GREY, linewidth=0.3, label=_("No jobs"))] + [
        Patch(facecolor=CLASSES[index + 1], label=label) for index, label in enumerate(labels)
    ]
    legend = side.legend(handles=handles, loc="lower left", fontsize=7.5, frameon=False)
    for text in legend.get_texts():
        text.set_parse_math(False)


CHARTS = {"jobs": jobs_chart_svg, "funnel": funnel_chart_svg, "map": territory_map_svg}
# The table each chart draws, for its CSV and xlsx downloads.
CHART_TABLES = {"jobs": "years", "funnel": "funnel", "map": "epci"}
