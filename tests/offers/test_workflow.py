"""The call for offers from the brief to the decision, with the sealing rules tested for every role."""

from __future__ import annotations

import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.audit.models import AuditEvent
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.offers import evaluation, selectors, services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, CallStatus, Proposal
from guichet.projects.models import Project

from ..scene import close_call

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer(user: User, call: CallForOffers, premises: Premises, rent: str, **extra: object) -> Proposal:
    return services.proposal_submit(
        actor=user,
        call=call,
        offers=[
            OfferTerms(
                premises_id=premises.pk, area_m2=premises.available_area_m2, rent_eur_m2_year=Decimal(rent)
            )
        ],
        **extra,  # type: ignore[arg-type]
    )


def test_the_call_goes_by_default_to_every_owner_of_an_eligible_premises(
    call: CallForOffers, grand_besancon: Authority, grand_belfort: Authority, project: Project
) -> None:
    assert project.seats == 167 and project.sizing is not None  # 151 people in the building at the peak
    assert {(a.authority, a.eligible_premises) for a in call.addressees.all()} == {
        (grand_besancon, 1),
        (grand_belfort, 1),  # Techn'hom; the 300 m² office is too small
    }


def test_leaving_an_authority_out_needs_a_reason(
    agnes: User, call: CallForOffers, grand_belfort: Authority
) -> None:
    with pytest.raises(ValidationError):
        services.call_exclude_authority(actor=agnes, call=call, authority=grand_belfort, reason="  ")
    services.call_exclude_authority(
        actor=agnes, call=call, authority=grand_belfort, reason="Hors du périmètre"
    )
    addressee = call.addressees.get(authority=grand_belfort)
    assert (addressee.included, addressee.exclusion_reason) == (False, "Hors du périmètre")
    assert AuditEvent.objects.filter(action="exclude", object_id=str(call.pk)).exists()


def test_opening_notifies_the_officers_by_code_name_only(
    agnes: User, alice: User, bob: User, call: CallForOffers, django_capture_on_commit_callbacks: Any
) -> None:
    alice.email, bob.email = "alice@besancon.example", "bob@belfort.example"
    alice.save()
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.call_open(actor=agnes, call=call)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@besancon.example",
        "bob@belfort.example",
        "eco@belfort.example",
        "eco@besancon.example",
    ]
    for message in mail.outbox:
        assert "Projet Aurore" in message.body
        assert "Acme" not in message.body and "Acme" not in message.subject
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_proposals_are_sealed_before_the_deadline(
    agnes: User, alice: User, bob: User, call: CallForOffers, temis: Premises, besancon_grant: Incentive
) -> None:
    services.call_open(actor=agnes, call=call)
    proposal = answer(
        alice, call, temis, "90", incentive_ids=[besancon_grant.pk], free_text="Secret de Besançon"
    )
    # Bob (a competitor) reads nothing of Alice's proposal, through the selectors or the pages.
    assert not selectors.proposals_readable_by(user=bob, call=call).exists()
    assert selectors.proposal_of(user=bob, call=call) is None
    assert (
        "Secret de Besançon"
        not in logged_in(bob).get(reverse("offers:call_answer", args=[call.public_id])).content.decode()
    )
    # The agency sees that Besançon answered, not what.
    assert not selectors.proposals_readable_by(user=agnes, call=call).exists()
    status = {a.authority_name: a.answered for a in selectors.call_answer_status(user=agnes, call=call)}
    assert status == {"Grand Besançon Métropole": True, "Grand Belfort": False}
    page = logged_in(agnes).get(reverse("offers:call_detail", args=[call.public_id])).content.decode()
    assert "Secret de Besançon" not in page and "90,00" not in page
    assert logged_in(agnes).get(reverse("offers:call_compare", args=[call.public_id])).status_code == 302
    # Alice sees her own receipt.
    assert (
        proposal.receipt_sha256
        in logged_in(alice).get(reverse("offers:call_detail", args=[call.public_id])).content.decode()
    )


def test_the_receipt_is_the_sha256_of_the_canonical_content(
    agnes: User, alice: User, call: CallForOffers, temis: Premises
) -> None:
    services.call_open(actor=agnes, call=call)
    proposal = answer(alice, call, temis, "90")
    assert proposal.sealed is not None
    content = json.loads(proposal.sealed.canonical)
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical == proposal.sealed.canonical
    assert proposal.receipt_sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    assert content["premises"][0]["rent_eur_m2_year"] == "90.00"
    assert content["authority"]["name"] == "Grand Besançon Métropole" and content["version"] == 1
    # Editing before the deadline changes the receipt; the trail keeps both digests, not the content.
    second = answer(alice, call, temis, "88")
    assert second.receipt_sha256 != proposal.receipt_sha256
    digests = list(
        AuditEvent.objects.filter(object_type="offers.proposal", object_id=str(proposal.pk))
        .order_by("id")
        .values_list("details__receipt_sha256", flat=True)
    )
    assert digests == [proposal.receipt_sha256, second.receipt_sha256]


def test_an_authority_offers_only_its_own_premises_and_incentives(
    agnes: User,
    alice: User,
    bob: User,
    call: CallForOffers,
    temis: Premises,
    besancon_grant: Incentive,
    technhom: Premises,
) -> None:
    services.call_open(actor=agnes, call=call)
    with pytest.raises(PermissionDenied):
        answer(bob, call, temis, "50")
    with pytest.raises(PermissionDenied):
        answer(bob, call, technhom, "80", incentive_ids=[besancon_grant.pk])
    assert not Proposal.objects.exists()


def test_an_authority_left_out_or_not_consulted_cannot_answer(
    agnes: User, bob: User, call: CallForOffers, grand_belfort: Authority, technhom: Premises
) -> None:
    services.call_exclude_authority(
        actor=agnes, call=call, authority=grand_belfort, reason="Choix de l'investisseur"
    )
    services.call_open(actor=agnes, call=call)
    with pytest.raises(PermissionDenied):
        answer(bob, call, technhom, "80")
    assert logged_in(bob).get(reverse("offers:call_detail", args=[call.public_id])).status_code == 404


def test_after_the_deadline_proposals_are_frozen(
    agnes: User, alice: User, call: CallForOffers, temis: Premises
) -> None:
    services.call_open(actor=agnes, call=call)
    proposal = answer(alice, call, temis, "90")
    close_call(call)
    with pytest.raises(ValidationError):
        answer(alice, call, temis, "10")
    proposal.refresh_from_db()
    assert proposal.offered.get().rent_eur_m2_year == Decimal("90.00")


def test_a_stale_edit_is_refused_instead_of_overwriting(
    agnes: User, alice: User, call: CallForOffers, temis: Premises
) -> None:
    services.call_open(actor=agnes, call=call)
    first = answer(alice, call, temis, "90")
    answer(alice, call, temis, "89", expected_version=first.version)
    with pytest.raises(ValidationError):
        answer(alice, call, temis, "70", expected_version=first.version)


def test_the_comparison_ranks_explains_and_publishes_each_authority_its_own_scores(
    agnes: User,
    alice: User,
    bob: User,
    call: CallForOffers,
    temis: Premises,
    technhom: Premises,
    besancon_grant: Incentive,
) -> None:
    services.call_open(actor=agnes, call=call)
    answer(alice, call, temis, "95", incentive_ids=[besancon_grant.pk])
    answer(bob, call, technhom, "85")
    close_call(call)
    result = evaluation.evaluate_call(call=call, weights=evaluation.call_weights(call=call))
    assert [row.rank for row in result.rows] == [1, 2]
    assert {row.authority_name for row in result.rows} == {"Grand Besançon Métropole", "Grand Belfort"}
    assert all(len(row.explanations) == 7 for row in result.rows)
    assert len(result.pairs) == 1 and result.sensitivity
    # The labour figures are the engine's estimate from the real census data, labelled as such.
    pool = result.rows[0].labour
    assert pool.population_20_64.kind == "imported" and pool.population_20_64.value > 100_000
    assert pool.job_seekers.kind == "estimate"
    page = logged_in(agnes).get(reverse("offers:call_compare", args=[call.public_id]))
    assert page.status_code == 200 and "Techn&#x27;hom 7" in page.content.decode()

    services.call_decide(actor=agnes, call=call, weights=evaluation.call_weights(call=call))
    call.refresh_from_db()
    for officer in (alice, bob):
        published = selectors.published_evaluation_for(user=officer, call=call)
        assert published is not None
        own_proposal = selectors.proposal_of(user=officer, call=call)
        assert own_proposal is not None
        assert [row["proposal"] for row in published["candidates"]] == [str(own_proposal.public_id)]
        assert published["criteria"] and published["tie_break_rule"]
        assert "pairs" not in published and "sensitivity" not in published
        assert "explanations" not in published["candidates"][0]
    assert len(selectors.published_evaluation_for(user=agnes, call=call)["candidates"]) == 2  # type: ignore[index]


def test_the_company_identity_shows_to_authorities_only_once_disclosed(
    agnes: User, alice: User, call: CallForOffers, project: Project
) -> None:
    from guichet.projects import services as project_services

    services.call_open(actor=agnes, call=call)
    url = reverse("offers:call_detail", args=[call.public_id])
    assert "Acme" not in logged_in(alice).get(url).content.decode()
    assert "Acme" in logged_in(agnes).get(url).content.decode()
    project_services.project_disclose_identity(actor=agnes, project=project)
    assert "Acme" in logged_in(alice).get(url).content.decode()


def test_the_dossier_link_works_until_it_expires_or_is_revoked(
    agnes: User,
    alice: User,
    bob: User,
    call: CallForOffers,
    temis: Premises,
    technhom: Premises,
    client: Client,
) -> None:
    from openpyxl import load_workbook

    services.call_open(actor=agnes, call=call)
    first = answer(alice, call, temis, "95")
    answer(bob, call, technhom, "85")
    with pytest.raises(ValidationError):
        services.dossier_link_create(actor=agnes, call=call, shortlist=[first])
    close_call(call)
    link, token = services.dossier_link_create(actor=agnes, call=call, shortlist=[first])
    assert link.token_sha256 != token and len(token) >= 40
    page = client.get(reverse("offers:dossier", args=[token]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Temis Center" in content and "Techn&#x27;hom" not in content  # only the shortlist
    assert "data:image/svg+xml;base64," in content  # the map and the charts, as pictures
    pdf = client.get(reverse("offers:dossier_pdf", args=[token]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("offers:dossier_xlsx", args=[token]))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.worksheets[0]["B7"].value == "Temis Center"
    # A wrong token, a revoked link and an expired link show nothing.
    assert client.get(reverse("offers:dossier", args=[token[:-1] + "x"])).status_code == 404
    services.dossier_link_revoke(actor=agnes, link=link)
    assert client.get(reverse("offers:dossier", args=[token])).status_code == 404
    link2, token2 = services.dossier_link_create(actor=agnes, call=call, shortlist=[first], valid_days=1)
    type(link2).objects.filter(pk=link2.pk).update(expires_at=link2.created_at)
    assert client.get(reverse("offers:dossier", args=[token2])).status_code == 404


@pytest.mark.parametrize("name", ["offers:call_detail", "offers:call_answer", "offers:call_compare"])
def test_visitors_are_sent_to_sign_in(client: Client, call: CallForOffers, name: str) -> None:
    response = client.get(reverse(name, args=[call.public_id]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_officers_cannot_reach_the_agency_pages(alice: User, call: CallForOffers, project: Project) -> None:
    client = logged_in(alice)
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 403
    assert client.get(reverse("offers:call_compare", args=[call.public_id])).status_code == 403
    assert client.post(reverse("offers:call_open", args=[call.public_id])).status_code == 403
    # A draft call is invisible to the authorities it will be sent to.
    assert client.get(reverse("offers:call_detail", args=[call.public_id])).status_code == 404


def test_the_dossier_shows_the_photos_of_the_shortlisted_premises(
    agnes: User,
    alice: User,
    call: CallForOffers,
    temis: Premises,
    client: Client,
    settings: Any,
    tmp_path: Path,
) -> None:
    from django.core.files.base import ContentFile
    from PIL import Image

    from guichet.catalogue.models import PremisesPhoto

    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (64, 48), (11, 92, 173)).save(image, format="PNG")
    photo = PremisesPhoto(premises=temis, caption="Le plateau")
    photo.image.save("plateau.png", ContentFile(image.getvalue()), save=True)
    services.call_open(actor=agnes, call=call)
    proposal = answer(alice, call, temis, "95")
    close_call(call)
    _link, token = services.dossier_link_create(actor=agnes, call=call, shortlist=[proposal])
    page = client.get(reverse("offers:dossier", args=[token])).content.decode()
    photo_url = reverse("offers:dossier_photo", args=[token, photo.public_id])
    assert f'src="{photo_url}"' in page and 'alt="Le plateau"' in page
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    pdf = client.get(reverse("offers:dossier_pdf", args=[token])).content
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" in pdf
