"""The pipeline's writes and pages: dated moves with who and why, what a decision records, the jobs
follow-up, the dashboard's page, charts and downloads in French and English."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from guichet.accounts.models import User
from guichet.audit.models import AuditEvent
from guichet.catalogue.models import Authority, Premises
from guichet.offers import services as offer_services
from guichet.offers.drafts import OfferTerms
from guichet.projects import selectors, services
from guichet.projects.charts import funnel_chart_svg, jobs_chart_svg, territory_map_svg
from guichet.projects.dashboard import Column, Dashboard, DashboardFilters, Table, dashboard_figures
from guichet.projects.models import JobsBasis, LossReason, Project, Stage, StageChange

from ..scene import make_premises

pytestmark = pytest.mark.django_db

D = dt.date


def _won(actor: User, project: Project, on: dt.date, **values: object) -> Project:
    for stage in (Stage.QUALIFIED, Stage.SHORTLIST):
        project = services.project_move(actor=actor, project=project, stage=stage, at=on)
    return services.project_move(actor=actor, project=project, stage=Stage.WON, at=on, **values)


@pytest.fixture
def temis(grand_besancon: Authority) -> Premises:
    return make_premises(grand_besancon, "Temis Center", "25056", 3000, "95")


@pytest.fixture
def technhom(grand_belfort: Authority) -> Premises:
    return make_premises(grand_belfort, "Techn'hom 7", "90010", 3500, "85")


def test_a_won_project_announces_the_jobs_of_its_sizing_unless_the_agency_gives_a_figure(
    agnes: User, temis: Premises
) -> None:
    sized = services.project_create(actor=agnes, code_name="Sized", entered_on=D(2025, 1, 6))
    sized = services.project_size(actor=agnes, project=sized, calls=1000, aht_seconds=300, shrinkage=0.3)
    full_ramp_up = max(year["headcount"] for year in sized.sizing["hiring"])  # type: ignore[index]
    assert selectors.project_sized_jobs(project=sized) == full_ramp_up > 200
    sized = _won(agnes, sized, D(2025, 6, 2), chosen_premises=temis)
    assert (sized.jobs_announced, sized.jobs_announced_basis) == (full_ramp_up, JobsBasis.SIZING)
    assert sized.site_commune_id == "25056"  # from the premises chosen

    given = services.project_create(actor=agnes, code_name="Given", entered_on=D(2025, 1, 6))
    given = services.project_size(actor=agnes, project=given, calls=1000, aht_seconds=300)
    given = _won(agnes, given, D(2025, 6, 2), jobs_announced=120, investment_eur=Decimal(2_500_000))
    assert (given.jobs_announced, given.jobs_announced_basis, given.investment_eur) == (
        120,
        JobsBasis.AGENCY,
        Decimal(2_500_000),
    )
    figures = dashboard_figures(filters=DashboardFilters(year_from=2025, year_to=2025))
    assert figures.totals["jobs_announced"] == full_ramp_up + 120
    assert figures.totals["investment_eur"] == 2_500_000


def test_every_move_keeps_who_when_and_why_and_dates_stay_in_order(agnes: User) -> None:
    project = services.project_create(actor=agnes, code_name="Datée", entered_on=D(2025, 3, 1))
    project = services.project_move(
        actor=agnes, project=project, stage=Stage.QUALIFIED, at=D(2025, 3, 20), note="Visite du siège"
    )
    move = project.stage_changes.get(stage=Stage.QUALIFIED)
    assert (move.from_stage, move.at, move.note, move.recorded_by) == (
        Stage.LEAD,
        D(2025, 3, 20),
        "Visite du siège",
        agnes,
    )
    with pytest.raises(ValidationError) as before:
        services.project_move(actor=agnes, project=project, stage=Stage.SHORTLIST, at=D(2025, 3, 19))
    assert "at" in before.value.message_dict
    with pytest.raises(ValidationError) as future:
        services.project_move(
            actor=agnes,
            project=project,
            stage=Stage.SHORTLIST,
            at=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "at" in future.value.message_dict
    assert project.stage_changes.count() == 2  # nothing half-saved
    assert Project.objects.get(pk=project.pk).stage == Stage.QUALIFIED
    with pytest.raises(ValidationError):
        services.project_create(
            actor=agnes, code_name="Future", entered_on=timezone.localdate() + dt.timedelta(1)
        )
    assert AuditEvent.objects.filter(action="stage", object_id=str(project.pk)).count() == 1


def test_a_competition_can_go_round_again_and_the_history_keeps_both_rounds(agnes: User) -> None:
    project = services.project_create(actor=agnes, code_name="Rounds", entered_on=D(2025, 1, 2))
    for stage, day in (
        (Stage.QUALIFIED, D(2025, 1, 10)),
        (Stage.CALL_FOR_OFFERS, D(2025, 2, 1)),
        (Stage.SHORTLIST, D(2025, 3, 1)),
        (Stage.CALL_FOR_OFFERS, D(2025, 4, 1)),  # a second call after a first shortlist
        (Stage.SHORTLIST, D(2025, 5, 1)),
        (Stage.VISITS, D(2025, 5, 20)),
    ):
        project = services.project_move(actor=agnes, project=project, stage=stage, at=day)
    assert list(project.stage_changes.values_list("stage", flat=True)).count(Stage.SHORTLIST) == 2
    figures = dashboard_figures(filters=DashboardFilters(year_from=2025, year_to=2025))
    stages = {row[0]: row[1:] for row in figures["stages"].rows}
    with translation.override("fr"):
        assert stages[str(Stage.SHORTLIST.label)] == (0, 1)  # entered once, counted once
        assert stages[str(Stage.VISITS.label)] == (1, 1)  # where it stands at the end of 2025
    assert figures.totals["leads"] == 1
    with pytest.raises(ValidationError):
        services.project_move(actor=agnes, project=project, stage=Stage.QUALIFIED)  # not from visits


def test_a_loss_takes_a_reason_from_the_list_and_other_needs_details(agnes: User) -> None:
    project = services.project_create(actor=agnes, code_name="Perdu", entered_on=D(2025, 1, 2))
    with pytest.raises(ValidationError) as caught:
        services.project_move(actor=agnes, project=project, stage=Stage.LOST, loss_reason="bad-code")
    assert "loss_reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as other:
        services.project_move(actor=agnes, project=project, stage=Stage.LOST, loss_reason=LossReason.OTHER)
    assert "loss_details" in other.value.message_dict
    project = services.project_move(
        actor=agnes, project=project, stage=Stage.LOST, loss_reason=LossReason.ABROAD, lost_to="Portugal"
    )
    assert (project.stage, project.loss_reason, project.lost_to) == (Stage.LOST, "abroad", "Portugal")
    figures = dashboard_figures(filters=DashboardFilters(year_from=2025, year_to=timezone.localdate().year))
    assert dict(figures["lost_to"].rows) == {"Portugal": 1}


def test_a_call_for_offers_sent_is_a_move_of_the_history(
    agnes: User, project: Project, temis: Premises, technhom: Premises
) -> None:
    call = offer_services.call_create(
        actor=agnes, project=project, title="Appel", brief="b", deadline=timezone.now() + dt.timedelta(days=9)
    )
    offer_services.call_open(actor=agnes, call=call)
    move = StageChange.objects.get(project=project, stage=Stage.CALL_FOR_OFFERS)
    assert (move.from_stage, move.recorded_by, move.at) == (Stage.LEAD, agnes, timezone.localdate())
    assert Project.objects.get(pk=project.pk).stage == Stage.CALL_FOR_OFFERS


def test_the_decision_offers_the_premises_of_the_project_proposals(
    agnes: User, alice: User, project: Project, call: Any, temis: Premises, technhom: Premises
) -> None:
    offer_services.call_open(actor=agnes, call=call)
    offer_services.proposal_submit(
        actor=alice,
        call=call,
        offers=[OfferTerms(premises_id=temis.pk, area_m2=3000, rent_eur_m2_year=Decimal(90))],
    )
    client = Client()
    client.force_login(agnes)

    def choices() -> list[str]:
        page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
        return re.findall(
            r'<option value="(\d+)"', page.split('name="chosen_premises"')[1].split("</select>")[0]
        )

    assert choices() == []  # sealed until the deadline, from the agency too
    from ..scene import close_call

    close_call(call)
    assert choices() == [str(temis.pk)]  # Bob's Techn'hom was not offered
    response = client.post(
        reverse("projects:move", args=[project.pk]),
        {"stage": Stage.QUALIFIED, "at": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    project = services.project_move(actor=agnes, project=project, stage=Stage.SHORTLIST)
    # A premises that was not offered to the project cannot be posted as its choice either.
    refused = client.post(
        reverse("projects:move", args=[project.pk]),
        {"stage": Stage.WON, "chosen_premises": technhom.pk},
        follow=True,
        headers={"accept-language": "en"},
    )
    assert Project.objects.get(pk=project.pk).stage == Stage.SHORTLIST
    assert [str(m) for m in refused.context["messages"]][-1] == (
        "Premises chosen: Select a valid choice. That choice is not one of the available choices."
    )
    client.post(
        reverse("projects:move", args=[project.pk]),
        {"stage": Stage.WON, "chosen_premises": temis.pk, "floor_area_taken_m2": "2800"},
    )
    project.refresh_from_db()
    assert (project.stage, project.chosen_premises, project.site_commune_id, project.floor_area_taken_m2) == (
        Stage.WON,
        temis,
        "25056",
        2800,
    )
    assert project.jobs_announced == selectors.project_sized_jobs(project=project)


def test_the_signature_of_a_call_is_the_win_of_its_project(
    agnes: User, alice: User, project: Project, call: Any, temis: Premises, technhom: Premises
) -> None:
    from guichet.offers import evaluation

    from ..scene import close_call

    offer_services.call_open(actor=agnes, call=call)
    proposal = offer_services.proposal_submit(
        actor=alice,
        call=call,
        offers=[OfferTerms(premises_id=temis.pk, area_m2=3000, rent_eur_m2_year=Decimal(90))],
    )
    close_call(call)
    offer_services.call_decide(actor=agnes, call=call, weights=evaluation.call_weights(call=call))
    offer_services.call_choose_offer(actor=agnes, call=call, proposal=proposal, premises_id=temis.pk)
    assert Project.objects.get(pk=project.pk).stage == Stage.CALL_FOR_OFFERS  # a choice is not a signature
    offer_services.call_confirm_signature(actor=agnes, call=call)
    project.refresh_from_db()
    assert (project.stage, project.chosen_premises, project.site_commune_id) == (Stage.WON, temis, "25056")
    assert project.jobs_announced == selectors.project_sized_jobs(project=project) > 0
    move = project.stage_changes.get(stage=Stage.WON)
    assert (move.at, move.from_stage, move.recorded_by) == (
        timezone.localdate(),
        Stage.CALL_FOR_OFFERS,
        agnes,
    )
    assert names_of(selectors.projects_that_chose(authority=alice.authority)) == [project.code_name]


def names_of(projects: Any) -> list[str]:
    return [item.code_name for item in projects]


def test_jobs_created_are_reported_for_won_projects_from_the_decision_year(agnes: User) -> None:
    project = services.project_create(actor=agnes, code_name="Emplois", entered_on=D(2024, 2, 1))
    with pytest.raises(ValidationError):
        services.project_record_jobs(actor=agnes, project=project, year=2024, jobs=10)
    project = _won(agnes, project, D(2024, 9, 1), jobs_announced=80)
    with pytest.raises(ValidationError) as early:
        services.project_record_jobs(actor=agnes, project=project, year=2023, jobs=10)
    assert "year" in early.value.message_dict
    with pytest.raises(ValidationError):
        services.project_record_jobs(
            actor=agnes, project=project, year=timezone.localdate().year + 1, jobs=10
        )
    services.project_record_jobs(actor=agnes, project=project, year=2025, jobs=30, source="Déclaration")
    record = services.project_record_jobs(actor=agnes, project=project, year=2025, jobs=35, source="URSSAF")
    assert (project.jobs_created.count(), record.jobs, record.source, record.recorded_by) == (
        1,
        35,
        "URSSAF",
        agnes,
    )


def test_the_follow_up_lists_the_sites_that_owe_their_yearly_report(agnes: User) -> None:
    def opened(name: str, won: dt.date, installed: dt.date | None, opening: dt.date | None = None) -> Project:
        project = services.project_create(
            actor=agnes, code_name=name, entered_on=won - dt.timedelta(days=90), opening_date=opening
        )
        project = _won(agnes, project, won, jobs_announced=50)
        if installed:
            project = services.project_move(actor=agnes, project=project, stage=Stage.INSTALLED, at=installed)
        return project

    reported = opened("Reported", D(2021, 3, 1), D(2021, 10, 1))
    due = opened("Due", D(2022, 5, 1), D(2023, 1, 15))
    planned = opened("Planned", D(2023, 2, 1), None, opening=D(2024, 9, 1))
    opened("Too old", D(2018, 1, 1), D(2019, 1, 1))  # 2019 to 2023: done by 2024
    opened("Not open yet", D(2024, 3, 1), None, opening=D(2025, 6, 1))
    services.project_record_jobs(actor=agnes, project=reported, year=2024, jobs=12)
    rows = selectors.jobs_follow_up(year=2024)
    assert [(row.project.code_name, row.opening_year, row.jobs_reported) for row in rows] == [
        ("Due", 2023, None),
        ("Planned", 2024, None),
        ("Reported", 2021, 12),
    ]
    assert [row.due for row in rows] == [True, True, False]
    assert planned.pk and due.pk
    client = Client()
    client.force_login(agnes)
    page = client.get(reverse("projects:follow_up"), {"year": 2024}).content.decode()
    assert "Due" in page and "2 024" not in page and "2024" in page
    csv_text = client.get(reverse("projects:follow_up"), {"year": 2024, "format": "csv"}).content.decode()
    assert f"{reported.reference};Reported;2021;2021;12;\r\n" in csv_text


def test_a_decision_is_completed_later_and_made_public_no_later_than_today(
    agnes: User, temis: Premises
) -> None:
    project = services.project_create(actor=agnes, code_name="Complétée", entered_on=D(2025, 1, 2))
    with pytest.raises(ValidationError):
        services.project_record_outcome(actor=agnes, project=project, investment_eur=Decimal(1))
    project = _won(agnes, project, D(2025, 5, 5), chosen_premises=temis)
    project = services.project_record_outcome(
        actor=agnes, project=project, investment_eur=Decimal(3_000_000), public_from=D(2025, 6, 1)
    )
    assert (project.investment_eur, project.public_from) == (Decimal(3_000_000), D(2025, 6, 1))
    with pytest.raises(ValidationError):
        services.project_record_outcome(
            actor=agnes, project=project, public_from=timezone.localdate() + dt.timedelta(days=2)
        )


def test_only_agency_staff_move_projects_or_record_jobs(agnes: User, alice: User, project: Project) -> None:
    with pytest.raises(PermissionDenied):
        services.project_move(actor=alice, project=project, stage=Stage.QUALIFIED)
    with pytest.raises(PermissionDenied):
        services.project_record_jobs(actor=alice, project=project, year=2025, jobs=1)
    with pytest.raises(PermissionDenied):
        services.project_record_outcome(actor=alice, project=project, jobs_announced=1)


# --- pages, charts and downloads --------------------------------------------------------------------------


@pytest.fixture
def decided(agnes: User, temis: Premises, technhom: Premises) -> list[Project]:
    won = services.project_create(actor=agnes, code_name="Aurore", entered_on=D(2024, 10, 1))
    won = _won(
        agnes, won, D(2025, 2, 3), jobs_announced=1250, chosen_premises=temis, floor_area_taken_m2=2700
    )
    services.project_record_jobs(actor=agnes, project=won, year=2025, jobs=1100)
    other = services.project_create(actor=agnes, code_name="Boréal", entered_on=D(2025, 1, 10))
    other = _won(agnes, other, D(2025, 7, 1), jobs_announced=90, chosen_premises=technhom)
    lost = services.project_create(actor=agnes, code_name="Cirrus", entered_on=D(2025, 1, 10))
    services.project_move(
        actor=agnes, project=lost, stage=Stage.LOST, at=D(2025, 4, 1), loss_reason="abroad", lost_to="Maroc"
    )
    return [won, other, lost]


def test_the_dashboard_page_writes_years_and_numbers_the_french_and_the_english_way(
    agnes: User, decided: list[Project]
) -> None:
    client = Client()
    client.force_login(agnes)
    url = reverse("projects:dashboard")
    french = client.get(url, {"year_from": 2024, "year_to": 2025}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<td>2025</td>" in french and "2\u202f025" not in french and "2 025" not in french
    assert "1\u202f340" in french  # jobs announced 1,250 + 90, grouped the French way
    assert "Emplois annoncés" in french
    assert "137,5\u202f%" in french  # 1,100 jobs created against 400 a year over two years
    client.cookies.load({"django_language": "en"})
    english = client.get(url, {"year_from": 2024, "year_to": 2025}).content.decode()
    assert "<td>2025</td>" in english and "1,340" in english and "Jobs announced" in english
    assert "137.5%" in english
    # The project page: dates day-month-year in English too.
    detail = client.get(reverse("projects:detail", args=[decided[0].pk])).content.decode()
    assert "03/02/2025" in detail and "3 February 2025" in detail


def test_each_chart_is_an_svg_of_the_same_numbers_in_the_reader_language(
    agnes: User, decided: list[Project]
) -> None:
    client = Client()
    client.force_login(agnes)
    query = {"year_from": 2025, "year_to": 2025}
    for name, label_fr, label_en in (
        ("jobs", "Emplois créés", "Jobs created"),
        ("funnel", "Conversion", "Conversion"),
        ("map", "Emplois annoncés par EPCI", "Jobs announced by EPCI"),
    ):
        response = client.get(
            reverse("projects:dashboard_chart", args=[name]), query, HTTP_ACCEPT_LANGUAGE="fr"
        )
        assert response["Content-Type"].startswith("image/svg+xml")
        svg = response.content.decode()
        assert svg.startswith("<svg") and label_fr in svg and "<script" not in svg
        with translation.override("en"):
            english = {"jobs": jobs_chart_svg, "funnel": funnel_chart_svg, "map": territory_map_svg}[name](
                dashboard_figures(filters=DashboardFilters(2025, 2025))
            )
        assert label_en in english
    svg = client.get(reverse("projects:dashboard_chart", args=["jobs"]), query, HTTP_ACCEPT_LANGUAGE="fr")
    chart = svg.content.decode()
    assert "1\u202f340" in chart and "1\u202f100" in chart  # 1,250 + 90 announced
    assert client.get(reverse("projects:dashboard_chart", args=["pie"])).status_code == 404


def test_chart_text_is_never_read_as_mathtext() -> None:
    table = Table(
        key="funnel",
        title="t",
        columns=[
            Column("step", "Step", "text"),
            Column("projects", "Projects"),
            Column("share_of_previous", "p", "share"),
            Column("share_of_leads", "l", "share"),
        ],
        rows=[("Leads $x^2$", 3, None, 1.0), ("Won $\\alpha$", 1, 1 / 3, 1 / 3)],
    )
    svg = funnel_chart_svg(
        Dashboard(filters=DashboardFilters(2025, 2025), target_per_year=400, tables={"funnel": table})
    )
    assert "Leads $x^2$" in svg and "Won $\\alpha$" in svg


def test_downloads_are_attachments_named_for_the_period(agnes: User, decided: list[Project]) -> None:
    client = Client()
    client.force_login(agnes)
    query = {"year_from": 2025, "year_to": 2025, "departement": "25"}
    csv_response = client.get(reverse("projects:dashboard_export", args=["years", "csv"]), query)
    assert csv_response["Content-Disposition"] == 'attachment; filename="guichet-years-2025_25.csv"'
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "2025;0;1;0;0;1250;1100;400;275,0;2700;0"  # Doubs only: Aurore
    workbook = client.get(reverse("projects:dashboard_export", args=["all", "xlsx"]), query)
    sheets = load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert len(sheets) == 10
    assert client.get(reverse("projects:dashboard_export", args=["nope", "csv"])).status_code == 404
    assert client.get(reverse("projects:dashboard_export", args=["all", "csv"])).status_code == 404
    assert client.get(reverse("projects:dashboard_export", args=["years", "pdf"])).status_code == 404


def test_a_bad_period_falls_back_to_the_default_and_says_why(agnes: User) -> None:
    client = Client()
    client.force_login(agnes)
    page = client.get(
        reverse("projects:dashboard"), {"year_from": 2026, "year_to": 2020}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    assert "The period ends before it starts." in page.content.decode()


def test_a_double_post_of_the_same_year_keeps_one_figure(agnes: User) -> None:
    project = services.project_create(actor=agnes, code_name="Double", entered_on=D(2024, 2, 1))
    project = _won(agnes, project, D(2024, 9, 1), jobs_announced=80)
    client = Client()
    client.force_login(agnes)
    url = reverse("projects:jobs", args=[project.pk])
    for jobs in ("30", "31"):
        response = client.post(url, {"year": "2025", "jobs": jobs, "source": "Déclaration"})
        assert response.status_code == 302
    assert list(project.jobs_created.values_list("year", "jobs")) == [(2025, 31)]


ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks are PostgreSQL's; SQLite serialises whole writes")
@pytest.mark.django_db(transaction=True)
def test_two_posts_of_the_same_year_at_once_keep_one_figure_on_postgresql() -> None:
    from guichet.accounts.models import Role
    from guichet.territory.services import territory_load_dataset

    territory_load_dataset()
    agnes = User.objects.create_user("agnes", password="x", role=Role.AGENCY)
    failures: list[BaseException] = []
    for round_number in range(8):
        project = services.project_create(
            actor=agnes, code_name=f"Race {round_number}", entered_on=D(2024, 2, 1)
        )
        project = _won(agnes, project, D(2024, 9, 1), jobs_announced=80)
        barrier = threading.Barrier(2)

        def post(jobs: int, project: Project = project, barrier: threading.Barrier = barrier) -> None:
            try:
                barrier.wait()
                services.project_record_jobs(actor=agnes, project=project, year=2025, jobs=jobs)
            except BaseException as error:
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=post, args=(jobs,)) for jobs in (30, 31)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert project.jobs_created.count() == 1
