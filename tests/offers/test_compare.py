"""The agency's comparison page without a browser: weights that add up to 100, presets, the server-side
fallback of the page's script, the chart, and the published comparison read in each reader's language."""

from __future__ import annotations

import base64
import json
import math
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import User
from guichet.api.services import api_token_create
from guichet.catalogue.models import Incentive, Premises
from guichet.engine import scoring
from guichet.offers import compare, evaluation, selectors, services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers

from ..api.conftest import Api
from ..scene import close_call

pytestmark = pytest.mark.django_db

KEYS = [c.value for c in scoring.CRITERIA]


def client_for(user: User, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def compared(
    agnes: User,
    alice: User,
    bob: User,
    call: CallForOffers,
    temis: Premises,
    technhom: Premises,
    besancon_grant: Incentive,
) -> CallForOffers:
    services.call_open(actor=agnes, call=call)
    for officer, premises, rent, incentives in (
        (alice, temis, "95", [besancon_grant.pk]),
        (bob, technhom, "85", []),
    ):
        services.proposal_submit(
            actor=officer,
            call=call,
            offers=[
                OfferTerms(
                    premises_id=premises.pk,
                    area_m2=premises.available_area_m2,
                    rent_eur_m2_year=Decimal(rent),
                )
            ],
            incentive_ids=incentives,
        )
    close_call(call)
    return call


def page(user: User, call: CallForOffers, language: str = "fr", **query: Any) -> Any:
    return client_for(user, language).get(reverse("offers:call_compare", args=[call.public_id]), query)


def test_percentages_are_tenths_that_add_up_to_exactly_100() -> None:
    equal = compare.percentages({key: 1.0 for key in KEYS})
    assert list(equal.values()) == [14.3] * 6 + [14.2]
    assert compare.percentages(scoring.CONTACT_CENTRE_WEIGHTS.as_dict()) == {
        "cost": 30.0,
        "labour_depth": 20.0,
        "saturation": 10.0,
        "feasibility": 15.0,
        "fit": 10.0,
        "access": 10.0,
        "telecoms": 5.0,
    }
    scaled = compare.percentages({"cost": 60, "labour_depth": 20, "saturation": 20, "fit": 20})
    assert scaled["cost"] == 50.0 and round(sum(scaled.values()) * 10) == 1000
    assert [scaled[k] for k in ("labour_depth", "saturation", "fit")] == [16.7, 16.7, 16.6]


def test_the_page_phrases_the_comparison_in_french_and_in_english(
    agnes: User, compared: CallForOffers
) -> None:
    french = page(agnes, compared)
    english = page(agnes, compared, "en")
    assert french.status_code == english.status_code == 200
    fr, en = french.content.decode(), english.content.decode()
    assert "Classement" in fr and "reste en tête" in fr and "Coût net d’occupation" in fr
    assert "Ranking" in en and "stays first" in en and "Net occupancy cost" in en
    for english_words in (
        "stays first",
        "would overtake",
        "Net occupancy cost",
        "Scaled",
        "job seekers in reach",
    ):
        assert english_words not in fr
    # The chart: an SVG picture of each offer's score split by criterion, with both offers' names.
    source = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', fr)
    assert source is not None
    svg = base64.b64decode(source.group(1)).decode()
    assert "Temis Center" in svg and "Techn'hom 7" in svg and "Coût" in svg
    # The page's script comes from the site (CSP 'self'), its data from a JSON block.
    assert '<script src="/static/offers/compare.js"></script>' in fr
    assert 'id="comparison-data" type="application/json"' in fr


def test_presets_and_weights_that_do_not_add_up(agnes: User, compared: CallForOffers) -> None:
    equal = page(agnes, compared, preset="equal")
    assert equal.context["percent"] == compare.percentages({key: 1.0 for key in KEYS})
    assert equal.context["result"].weights["telecoms"] == pytest.approx(0.142)

    given = {key: "10" for key in KEYS} | {"cost": "60"}  # 120 in all
    response = page(agnes, compared, **given)
    assert response.context["percent"]["cost"] == 50.0
    assert round(sum(response.context["percent"].values()) * 10) == 1000
    assert "ils ont été ramenés à 100" in response.content.decode()
    assert response.context["result"].weights["cost"] == pytest.approx(0.5)

    nothing = page(agnes, compared, **{key: "0" for key in KEYS})
    assert nothing.context["result"] is None
    assert "Au moins un poids doit être supérieur à 0." in nothing.content.decode()


def test_the_script_data_reproduce_the_server_ranking_to_the_bit(
    agnes: User, compared: CallForOffers
) -> None:
    """What compare.js computes, step by step, in Python: the same scores, bit for bit, and the same order
    under the tie rule, for the call's weights and for weights where cost decides everything."""
    for query in ({}, {key: "0" for key in KEYS} | {"cost": "100"}, {"preset": "equal"}):
        response = page(agnes, compared, **query)
        data, result = response.context["data"], response.context["result"]
        raw = [tenths / 10 / 100 for tenths in (round(w * 10) for w in data["weights"])]
        total = 0.0
        for value in raw:
            total += value
        weights = [value / total for value in raw]
        scores = {}
        for candidate in data["candidates"]:
            score = 0.0
            for k, value in enumerate(candidate["normalised"]):
                score = score + weights[k] * value
            scores[candidate["key"]] = min(1.0, max(0.0, score))
        assert scores == {row.key: row.score for row in result.rows}
        grid = {key: math.floor(score * data["grid"] + 0.5) for key, score in scores.items()}
        assert grid == {row.key: scoring.score_key(row.score) for row in result.rows}
        order = sorted(
            data["candidates"],
            key=lambda c: (
                -grid[c["key"]],
                c["cents"],
                float("inf") if c["seekers"] is None else -c["seekers"],
                c["available"],
                c["key"],
            ),
        )
        assert [c["key"] for c in order] == [row.key for row in result.rows]
        assert json.loads(json.dumps(data)) == data  # plain JSON, nothing Python-only


def test_the_published_comparison_is_stored_as_codes_and_read_in_each_language(
    agnes: User, alice: User, compared: CallForOffers
) -> None:
    services.call_decide(actor=agnes, call=compared, weights=evaluation.call_weights(call=compared))
    compared.refresh_from_db()
    stored = compared.evaluation
    assert stored["method"]["reason_key"] == "method.call" and stored["method"]["params"]["years"] == 9
    assert stored["tie_break_rule"]["params"]["steps"] == [step.value for step in scoring.TIE_BREAK_STEPS]
    assert {row["summary"]["reason_key"] for row in stored["candidates"]} == {"candidate.summary"}
    assert all(item["reason_key"].startswith("sensitivity.") for item in stored["sensitivity"])
    text = json.dumps(stored, ensure_ascii=False)
    for sentence in ("stays first", "reste en tête", "Net occupancy cost", "Coût net", "Each premises"):
        assert sentence not in text
    detail = reverse("offers:call_detail", args=[compared.public_id])
    agency_fr = client_for(agnes).get(detail).content.decode()
    agency_en = client_for(agnes, "en").get(detail).content.decode()
    assert "reste en tête" in agency_fr and "Chaque local proposé est une offre" in agency_fr
    assert "stays first" in agency_en and "Each premises offered is a candidate" in agency_en
    officer = client_for(alice).get(detail).content.decode()
    assert "Chaque local proposé est une offre" in officer and "reste en tête" not in officer
    assert "Techn&#x27;hom" not in officer


def test_the_api_gives_codes_and_texts_in_the_request_language(agnes: User, compared: CallForOffers) -> None:
    api = Api(api_token_create(user=agnes))
    path = f"/calls/{compared.public_id}/comparison"
    english = api.post(path, {}, headers={"Accept-Language": "en"}).json()
    french = api.post(path, {}, headers={"Accept-Language": "fr"}).json()
    assert english["method"]["reason_key"] == french["method"]["reason_key"] == "method.call"
    assert english["method"]["params"] == french["method"]["params"]
    assert english["method"]["text"].startswith("Each premises offered is a candidate.")
    assert french["method"]["text"].startswith("Chaque local proposé est une offre.")
    first_en, first_fr = english["candidates"][0], french["candidates"][0]
    assert [e["reason_key"] for e in first_en["explanations"]] == [
        e["reason_key"] for e in first_fr["explanations"]
    ]
    assert first_fr["explanations"][0]["label"] == "Coût net d'occupation par poste"
    assert "stays first" in english["sensitivity"][0]["text"]
    assert "reste en tête" in french["sensitivity"][0]["text"]


def test_english_pages_write_dates_day_month_year(agnes: User, compared: CallForOffers) -> None:
    local = timezone.localtime(compared.deadline)
    body = (
        client_for(agnes, "en").get(reverse("offers:call_detail", args=[compared.public_id])).content.decode()
    )
    assert f"{local.day} {local.strftime('%B')} {local.year}, {local.strftime('%H:%M')}" in body


def test_a_comparison_published_before_reasons_were_codes_still_shows(
    agnes: User, alice: User, compared: CallForOffers
) -> None:
    services.call_decide(actor=agnes, call=compared, weights=evaluation.call_weights(call=compared))
    legacy = {
        "method": "An old method sentence.",
        "tie_break_rule": "An old tie rule.",
        "criteria": [{"key": "cost", "label": "net occupancy cost per seat", "weight_percent": 100.0}],
        "candidates": [
            {**row, "explanations": ["An old explanation."]} for row in compared.evaluation["candidates"]
        ],
        "pairs": ["An old swap."],
        "sensitivity": ["An old range."],
    }
    CallForOffers.objects.filter(pk=compared.pk).update(evaluation=legacy)
    detail = reverse("offers:call_detail", args=[compared.public_id])
    body = client_for(agnes).get(detail).content.decode()
    for sentence in ("An old method sentence.", "An old explanation.", "An old swap.", "An old range."):
        assert sentence in body
    assert client_for(alice).get(detail).status_code == 200


def test_an_evaluation_published_before_public_ids_still_finds_each_authority_its_rows(
    agnes: User, alice: User, bob: User, compared: CallForOffers
) -> None:
    """Rows stored then carry the proposal's database id (`proposal_id`), not its public id."""
    services.call_decide(actor=agnes, call=compared, weights=evaluation.call_weights(call=compared))
    proposals = {str(p.public_id): p for p in compared.proposals.all()}
    legacy = {
        **compared.evaluation,
        "candidates": [
            {
                **{k: v for k, v in row.items() if k != "proposal"},
                "proposal_id": proposals[row["proposal"]].pk,
            }
            for row in compared.evaluation["candidates"]
        ],
    }
    CallForOffers.objects.filter(pk=compared.pk).update(evaluation=legacy)
    compared.refresh_from_db()
    for officer, own, other in ((alice, "Temis Center", "Techn'hom 7"), (bob, "Techn'hom 7", "Temis Center")):
        published = selectors.published_evaluation_for(user=officer, call=compared)
        assert published is not None
        assert [row["premises_name"] for row in published["candidates"]] == [own]
        mine = Api(api_token_create(user=officer)).get(f"/my/calls/{compared.public_id}").json()
        assert [row["premises_name"] for row in mine["evaluation"]["candidates"]] == [own]
        page = client_for(officer, "en").get(reverse("offers:call_detail", args=[compared.public_id]))
        body = page.content.decode()
        assert own.replace("'", "&#x27;") in body and other.replace("'", "&#x27;") not in body


def test_a_comparison_scored_between_the_offers_gives_an_authority_its_score_as_a_band_only(
    agnes: User, alice: User, compared: CallForOffers
) -> None:
    """Published before scales were fixed with the call (format /2, each criterion rescaled between the
    offers), an authority's score to a tenth of a point and its points would let it work a competitor's
    figure back: it reads a band of ten points and no points."""
    services.call_decide(actor=agnes, call=compared, weights=evaluation.call_weights(call=compared))
    min_max = {**compared.evaluation, "format": "guichet.evaluation/2"}
    CallForOffers.objects.filter(pk=compared.pk).update(evaluation=min_max)
    compared.refresh_from_db()
    published = selectors.published_evaluation_for(user=alice, call=compared)
    assert published is not None
    (row,) = published["candidates"]
    stored = next(r for r in min_max["candidates"] if r["premises_name"] == "Temis Center")
    low = min(int(stored["score"] * 100 // 10) * 10, 90)
    assert row["score"] is None and row["score_band"] == {"from": low, "to": low + 10}
    assert all(set(item) == {"key", "raw", "weight"} for item in row["criteria"])
    page = client_for(alice, "en").get(reverse("offers:call_detail", args=[compared.public_id]))
    assert f"score between {low} and {low + 10} out of 100" in page.content.decode()


def test_the_call_page_reads_the_officer_s_proposal_once(
    agnes: User, alice: User, compared: CallForOffers
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.call_decide(actor=agnes, call=compared, weights=evaluation.call_weights(call=compared))
    with CaptureQueriesContext(connection) as queries:
        page = client_for(alice).get(reverse("offers:call_detail", args=[compared.public_id]))
    assert page.status_code == 200
    own_lookups = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "offers_proposal"' in q["sql"] and '"offers_proposal"."authority_id" =' in q["sql"]
    ]
    assert len(own_lookups) == 1, own_lookups


@pytest.mark.parametrize(
    ("weights", "english", "french_word"),
    [
        ({"cost": -1}, "The weight of Net occupancy cost per seat must be a number, 0 or more.", "cost"),
        ({"cost": 0}, "at least one must be more than 0", "weights"),
        ({"beauty": 1}, "The weights must name the comparison's criteria only", "weights"),
    ],
)
def test_a_refused_weight_is_named_in_the_reader_s_language(
    compared: CallForOffers, weights: dict[str, float], english: str, french_word: str
) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        evaluation.evaluate_call(call=compared, weights=weights)
    assert list(refused.value.message_dict) == ["weights"]
    [message] = refused.value.message_dict["weights"]
    assert english in message and "got" not in message and "weights." not in message


def test_the_api_names_a_refused_weight_in_the_request_s_language(
    agnes: User, compared: CallForOffers
) -> None:
    api = Api(api_token_create(user=agnes))
    path = f"/calls/{compared.public_id}/comparison"
    body = api.post(path, {"weights": {"cost": 0}}, headers={"Accept-Language": "en"}).json()
    assert body["detail"].startswith("The weights must name the comparison's criteria only (Net occupancy")
    assert body["detail"].endswith("and at least one must be more than 0.")
    assert [e["field"] for e in body["errors"]] == ["weights"]
