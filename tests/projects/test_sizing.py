"""Sizing a project: one request through every door, the history, the figures it gives the project (unless
the agency set its own), the page with its chart, and hostile numbers turned into field errors."""

from __future__ import annotations

import html
import json
import math
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.accounts.models import User
from guichet.api.services import api_token_create
from guichet.catalogue.models import Authority
from guichet.engine import sizing as sz
from guichet.projects import selectors, services
from guichet.projects.models import Project, ProjectSizing

from ..scene import make_premises

pytestmark = pytest.mark.django_db

# The issue's investor: 12,000 calls a day, Monday to Saturday 8:00-20:00, 300 s, 80% within 20 s.
HOURS = "Mon-Sat 08:00-20:00"
ENGINE = sz.size(sz.build_request(calls_per_day=12_000, aht_seconds=300, opening_hours=HOURS))
FORM = {
    "volume_kind": "calls_per_day",
    "volume": "12000",
    "aht_seconds": "300",
    "channel": "calls",
    "profile": "inbound",
    "interval_minutes": "30",
    "service_level": "0.8",
    "answer_seconds": "20",
}


@pytest.fixture
def aurore(agnes: User) -> Project:
    return services.project_create(
        actor=agnes, code_name="Aurore", company_name="Acme SAS", opening_hours="lun-sam 8h-20h"
    )


def agency(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_post(user: User, path: str, body: dict[str, Any]) -> Any:
    token = api_token_create(user=user, name="test")
    return Client().post(
        "/api" + path,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_the_project_keeps_its_opening_hours_and_their_weekly_hours(aurore: Project) -> None:
    assert (aurore.opening_hours, aurore.opening_hours_per_week) == ("mon-sat 08:00-20:00", 72)


def test_every_door_gives_the_same_sizing(agnes: User, aurore: Project) -> None:
    """Daily volume + profile in the engine, the project form, the project API, and the public API's
    forecast of the intervals that volume becomes: the same agents per interval, FTE, seats and area."""
    response = agency(agnes).post(reverse("projects:size", args=[aurore.pk]), FORM)
    assert response.status_code == 302
    by_form = selectors.project_latest_sizing(project=aurore)
    assert by_form is not None and by_form.number == 1
    assert [row["agents"] for row in by_form.intervals] == list(ENGINE.agents)
    for name, value in (
        ("fte", ENGINE.fte),
        ("headcount", ENGINE.headcount),
        ("seats", ENGINE.seats),
        ("floor_area_m2", ENGINE.floor_area_m2),
    ):
        assert by_form.summary[name] == value, name
    assert by_form.summary["inputs"]["opening_hours_source"] == "project"

    other = services.project_create(actor=agnes, code_name="Boréal", opening_hours=HOURS)
    by_api = api_post(agnes, f"/projects/{other.pk}/sizing", {"calls_per_day": 12_000, "aht_seconds": 300})
    assert by_api.status_code == 200, by_api.content
    assert {k: by_api.json()["sizing"][k] for k in ("fte", "seats", "floor_area_m2")} == {
        k: by_form.summary[k] for k in ("fte", "seats", "floor_area_m2")
    }
    other_sizing = selectors.project_latest_sizing(project=other)
    assert other_sizing is not None and other_sizing.intervals == by_form.intervals

    forecast = [
        {"label": i.label, "calls": i.calls, "aht_seconds": i.aht_seconds, "open": i.open}
        for i in sz.request_forecast(ENGINE.request)
    ]
    public = Client().post(
        "/api/staffing", data=json.dumps({"forecast": forecast}), content_type="application/json"
    )
    assert public.status_code == 200
    body = public.json()
    assert [row["agents"] for row in body["intervals"]] == list(ENGINE.agents)
    assert (body["fte"], body["seats"], body["floor_area_m2"]) == (
        ENGINE.fte,
        ENGINE.seats,
        ENGINE.floor_area_m2,
    )


def test_the_sizing_feeds_the_project_and_its_eligibility(
    agnes: User, aurore: Project, grand_besancon: Authority
) -> None:
    fits = make_premises(grand_besancon, "Assez grand", "25056", 2_200, "95")
    make_premises(grand_besancon, "Trop petit", "25056", 2_000, "95")
    assert selectors.project_sized_jobs(project=aurore) is None
    services.project_size(actor=agnes, project=aurore, calls_per_day=12_000, aht_seconds=300)
    aurore.refresh_from_db()
    # Seats for the 179 people in the building at the peak; jobs are people (9 % part time).
    assert (aurore.seats, aurore.jobs_target, aurore.floor_area_wanted_m2) == (197, 289, 2_108)
    assert selectors.project_sized_jobs(project=aurore) == 289
    assert list(selectors.eligible_premises(project=aurore)) == [fits]  # 2,108 m² wanted
    assert selectors.project_figure_origins(project=aurore) == {
        "seats": "sizing",
        "jobs_target": "sizing",
        "floor_area_wanted_m2": "sizing",
    }


def test_the_agency_overrides_a_figure_and_can_give_it_back_to_the_sizing(
    agnes: User, aurore: Project
) -> None:
    services.project_size(actor=agnes, project=aurore, calls_per_day=12_000, aht_seconds=300)
    aurore.refresh_from_db()
    first = selectors.project_latest_sizing(project=aurore)
    assert first is not None and aurore.adopted_sizing == first  # the first sizing is the need's
    services.project_update(
        actor=agnes, project=aurore, seats=300, floor_area_wanted_m2=aurore.floor_area_wanted_m2
    )
    aurore.refresh_from_db()
    assert (aurore.seats, aurore.seats_overridden, aurore.floor_area_wanted_overridden) == (300, True, False)
    # Sizing again changes nothing of the need until the agency adopts the new sizing.
    services.project_size(actor=agnes, project=aurore, calls_per_day=10_000, aht_seconds=300)
    aurore.refresh_from_db()
    latest = selectors.project_latest_sizing(project=aurore)
    assert latest is not None and latest.number == 2
    assert (aurore.seats, aurore.floor_area_wanted_m2) == (300, 2_108)
    assert aurore.adopted_sizing == first and latest.summary["floor_area_m2"] < 2_108
    assert selectors.project_figure_origins(project=aurore)["seats"] == "agency"
    # Emptied, the figure is the adopted sizing's again.
    services.project_update(actor=agnes, project=aurore, seats=None)
    aurore.refresh_from_db()
    assert (aurore.seats, aurore.seats_overridden) == (first.summary["seats"], False)
    # Adopted, the new sizing's figures replace the need's.
    services.project_adopt_sizing(actor=agnes, project=aurore, number=2)
    aurore.refresh_from_db()
    assert (aurore.seats, aurore.floor_area_wanted_m2, aurore.jobs_target) == (
        latest.summary["seats"],
        latest.summary["floor_area_m2"],
        latest.summary["headcount"],
    )
    # Both sizings are kept, the latest first.
    assert list(selectors.project_sizing_history(project=aurore).values_list("number", flat=True)) == [2, 1]


def test_the_issues_72_hour_project_sized_on_its_busiest_half_hour(agnes: User) -> None:
    """The issue: 500 calls per half hour on a 72-hour week gave 1,531 m² and 1,530 m² on one page,
    the default 60 h instead of the project's 72 h, and no jobs announced. Seats are now for the 108 people
    in the building at the peak: 119 seats, 1,274 m² (119 x 10.7 = 1,273.3)."""
    project = services.project_create(actor=agnes, code_name="Issue", opening_hours_per_week=72)
    services.project_size(actor=agnes, project=project, calls=500, aht_seconds=300)
    project.refresh_from_db()
    assert project.sizing is not None
    assert project.sizing["opening_hours"] == "mon-sat 08:00-20:00"  # made from the project's 72 h
    assert project.sizing["inputs"]["opening_hours_source"] == "project_weekly_hours"
    assert (project.seats, project.jobs_target, project.floor_area_wanted_m2) == (119, 288, 1_274)
    assert selectors.project_sized_jobs(project=project) == 288
    page = agency(agnes).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert page.count("1\u202f274") >= 2 and "1\u202f273" not in page and "1273" not in page


def test_without_opening_hours_the_default_is_used_and_said(agnes: User) -> None:
    project = services.project_create(actor=agnes, code_name="Sans horaires")
    services.project_size(actor=agnes, project=project, calls=100, aht_seconds=180)
    project.refresh_from_db()
    assert project.sizing is not None and project.sizing["warnings"] == ["default_opening_hours"]
    assert project.sizing["fte"] == pytest.approx(21 * 60 / 35)  # 14 agents / 0.6715 -> 21 paid
    page = html.unescape(agency(agnes).get(reverse("projects:detail", args=[project.pk])).content.decode())
    assert "Le projet ne donne pas d'horaires d'ouverture" in page


def test_opening_hours_and_weekly_hours_stay_in_step(agnes: User, aurore: Project) -> None:
    with pytest.raises(ValidationError) as caught:
        services.project_update(actor=agnes, project=aurore, opening_hours_per_week=50)
    assert "opening_hours_per_week" in caught.value.message_dict
    aurore.refresh_from_db()
    services.project_update(actor=agnes, project=aurore, opening_hours="lun-ven 9h-17h")
    aurore.refresh_from_db()
    assert (aurore.opening_hours, aurore.opening_hours_per_week) == ("mon-fri 09:00-17:00", 40)
    with pytest.raises(ValidationError) as caught:
        services.project_update(actor=agnes, project=aurore, opening_hours="tous les jours")
    assert "opening_hours" in caught.value.message_dict
    aurore.refresh_from_db()
    services.project_update(actor=agnes, project=aurore, opening_hours="")
    aurore.refresh_from_db()
    assert (aurore.opening_hours, aurore.opening_hours_per_week) == ("", None)
    assert selectors.project_opening_hours(project=aurore)[1] == "default"


def test_the_project_page_shows_the_sizing_its_chart_inputs_and_history(agnes: User, aurore: Project) -> None:
    client = agency(agnes)
    client.post(reverse("projects:size", args=[aurore.pk]), FORM)
    again = {**FORM, "volume": "10000", "on_site_shrinkage": "0.25"}
    client.post(reverse("projects:size", args=[aurore.pk]), again)
    page = html.unescape(client.get(reverse("projects:detail", args=[aurore.pk])).content.decode())
    chart_url = reverse("projects:sizing_chart", args=[aurore.pk, 2])
    assert chart_url in page
    assert "Historique des dimensionnements" in page and "12\u202f000 par jour ouvert" in page
    # The inputs used: a value the agency gave as is, a default with its source.
    assert "25\u202f%" in page and "Enquêtes professionnelles" not in page
    assert "Durée légale du travail en France (35 h)" in page
    assert "lun-sam 08:00-20:00 (ceux du projet)" in page  # the opening hours in French
    svg = client.get(chart_url)
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    text = svg.content.decode()
    assert "<svg" in text and ">lun<" in text and ">sam<" in text and "semaine type" in text
    assert client.get(reverse("projects:sizing_chart", args=[aurore.pk, 3])).status_code == 404


def test_a_refused_value_is_an_error_on_its_field_and_nothing_is_saved(agnes: User, aurore: Project) -> None:
    client = agency(agnes)
    for change, field in (
        ({"volume": "1e308"}, "volume"),
        ({"volume": "1e23"}, "volume"),
        ({"aht_seconds": "0"}, "aht_seconds"),
        ({"area_per_seat_m2": "1e23"}, "area_per_seat_m2"),
        ({"on_site_shrinkage": "1"}, "on_site_shrinkage"),
        ({"absence_shrinkage": "0.8", "on_site_shrinkage": "0.6"}, "absence_shrinkage"),
        ({"part_time_hours_per_week": "36"}, "part_time_hours_per_week"),
        ({"service_level": "NaN"}, "service_level"),
        ({"volume": "inf"}, "volume"),
        ({"volume": "5000000", "aht_seconds": "86400"}, "volume"),  # a load beyond the engine
        ({"profile": "custom"}, "hourly_profile"),
        ({"volume_kind": "forecast", "forecast": "start,calls\nmon 08:00,lots"}, "forecast"),
        ({"emails_per_day": "100"}, "emails_aht_seconds"),
    ):
        response = client.post(reverse("projects:size", args=[aurore.pk]), {**FORM, **change})
        assert response.status_code == 200, change
        form = response.context["sizing_form"]
        assert field in form.errors, (change, form.errors)
    assert not ProjectSizing.objects.exists()


HOSTILE = st.one_of(
    st.sampled_from(
        ["1e23", "1e308", "-1e308", "0", "-1", "NaN", "inf", "-inf", "1e-320", "9" * 400, "", "x"]
    ),
    st.floats().map(repr),
    st.integers().map(str),
)
NUMBER_FIELDS = (
    "volume",
    "aht_seconds",
    "area_per_seat_m2",
    "absence_shrinkage",
    "on_site_shrinkage",
    "part_time_share",
    "part_time_hours_per_week",
    "service_level",
    "answer_seconds",
    "support_area_m2",
    "spare_seat_ratio",
    "agents_per_seat",
    "years",
    "annual_attrition",
    "candidates_per_hire",
    "patience_seconds",
    "max_abandon",
    "concurrency",
    "days_per_week",
    "chats_per_day",
    "chats_concurrency",
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.dictionaries(st.sampled_from(NUMBER_FIELDS), HOSTILE, min_size=1, max_size=3))
def test_hostile_numbers_never_break_the_sizing_form(
    agnes: User, aurore: Project, values: dict[str, str]
) -> None:
    response = agency(agnes).post(reverse("projects:size", args=[aurore.pk]), {**FORM, **values})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["sizing_form"].errors


def test_only_agency_staff_size_and_see_the_chart(agnes: User, alice: User, aurore: Project) -> None:
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, from the services' role check
        services.project_size(actor=alice, project=aurore, calls=100, aht_seconds=180)
    services.project_size(actor=agnes, project=aurore, calls=100, aht_seconds=180)
    assert agency(alice).get(reverse("projects:sizing_chart", args=[aurore.pk, 1])).status_code == 403


def test_the_dossier_and_the_comparison_still_read_the_sizing(agnes: User, aurore: Project) -> None:
    from guichet.projects.selectors import project_needs

    services.project_size(actor=agnes, project=aurore, calls_per_day=12_000, aht_seconds=300)
    aurore.refresh_from_db()
    needs = project_needs(project=aurore)
    assert (needs.seats, needs.area_wanted_m2) == (197, 2_108)
    assert needs.jobs_per_year == tuple(float(y["headcount"]) for y in aurore.sizing["hiring"])  # type: ignore[index]
    assert needs.hires_per_year == tuple(float(h) for h in selectors.project_hires_per_year(project=aurore))
    assert math.isclose(max(needs.jobs_per_year), 289)


def test_the_demo_project_is_sized_from_its_daily_volume(agnes: User) -> None:
    from guichet.projects.demo import demo_project_load

    project = demo_project_load(actor=agnes)
    assert project.opening_hours == "mon-fri 08:00-20:00; sat 09:00-13:00"
    assert project.sizing is not None and project.sizing["volume_kind"] == "per_day"
    # About 280 seats, in the article's 3,000 m² building: the people in the building at the peak.
    assert (project.seats, project.floor_area_wanted_m2, project.jobs_target) == (277, 2_964, 376)
    assert demo_project_load(actor=agnes).sizings.count() == 1  # loading it again sizes nothing more


def test_sizing_again_starts_from_the_previous_inputs(agnes: User, aurore: Project) -> None:
    client = agency(agnes)
    client.post(reverse("projects:size", args=[aurore.pk]), {**FORM, "interval_minutes": "60"})
    page = client.get(reverse("projects:detail", args=[aurore.pk])).content.decode()
    form = client.get(reverse("projects:detail", args=[aurore.pk])).context["sizing_form"]
    assert form["interval_minutes"].value() == 60 and form["volume"].value() == 12_000
    assert '<option value="60" selected>' in page  # the select shows the interval used, not the first one


def test_a_sizing_beyond_what_a_project_records_is_refused(agnes: User, aurore: Project) -> None:
    """A million Erlangs, 90% of the time in the building off the phones and 1,000 m² a seat: 11 billion m²,
    more than PostgreSQL's integer."""
    with pytest.raises(ValidationError) as caught:
        services.project_size(
            actor=agnes,
            project=aurore,
            calls=6_000_000,
            aht_seconds=300,
            absence_shrinkage=0,
            on_site_shrinkage=0.9,
            area_per_seat_m2=1_000,
        )
    assert list(caught.value.message_dict) == ["calls"]
    assert not ProjectSizing.objects.exists()


def test_the_sizing_form_takes_the_requests_names_from_its_one_table() -> None:
    from guichet.projects.forms import SizingForm

    form = SizingForm()
    assert list(form.fields) == [
        "volume_kind",
        "volume",
        "forecast",
        "emails_per_day",
        "emails_aht_seconds",
        "chats_per_day",
        "chats_aht_seconds",
        "chats_concurrency",
        "days_per_week",
        "aht_seconds",
        "channel",
        "concurrency",
        "profile",
        "hourly_profile",
        "daily_profile",
        "interval_minutes",
        "service_level",
        "answer_seconds",
        "asa_seconds",
        "max_occupancy",
        "patience_seconds",
        "max_abandon",
        "absence_shrinkage",
        "on_site_shrinkage",
        "contract_hours_per_week",
        "part_time_share",
        "part_time_hours_per_week",
        "agents_per_seat",
        "spare_seat_ratio",
        "area_per_seat_m2",
        "support_area_m2",
        "years",
        "annual_attrition",
        "candidates_per_hire",
    ]
    assert (form.fields["absence_shrinkage"].initial, form.fields["years"].initial) == (0.21, 3)
    assert form.fields["on_site_shrinkage"].initial == 0.15 and "shrinkage" not in form.fields
    assert (form.fields["service_level"].min_value, form.fields["service_level"].max_value) == (0, 1)
    assert [code for code, _label in form.fields["channel"].choices] == ["calls", "chats", "emails", "cases"]
    # The engine marks its labels for the catalogue; the page shows them in French first.
    assert str(form.fields["area_per_seat_m2"].label) == "Surface de plancher par poste (m²)"


def test_the_page_names_both_waits_and_says_how_a_single_shrinkage_was_split(
    agnes: User, aurore: Project
) -> None:
    """Issue 23's Erlang A case on a project (50 calls in the busiest half hour, 600 s, 90 % in 10 s,
    patience 60 s): the page gives the answered callers' ASA (1.66 s) and all callers' wait (2.61 s) under
    their own names, and says how the former single 30 % was read."""
    services.project_size(
        actor=agnes,
        project=aurore,
        calls=50,
        aht_seconds=600,
        service_level=0.9,
        answer_seconds=10,
        patience_seconds=60,
        shrinkage=0.3,
    )
    aurore.refresh_from_db()
    assert aurore.sizing is not None and aurore.sizing["agents"] == 21
    page = html.unescape(agency(agnes).get(reverse("projects:detail", args=[aurore.pk])).content.decode())
    assert 'Délai moyen de réponse (DMR) des appels répondus</th><td class="num">1,7\u00a0s' in page
    assert 'Attente moyenne de tous les appelants, abandons compris</th><td class="num">2,6\u00a0s' in page
    assert 'Personnes sur site sur l’intervalle le plus chargé</th><td class="num">25<' in page  # 21 / 0.85
    assert (
        "Le taux d’indisponibilité a été donné en un seul total, 30\u202f%\u00a0: il est lu comme "
        "15\u202f% du temps sur site passé hors téléphone (la valeur par défaut) et 17,6\u202f% du temps "
        "payé en absence."
    ) in page


def test_a_sizing_stored_before_the_split_sizes_again_from_its_parts(agnes: User, aurore: Project) -> None:
    """A project sized with the former single 30 %: the page still reads it (its seats and jobs as they
    were, under their former labels), and the form to size again offers its two parts."""
    Project.objects.filter(pk=aurore.pk).update(
        sizing={
            "model": "erlang_c",
            "inputs": {"calls": 100.0, "aht_seconds": 180.0, "shrinkage": 0.3},
            "agents": 14,
            "scheduled_agents": 20,
            "fte": 34.285714285714285,
            "headcount": 35,
            "seats": 22,
            "floor_area_m2": 236,
            "hiring": [],
            "warnings": [],
        }
    )
    response = agency(agnes).get(reverse("projects:detail", args=[aurore.pk]))
    page = html.unescape(response.content.decode())
    assert 'Emplois à temps plein (ETP arrondis au-dessus)</th><td class="num">35<' in page
    assert 'Postes</th><td class="num">22<' in page and "Personnes sur site" not in page
    form = response.context["sizing_form"]
    assert (form["absence_shrinkage"].value(), form["on_site_shrinkage"].value()) == (0.1765, 0.15)
