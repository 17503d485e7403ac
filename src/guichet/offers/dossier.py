"""The investor's dossier: the same content as a page, a PDF (WeasyPrint) and a spreadsheet (openpyxl).

Charts and the map are drawn as SVG with matplotlib, so the dossier needs no network and no JavaScript.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.offers.evaluation import Evaluation, candidate_key, evaluate_call
from guichet.offers.models import DossierLink
from guichet.territory.models import Commune, DatasetSource


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def cost_chart_svg(evaluation: Evaluation, keys: set[str]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 3.2))
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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    departements = {
        code
        for code in Commune.objects.filter(latitude__in=[lat for _n, lat, _lon in points]).values_list(
            "departement_id", flat=True
        )
    }
    figure, axes = plt.subplots(figsize=(6, 6))
    contours = Commune.objects.filter(departement__in=departements, contour__isnull=False)
    for contour in contours.values_list("contour__geojson", flat=True):
        if not contour:
            continue
        polygons = contour["coordinates"] if contour["type"] == "MultiPolygon" else [contour["coordinates"]]
        for polygon in polygons:
            ring = polygon[0]
            axes.plot([p[0] for p in ring], [p[1] for p in ring], color="#b8c0cc", linewidth=0.3)
    for number, (label, latitude, longitude) in enumerate(points, start=1):
        axes.plot(longitude, latitude, "o", color="#0b5cad", markersize=9)
        axes.annotate(str(number), (longitude, latitude), color="white", ha="center", va="center", fontsize=7)
        axes.annotate(label, (longitude, latitude), xytext=(6, 6), textcoords="offset points", fontsize=7)
    axes.set_aspect(1.45)  # roughly 1 / cos(46.5°): degrees of longitude are shorter at this latitude
    axes.axis("off")
    return _svg(figure)


def dossier_context(*, link: DossierLink) -> dict[str, Any]:
    call = link.call
    project = link.project
    shortlist_ids = set(link.shortlist.values_list("pk", flat=True))
    weights = call.weights or {}
    if not weights:
        from guichet.offers.evaluation import call_weights

        weights = call_weights(call=call)
    evaluation = evaluate_call(call=call, weights=weights)
    rows = [row for row in evaluation.rows if row.proposal_id in shortlist_ids]
    proposals = {
        proposal.pk: proposal
        for proposal in link.shortlist.prefetch_related(
            "offered__premises__photos", "incentives"
        ).select_related("authority")
    }
    offered_by_key = {
        candidate_key(proposal=proposal, offered=offered): offered
        for proposal in proposals.values()
        for offered in proposal.offered.all()
    }
    points = []
    departements: set[str] = set()
    offers = []
    for row in rows:
        premises = offered_by_key[row.key].premises
        offers.append({"row": row, "premises": premises, "photos": list(premises.photos.all())})
        point = premises.point
        if point:
            points.append((row.premises_name, point[0], point[1]))
            departements.add(premises.commune.departement_id)
    return {
        "project": project,
        "call": call,
        "rows": rows,
        "offers": offers,
        "proposals": proposals,
        "evaluation": evaluation,
        "cost_chart": cost_chart_svg(evaluation, {row.key for row in rows}) if rows else "",
        "map": map_svg(points, departements) if points else "",
        "sizing": project.sizing,
        "sources": DatasetSource.objects.all(),
        "generated_at": timezone.now(),
        "expires_at": link.expires_at,
    }


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
    sheet.append([_("Project"), context["project"].code_name])
    sheet.append([_("Call for offers"), context["call"].title])
    sheet.append([])
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
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in context["rows"]:
        seekers = row.labour.job_seekers_in_reach[0]
        sheet.append(
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
                row.feasibility.verdict,
            ]
        )
    flows = workbook.create_sheet(_("Costs by year")[:31])
    flows.append([_("Premises"), _("Year"), _("Net cost (EUR, undiscounted)")])
    for row in context["rows"]:
        for year, net in row.cash_flows:
            flows.append([row.premises_name, year, round(net)])
    method = workbook.create_sheet(_("Method and sources")[:31])
    method.append([_("Method"), context["evaluation"].method])
    method.append([_("Tie-break rule"), context["evaluation"].tie_break_rule])
    for key, value in context["evaluation"].weights.items():
        method.append([_("Weight"), key, round(value, 4)])
    for source in context["sources"]:
        method.append([_("Source"), source.key, source.source, source.vintage, source.licence])
    if context["sizing"]:
        from guichet.projects.sizing_display import MODEL_LABELS, input_rows

        model = context["sizing"].get("model", "")
        method.append([_("Sizing"), str(MODEL_LABELS.get(model, model))])
        for row in input_rows(context["sizing"]):
            method.append([_("Sizing input"), row["label"], row["value"], row["source"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
