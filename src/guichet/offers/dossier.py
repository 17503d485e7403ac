"""The investor's dossier: the same content as a page, a PDF (WeasyPrint) and a spreadsheet (openpyxl).

Every offer is read from its proposal's sealed content and ranked among the shortlist only. Charts and the
map are drawn with matplotlib's object API (no pyplot global state, texts never read as mathematics), so
the dossier needs no network and no JavaScript. What the dossier shows depends only on the shortlist, the
call's decided weights, the labour data and the reader's language: the rendered page and PDF are cached
under those, so a second reader waits for nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import matplotlib
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from guichet.agency import agency_contact_from_settings
from guichet.catalogue.models import PremisesPhoto
from guichet.charts import svg_data_uri
from guichet.engine import scoring
from guichet.engine.occupancy import hires_compared
from guichet.engine.sizing import read_sizing
from guichet.exports import xlsx_append
from guichet.offers.compare import score_chart_svg
from guichet.offers.evaluation import CandidateRow, Evaluation, call_weights, evaluate_call
from guichet.offers.models import DossierLink
from guichet.offers.sealing import parse_sealed
from guichet.offers.side_by_side import ValuedIncentive, value_incentive
from guichet.phrasing import labour as labour_phrasing
from guichet.phrasing import need as need_phrasing
from guichet.phrasing import numbers
from guichet.phrasing import scoring as reasons
from guichet.phrasing import sizing as sizing_phrasing
from guichet.phrasing.numbers import labelled
from guichet.phrasing.operation import OperationFigures
from guichet.territory.models import DatasetSource
from guichet.territory.selectors import contour_rings_within

CACHE_SECONDS = 24 * 3600
# Offers are numbered 1, 2, 3... in rank order on the map, the charts and the tables; these are their colours.
COLOURS = ("#0b5cad", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#be185d")


@dataclass(frozen=True)
class OfferFigures:
    """One offer's figures as the dossier shows them, each rounded once (half up) and written once: the
    page, the PDF and the workbook read these, so a figure shown twice reads the same."""

    score: Decimal  # points out of 100, one decimal
    per_seat_year_eur: int
    net_pv_eur: int
    job_seekers: int | None
    saturation: float | None  # shares, written with one decimal of a percentage (numbers.percent)
    pool_share: float | None
    worst_year: int | None
    worst_hires: int | None
    worst_candidates: int | None
    operation: OperationFigures | None = None  # the total cost of operation and the aid check (not scored)

    @property
    def score_text(self) -> str:
        return numbers.number(self.score, 1)

    @property
    def per_seat_year_text(self) -> str:
        return numbers.money(self.per_seat_year_eur)

    @property
    def job_seekers_text(self) -> str:
        return _("unknown") if self.job_seekers is None else numbers.number(self.job_seekers)

    @property
    def saturation_text(self) -> str:
        return _("unknown") if self.saturation is None else numbers.percent(self.saturation)

    @property
    def pool_share_text(self) -> str:
        return _("unknown") if self.pool_share is None else numbers.percent(self.pool_share)

    @property
    def worst_year_text(self) -> str:
        """ "Year 1: 207 hires × 3.5 = 725 candidates, 3.9 % of the pool"."""
        if self.worst_year is None or self.pool_share is None:
            return ""
        return _("year %(year)s: %(hires)s hires, %(candidates)s candidates, %(share)s of the pool") % {
            "year": self.worst_year,
            "hires": numbers.number(self.worst_hires or 0),
            "candidates": numbers.number(self.worst_candidates or 0),
            "share": self.pool_share_text,
        }


def shown_share(share: float | None) -> float | None:
    """A share as the page shows it (one decimal of a percentage), for a workbook cell formatted 0.0 %."""
    # Divided as a decimal: 2.2 / 100 in binary floats is 0.022000000000000002, not the cell's 0.022.
    return None if share is None else float(numbers.rounded(share * 100, 1) / 100)


def offer_figures(row: CandidateRow) -> OfferFigures:
    seekers = row.labour.job_seekers_in_reach[0].value
    saturation = row.labour.saturation.ratio_mid
    worst = max(
        (year for year in row.feasibility.years if year.share is not None),
        key=lambda year: year.share or 0.0,
        default=None,
    )
    return OfferFigures(
        score=numbers.rounded(row.score * 100, 1),
        per_seat_year_eur=int(numbers.rounded(row.per_seat_year_eur)),
        net_pv_eur=int(numbers.rounded(row.net_pv_eur)),
        job_seekers=None if seekers is None else int(numbers.rounded(seekers)),
        saturation=saturation,
        pool_share=None if worst is None else worst.share,
        worst_year=None if worst is None else worst.year,
        worst_hires=None if worst is None else worst.hires,
        worst_candidates=None if worst is None else int(numbers.rounded(worst.candidates)),
        operation=row.operation_figures,
    )


@dataclass(frozen=True)
class DossierOffer:
    number: int
    colour_index: int
    colour: str
    row: CandidateRow
    figures: OfferFigures
    photos: list[PremisesPhoto]
    incentives: list[ValuedIncentive]
    description: str  # the premises' own presentation, in the reader's language
    presentation: str  # the authority's presentation, under its first premises only
    presentation_in: int | None  # else: the number of the offer it is shown under
    population_source: str
    saturation_source: str

    @property
    def offer(self) -> Any:
        return self.row.offer

    @property
    def strongest(self) -> str:
        return reasons.criteria_list(self.row.strongest)

    @property
    def weakest(self) -> str:
        return reasons.criteria_list(self.row.weakest)


def _inline(figure: Figure, *, alt: str, for_print: bool) -> str:
    """A figure as a picture: SVG for the page, PNG at print resolution for the PDF (WeasyPrint lays out a
    picture far faster than thousands of vector paths). A picture, not inline SVG: the page's content
    security policy forbids the inline styles matplotlib writes, and a picture keeps its own."""
    buffer = io.BytesIO()
    if for_print:
        # The fastest zlib level: the PDF is compressed again anyway, and encoding was a fifth of the render.
        figure.savefig(buffer, format="png", dpi=200, bbox_inches="tight", pil_kwargs={"compress_level": 1})
        mime = "image/png"
    else:
        figure.savefig(buffer, format="svg", bbox_inches="tight")
        mime = "image/svg+xml"
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return format_html('<img src="data:{};base64,{}" alt="{}">', mime, encoded, alt)


def cost_chart(offers: list[DossierOffer], *, for_print: bool = False) -> str:
    """Cumulative net occupancy cost per year, one line per offer, numbered as everywhere else."""
    with matplotlib.rc_context({"text.parse_math": False, "font.size": 8}):
        figure = Figure(figsize=(7, 3.2))
        axes = figure.subplots()
        for item in offers:
            years = [year for year, _net in item.row.cash_flows]
            running, cumulative = 0.0, []
            for _year, net in item.row.cash_flows:
                running += net
                cumulative.append(running / 1000)
            axes.plot(
                years,
                cumulative,
                marker="o",
                color=item.colour,
                label=f"{item.number}. {item.row.premises_name}",
            )
        axes.set_xlabel(_("Year of the lease"))
        axes.set_ylabel(_("Cumulative net cost (kEUR)"))
        axes.grid(alpha=0.3)
        axes.legend(fontsize=7, loc="upper left")
        return _inline(figure, alt=_("Cumulative net cost of each offer, year by year"), for_print=for_print)


def offers_map(offers: list[DossierOffer], *, for_print: bool = False) -> str:
    """The communes around the shortlisted premises, each premises a numbered marker; the names are in the
    legend beside the map (names on the map overlap when premises are close)."""
    points = [(item, item.offer.point) for item in offers if item.offer.point]
    if not points:
        return ""
    latitudes = [point[0] for _item, point in points]
    longitudes = [point[1] for _item, point in points]
    margin = 0.25
    south, north = min(latitudes) - margin, max(latitudes) + margin
    west, east = min(longitudes) - margin * 1.45, max(longitudes) + margin * 1.45
    rings = contour_rings_within(south=south - 0.1, north=north + 0.1, west=west - 0.15, east=east + 0.15)
    with matplotlib.rc_context({"text.parse_math": False}):
        height = 6 * (north - south) * 1.45 / max(east - west, 0.01)
        figure = Figure(figsize=(6, min(max(height, 3.5), 8.5)))
        axes = figure.subplots()
        axes.add_collection(LineCollection(rings, colors="#b8c0cc", linewidths=0.3))
        for item, (latitude, longitude) in points:
            axes.plot(longitude, latitude, "o", color=item.colour, markersize=13, markeredgecolor="white")
            axes.annotate(
                str(item.number),
                (longitude, latitude),
                color="white",
                ha="center",
                va="center",
                fontsize=8,
                fontweight="bold",
            )
        axes.set_xlim(west, east)
        axes.set_ylim(south, north)
        axes.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
        axes.axis("off")
        return _inline(
            figure, alt=_("Map of the shortlisted premises, numbered as in the legend"), for_print=for_print
        )


def _score_chart(evaluation: Evaluation) -> str:
    """The comparison page's chart of each score split by criterion, as a picture (its texts stay texts)."""
    return format_html(
        '<img src="{}" alt="{}">', svg_data_uri(score_chart_svg(evaluation)), _("Score by criterion")
    )


def _cache_key(link: DossierLink, kind: str) -> str:
    """What the dossier's content depends on: the shortlist and the sealed version each of its proposals
    stands at (a resubmission after a reopening gives a new key, never a stale render), the call as
    decided, the labour data (its version tokens), the zoning lists loaded (the aid check and the zonings
    shown read them), the language."""
    from guichet.labour.selectors import labour_data_version
    from guichet.territory.selectors import zoning_lists

    call = link.call
    parts = [
        kind,
        str(link.pk),
        ",".join(f"{pk}@{sealed}" for pk, sealed in sorted(link.shortlist.values_list("pk", "sealed_id"))),
        str(call.decided_at),
        repr(sorted((call.weights or {}).items())),
        str(link.project.updated_at),
        str(labour_data_version()),
        ",".join(f"{zoning.kind}@{zoning.loaded_at.isoformat()}" for zoning in zoning_lists()),
        translation.get_language() or "",
    ]
    return "dossier:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def _offers(evaluation: Evaluation, *, jobs: float, hires: float) -> list[DossierOffer]:
    """The shortlisted offers in rank order, each with its figures, photos, valued incentives and
    presentations (an authority's own presentation once, under the first of its premises)."""
    photo_ids = {photo_id for row in evaluation.rows for photo_id in row.offer.photos}
    photos = {str(photo.public_id): photo for photo in PremisesPhoto.objects.filter(public_id__in=photo_ids)}
    language = translation.get_language() or "fr"
    census = _census_year()
    first_of: dict[int, int] = {}
    offers = []
    for index, row in enumerate(evaluation.rows, start=1):
        shown_in = first_of.setdefault(row.proposal.pk, index)
        offers.append(
            DossierOffer(
                number=index,
                colour_index=(index - 1) % len(COLOURS) + 1,
                colour=COLOURS[(index - 1) % len(COLOURS)],
                row=row,
                figures=offer_figures(row),
                photos=[photos[i] for i in row.offer.photos if i in photos][:2],
                incentives=[
                    value_incentive(item, offer=row.offer, jobs=jobs, hires=hires)
                    for item in row.sealed.incentives
                ],
                description=row.offer.description(language),
                presentation=row.sealed.free_text if shown_in == index else "",
                presentation_in=None if shown_in == index else shown_in,
                population_source=_("INSEE, population census %(year)s") % {"year": census}
                if census
                else _("INSEE, population census"),
                saturation_source=_saturation_source(row),
            )
        )
    return offers


def _census_year() -> str:
    """The census year of the people aged 20-64, as the loaded data states it."""
    for item in DatasetSource.objects.filter(key__endswith=":population_20_64"):
        found = re.search(r"(?:recensement|census)\D{0,3}((?:19|20)\d\d)", item.vintage + " " + item.source)
        if found:
            return found.group(1)
    return ""


def _saturation_source(row: CandidateRow) -> str:
    """Where the saturation comes from, written for an investor (the pages of the agency say what to
    import when it is unknown)."""
    if row.labour.saturation.status == "unknown":
        return _("unknown: no data on contact-centre jobs covers the communes in reach")
    return labour_phrasing.saturation_text(row.labour.saturation)


def aid_statement(offers: list[DossierOffer]) -> list[str]:
    """Whether the aid shown respects its legal ceilings: one line for all, or one per offer that does not
    (over its ceiling, or its ceiling not known)."""
    lines = []
    for item in offers:
        figures = item.figures.operation
        if figures is None or figures.aid_status in ("within", "none"):
            continue
        values = {"number": item.number, "name": item.row.premises_name, "excess": figures.excess_text}
        if figures.aid_status == "excess":
            lines.append(
                _(
                    "Offer %(number)s (%(name)s): its aid is over its legal ceiling by %(excess)s; the "
                    "excess could be recovered from you."
                )
                % values
            )
        else:
            lines.append(
                _(
                    "Offer %(number)s (%(name)s): its aid's ceiling is not known (the regional aid map is "
                    "not loaded); its aid is not subtracted from the total cost."
                )
                % values
            )
    if not lines:
        lines.append(_("The aid shown in every offer respects its legal ceilings (GBER, de minimis)."))
    return lines


def _caveats(evaluation: Evaluation, offers: list[DossierOffer]) -> list[str]:
    """What the reader must know before acting on the ranking, in words."""
    caveats = []
    for item in offers:
        if item.row.undersized:
            text = item.row.capacity_text
            caveats.append(labelled(f"{item.number}. {item.row.premises_name}", text[:1].lower() + text[1:]))
        if item.row.feasibility.verdict not in ("realistic", "unknown"):
            caveats.append(
                labelled(
                    f"{item.number}. {item.row.premises_name}",
                    _("recruitment is %(verdict)s: %(worst)s.")
                    % {"verdict": item.row.verdict_label.lower(), "worst": item.figures.worst_year_text},
                )
            )
        if item.figures.job_seekers is None:
            caveats.append(
                labelled(
                    f"{item.number}. {item.row.premises_name}",
                    _(
                        "the job seekers in reach are unknown: the criterion gives it the middle of the "
                        "scale."
                    ),
                )
            )
        if item.row.not_valued:
            caveats.append(
                labelled(
                    f"{item.number}. {item.row.premises_name}",
                    _("incentives not valued in money: %(names)s.")
                    % {"names": ", ".join(item.row.not_valued)},
                )
            )
    if not evaluation.basis.published:
        caveats.append(
            _(
                "The call was sent before the need and the scales were published with calls: they are the "
                "project's today."
            )
        )
    return caveats


def dossier_context(*, link: DossierLink, for_print: bool = False, charts: bool = True) -> dict[str, Any]:
    """Everything the dossier shows, read from the shortlisted proposals' sealed content and scored on the
    need and scales the call published. `charts=False` leaves the pictures (cost chart, score chart, map)
    out, for readers that show none (the workbook)."""
    call = link.call
    project = link.project
    shortlist_ids = set(link.shortlist.values_list("pk", flat=True))
    weights = call.weights or call_weights(call=call)
    evaluation = evaluate_call(call=call, weights=weights, only=shortlist_ids)
    needs = evaluation.needs
    need = evaluation.need
    jobs = needs.jobs_at_full_ramp
    hires = hires_compared(needs, years=call.years)
    offers = _offers(evaluation, jobs=jobs, hires=hires)
    adopted = project.adopted_sizing
    stored = read_sizing(adopted.summary if adopted is not None else None)
    percent = evaluation.percent
    return {
        "link": link,
        "project": project,
        "call": call,
        "agency": agency_contact_from_settings(),
        "offers": offers,
        "recommended": offers[0] if offers else None,
        # Every offer too small: the first one is first on the rest, not an answer to the whole need.
        "none_seats_the_need": bool(offers) and all(item.row.undersized for item in offers),
        "evaluation": evaluation,
        "criteria": [
            (reasons.criterion_label(c.value), percent[c.value], numbers.percent(percent[c.value] / 100))
            for c in scoring.CRITERIA
        ],
        "weights_total": numbers.percent(math.fsum(percent.values()) / 100),
        "need": need,
        "need_rows": need_phrasing.need_rows(need),
        "hires_text": need_phrasing.hires_counted_text(need, call.years),
        "scales_lines": reasons.scales_lines(
            evaluation.scales,
            evaluation.basis.ceiling,
            area_per_seat_m2=needs.area_per_seat_m2,
            peak_hires=need.hires_peak,
        ),
        "caveats": _caveats(evaluation, offers),
        "aid_statement": aid_statement(offers),
        "cost_chart": cost_chart(offers, for_print=for_print) if charts and offers else "",
        "score_chart": _score_chart(evaluation) if charts and len(offers) > 1 else "",
        "map": offers_map(offers, for_print=for_print) if charts else "",
        "for_print": for_print,
        "sizing": stored if stored.sized else None,
        "sizing_number": adopted.number if adopted is not None else None,
        "sizing_rows": sizing_phrasing.input_rows(stored) if stored.sized else [],
        "sources": public_data_lines(),
        "demo": any(item.offer.is_demo for item in offers),
        "generated_at": timezone.now(),
        "expires_at": link.expires_at,
    }


def public_data_lines() -> list[str]:
    """The public data behind the dossier's figures, one line per kind of data, written for readers: the
    publisher, the vintages used and the licence (the files' own provenance stays in the data package)."""
    loaded = {item.key: item for item in DatasetSource.objects.all()}
    if not loaded:
        return []

    def years(*keys: str) -> str:
        found = sorted(
            {
                y
                for key in keys
                if key in loaded
                for y in re.findall(r"\b(?:19|20)\d\d\b", loaded[key].vintage)
            }
        )
        return numbers.join(found)

    lines = [
        _(
            "Communes, départements and intercommunalities: INSEE's official geography and municipal "
            "populations, "
            "DGCL's list of intercommunalities, as published by Etalab (%(years)s); Licence Ouverte 2.0."
        )
        % {"years": years("regions.csv", "departements.csv", "epci.csv", "communes.csv")},
    ]
    census = _census_year()
    if census:
        lines.append(
            _("People aged 20 to 64: INSEE, population census %(year)s; Licence Ouverte 2.0.")
            % {"year": census}
        )
    if any(key.endswith(":latitude,longitude") or key == "contours.csv" for key in loaded):
        lines.append(_("Commune locations and contours: IGN Admin Express; Licence Ouverte 2.0."))
    return lines


# The page's content is cached without the link's token (only its digest is stored anywhere): the photos'
# addresses carry this placeholder, replaced by the reader's token when the page is served.
TOKEN_PLACEHOLDER = "dossier-token-placeholder"
LANGUAGES = ("fr", "en")


def _renders() -> Any:
    return caches["renders"]


def _render_html(link: DossierLink) -> str:
    context = {**dossier_context(link=link), "token": TOKEN_PLACEHOLDER}
    return render_to_string("offers/dossier_content.html", context)


def _render_pdf(link: DossierLink) -> bytes:
    from weasyprint import HTML

    # Photos are read from disk (file: URLs): the PDF is made without any network access.
    html = render_to_string("offers/dossier_print.html", dossier_context(link=link, for_print=True))
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def render_into_cache(*, link: DossierLink, kinds: Sequence[str] = ("html", "pdf")) -> None:
    """Render a dossier's page and PDF (or only those of ``kinds``) in the active language into the shared
    cache."""
    renders = _renders()
    if "html" in kinds:
        renders.set(_cache_key(link, "html"), _render_html(link), CACHE_SECONDS)
    if "pdf" in kinds:
        renders.set(_cache_key(link, "pdf"), _render_pdf(link), CACHE_SECONDS)


def dossier_html(*, link: DossierLink, token: str) -> str:
    """The page's content: from the render cache, or rendered now (a page takes a fraction of a second)."""
    key = _cache_key(link, "html")
    html = _renders().get(key)
    if html is None:
        html = _render_html(link)
        _renders().set(key, html, CACHE_SECONDS)
    return str(html).replace(TOKEN_PLACEHOLDER, token)


def cached_pdf(*, link: DossierLink) -> bytes | None:
    """The printable dossier in the active language from the render cache; None if it is not there."""
    pdf = _renders().get(_cache_key(link, "pdf"))
    return None if pdf is None else bytes(pdf)


def pdf_render_claimed(*, link: DossierLink) -> bool:
    """Whether this reader is the first to miss the PDF for a while: then it is the one to queue its
    rendering, and the others wait for it."""
    return bool(_renders().add(_cache_key(link, "pdf") + ":queued", True, 300))


def dossier_photo(*, link: DossierLink, public_id: str) -> PremisesPhoto | None:
    """A photo the dossier shows: one listed in a shortlisted proposal's sealed content."""
    sealed = [
        parse_sealed(proposal.sealed.canonical)
        for proposal in link.shortlist.select_related("sealed")
        if proposal.sealed is not None
    ]
    if not any(public_id in offer.photos for content in sealed for offer in content.offers):
        return None
    return PremisesPhoto.objects.filter(public_id=public_id).first()


def dossier_xlsx(*, link: DossierLink) -> bytes:
    """The dossier's figures as a workbook: translated headers, column widths, number formats; every figure
    the value the page shows (rounded once, the same way)."""
    from openpyxl import Workbook

    context = dossier_context(link=link, charts=False)  # a workbook holds figures, no picture
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    _summary_sheet(summary, context)
    _need_sheet(workbook.create_sheet(_("The need")[:31]), context)
    _criteria_sheet(workbook.create_sheet(_("Score by criterion")[:31]), context)
    _flows_sheet(workbook.create_sheet(_("Costs by year")[:31]), context)
    _method_sheet(workbook.create_sheet(_("Method and sources")[:31]), context)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EUROS, WHOLE, POINTS, SHARE = '#,##0 "EUR"', "#,##0", "0.0", "0.0%"


def _table(
    sheet: Any, header: list[str], rows: list[list[Any]], formats: dict[int, str], widths: list[int]
) -> None:
    """A header in bold, the rows with each column's number format, the columns' widths, the header frozen."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    xlsx_append(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        xlsx_append(sheet, values)
        for index, number_format in formats.items():
            sheet.cell(row=sheet.max_row, column=index + 1).number_format = number_format
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=sheet.max_row - len(rows) + 1, column=1)


def _summary_sheet(summary: Any, context: dict[str, Any]) -> None:
    from guichet.phrasing.labour import figure_source

    summary.title = _("Comparison")[:31]
    xlsx_append(summary, [_("Project"), context["project"].code_name])
    xlsx_append(summary, [_("Call for offers"), context["call"].title])
    agency = context["agency"]
    xlsx_append(
        summary,
        [
            _("Prepared by"),
            " · ".join(str(part) for part in (agency.name, agency.email, agency.phone) if part),
        ],
    )
    xlsx_append(
        summary, [_("Generated on"), timezone.localtime(context["generated_at"]).replace(tzinfo=None)]
    )
    summary.cell(row=summary.max_row, column=2).number_format = "dd/mm/yyyy hh:mm"
    xlsx_append(summary, [])
    rows = []
    for item in context["offers"]:
        row, figures = item.row, item.figures
        rows.append(
            [
                item.number,
                row.premises_name,
                row.commune_name,
                row.authority_name,
                row.offer.area_m2,
                row.seats_held,
                _("too small for the need") if row.undersized else "",
                float(row.offer.rent_eur_m2_year),
                float(figures.score),
                figures.net_pv_eur,
                figures.per_seat_year_eur,
                figures.job_seekers,
                figure_source(row.labour.job_seekers_in_reach[0]),
                shown_share(figures.pool_share),
                row.verdict_label,
                None if figures.operation is None else figures.operation.total_year_eur,
                None if figures.operation is None else figures.operation.per_seat_year_eur,
                row.aid_text,
            ]
        )
    _table(
        summary,
        [
            _("Rank"),
            _("Premises"),
            _("Commune"),
            _("Authority"),
            _("Area offered (m²)"),
            _("Seats it holds"),
            _("Capacity"),
            _("Rent (EUR/m²/year excl. VAT)"),
            _("Score (out of 100)"),
            _("Net occupancy cost (EUR, present value)"),
            _("Net cost per seat a year (EUR)"),
            _("Job seekers in category A in reach"),
            _("Source of job seekers"),
            _("Share of the pool needed in the peak year"),
            _("Recruitment verdict"),
            _("Total cost of operation a year (EUR, not scored)"),
            _("Total cost of operation per seat a year (EUR)"),
            _("Aid against the law"),
        ],
        rows,
        {
            4: WHOLE,
            5: WHOLE,
            7: "#,##0.00",
            8: POINTS,
            9: EUROS,
            10: EUROS,
            11: WHOLE,
            13: SHARE,
            15: EUROS,
            16: EUROS,
        },
        [6, 28, 18, 28, 12, 10, 16, 12, 10, 16, 14, 14, 50, 14, 16, 16, 14, 60],
    )


def _need_sheet(sheet: Any, context: dict[str, Any]) -> None:
    _table(
        sheet,
        [_("Figure"), _("Value"), _("Where it comes from")],
        [[row.label, row.value, row.origin] for row in context["need_rows"]],
        {},
        [28, 50, 50],
    )


def _criteria_sheet(criteria: Any, context: dict[str, Any]) -> None:
    labels = [label for label, _weight, _text in context["criteria"]]
    _table(
        criteria,
        [_("Rank"), _("Premises"), *labels, _("Score (out of 100)")],
        [
            [
                item.number,
                item.row.premises_name,
                *[float(numbers.rounded(c.points * 100, 1)) for c in item.row.criteria],
                float(item.figures.score),
            ]
            for item in context["offers"]
        ],
        {index: POINTS for index in range(2, 3 + len(labels))},
        [6, 28, *[16] * len(labels), 12],
    )


def _flows_sheet(flows: Any, context: dict[str, Any]) -> None:
    _table(
        flows,
        [_("Rank"), _("Premises"), _("Year of the lease"), _("Net cost (EUR, undiscounted)")],
        [
            [item.number, item.row.premises_name, year, int(numbers.rounded(net))]
            for item in context["offers"]
            for year, net in item.row.cash_flows
        ],
        {3: EUROS},
        [6, 28, 14, 20],
    )


def _method_sheet(method: Any, context: dict[str, Any]) -> None:
    xlsx_append(method, [_("Method"), context["evaluation"].method])
    xlsx_append(method, [_("Tie-break rule"), context["evaluation"].tie_break_rule])
    for line in context["scales_lines"]:
        xlsx_append(method, [_("Scale"), line])
    for label, weight, _text in context["criteria"]:
        xlsx_append(method, [_("Weight"), label, weight / 100])
        method.cell(row=method.max_row, column=3).number_format = SHARE
    for line in context["sources"]:
        xlsx_append(method, [_("Source"), line])
    if context["sizing"]:
        model = context["sizing"].model
        xlsx_append(method, [_("Sizing"), str(sizing_phrasing.MODEL_LABELS.get(model, model))])
        for row in context["sizing_rows"]:
            xlsx_append(method, [_("Sizing input"), row["label"], row["value"], row["source"]])
    for letter, width in zip("ABCD", (18, 60, 30, 40), strict=True):
        method.column_dimensions[letter].width = width
