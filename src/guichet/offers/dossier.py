"""The investor's dossier: the same content as a page, a PDF (WeasyPrint) and a spreadsheet (openpyxl).

Charts and the map are drawn as SVG with matplotlib's object API, so the dossier needs no network and no
JavaScript. Every offer is read from its proposal's sealed content.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from guichet.catalogue.models import PremisesPhoto
from guichet.exports import xlsx_append
from guichet.offers import reasons
from guichet.offers.evaluation import Evaluation, call_weights, evaluate_call
from guichet.offers.models import DossierLink
from guichet.offers.sealing import parse_sealed
from guichet.territory.models import Commune, DatasetSource


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def cost_chart_svg(evaluation: Evaluation, keys: set[str]) -> str:
    # A figure of its own (no pyplot global state) whose texts are never read as mathematics: an
    # authority's premises name with two "$" signs prints as written.
    with matplotlib.rc_context({"text.parse_math": False}):
        figure = Figure(figsize=(7, 3.2))
        axes = figure.subplots()
        for row in evaluation.rows:
            if row.key not in keys:
                continue
            years = [year for year, _net in row.cash_flows]
            cumulative = []
            total = 0.0
            for _year, net in row.cash_flows:
                total += net
                cumulative.append(total / 1000)
            axes.plot(years, cumulative, marker="o", label=f"{row.premises_name} ({row.commune_name})")
        axes.set_xlabel(_("Year"))
        axes.set_ylabel(_("Cumulative net occupancy cost (kEUR, undiscounted)"))
        axes.grid(alpha=0.3)
        axes.legend(fontsize=7, loc="upper left")
        return _svg(figure)


def map_svg(points: list[tuple[str, float, float]], departements: set[str]) -> str:
    """Commune contours of the départements concerned, with the shortlisted premises as numbered markers."""
    # A figure of its own (no pyplot global state) whose texts are never read as mathematics: an
    # authority's premises name with two "$" signs prints as written.
    with matplotlib.rc_context({"text.parse_math": False}):
        figure = Figure(figsize=(6, 6))
        axes = figure.subplots()
        contours = Commune.objects.filter(departement__in=departements, contour__isnull=False)
        for contour in contours.values_list("contour__geojson", flat=True):
            if not contour:
                continue
            polygons = (
                contour["coordinates"] if contour["type"] == "MultiPolygon" else [contour["coordinates"]]
            )
            for polygon in polygons:
                ring = polygon[0]
                axes.plot([p[0] for p in ring], [p[1] for p in ring], color="#b8c0cc", linewidth=0.3)
        for number, (label, latitude, longitude) in enumerate(points, start=1):
            axes.plot(longitude, latitude, "o", color="#0b5cad", markersize=9)
            axes.annotate(
                str(number), (longitude, latitude), color="white", ha="center", va="center", fontsize=7
            )
            axes.annotate(label, (longitude, latitude), xytext=(6, 6), textcoords="offset points", fontsize=7)
        axes.set_aspect(1.45)  # roughly 1 / cos(46.5°): degrees of longitude are shorter at this latitude
        axes.axis("off")
        return _svg(figure)


def dossier_context(*, link: DossierLink) -> dict[str, Any]:
    """Everything the dossier shows, read from the shortlisted proposals' sealed content."""
    call = link.call
    project = link.project
    shortlist_ids = set(link.shortlist.values_list("pk", flat=True))
    weights = call.weights or call_weights(call=call)
    evaluation = evaluate_call(call=call, weights=weights, only=shortlist_ids)
    rows = evaluation.rows
    photo_ids = {photo_id for row in rows for photo_id in row.offer.photos}
    photos = {str(photo.public_id): photo for photo in PremisesPhoto.objects.filter(public_id__in=photo_ids)}
    offers = [
        {"row": row, "offer": row.offer, "photos": [photos[i] for i in row.offer.photos if i in photos]}
        for row in rows
    ]
    points = [(row.premises_name, *row.offer.point) for row in rows if row.offer.point]
    departements = {row.offer.departement for row in rows}
    return {
        "project": project,
        "call": call,
        "rows": rows,
        "offers": offers,
        "evaluation": evaluation,
        "cost_chart": cost_chart_svg(evaluation, {row.key for row in rows}) if rows else "",
        "map": map_svg(points, departements) if points else "",
        "sizing": project.sizing,
        "sources": DatasetSource.objects.all(),
        "generated_at": timezone.now(),
        "expires_at": link.expires_at,
    }


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


def dossier_pdf(*, link: DossierLink, request: HttpRequest | None = None) -> bytes:
    from weasyprint import HTML

    # Photos are read from disk (file: URLs): the PDF is made without any network access.
    context = {**dossier_context(link=link), "for_print": True}
    html = render_to_string("offers/dossier_print.html", context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/") if request else None).write_pdf()  # type: ignore[no-any-return]


def dossier_xlsx(*, link: DossierLink) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = dossier_context(link=link)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Comparison")[:31]
    bold = Font(bold=True)
    xlsx_append(sheet, [_("Project"), context["project"].code_name])
    xlsx_append(sheet, [_("Call for offers"), context["call"].title])
    xlsx_append(sheet, [])
    header = [
        _("Rank"),
        _("Premises"),
        _("Commune"),
        _("Authority"),
        _("Score"),
        _("Net occupancy cost (EUR, present value)"),
        _("Net cost per seat (EUR)"),
        _("Job seekers in reach"),
        _("Source of job seekers"),
        _("Recruitment verdict"),
    ]
    xlsx_append(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in context["rows"]:
        seekers = row.labour.job_seekers_in_reach[0]
        xlsx_append(
            sheet,
            [
                row.rank,
                row.premises_name,
                row.commune_name,
                row.authority_name,
                round(row.score, 4),
                round(row.net_pv_eur),
                round(row.per_seat_eur),
                round(seekers.value or 0),
                seekers.source,
                row.verdict_label,
            ],
        )
    flows = workbook.create_sheet(_("Costs by year")[:31])
    xlsx_append(flows, [_("Premises"), _("Year"), _("Net cost (EUR, undiscounted)")])
    for row in context["rows"]:
        for year, net in row.cash_flows:
            xlsx_append(flows, [row.premises_name, year, round(net)])
    method = workbook.create_sheet(_("Method and sources")[:31])
    xlsx_append(method, [_("Method"), context["evaluation"].method])
    xlsx_append(method, [_("Tie-break rule"), context["evaluation"].tie_break_rule])
    for key, value in context["evaluation"].weights.items():
        xlsx_append(method, [_("Weight"), reasons.criterion_label(key), round(value, 4)])
    for source in context["sources"]:
        xlsx_append(method, [_("Source"), source.key, source.source, source.vintage, source.licence])
    if context["sizing"]:
        from guichet.projects.sizing_display import MODEL_LABELS, input_rows

        model = context["sizing"].get("model", "")
        xlsx_append(method, [_("Sizing"), str(MODEL_LABELS.get(model, model))])
        for row in input_rows(context["sizing"]):
            xlsx_append(method, [_("Sizing input"), row["label"], row["value"], row["source"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
