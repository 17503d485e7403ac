"""The scene of the site-wide web tests (the authorization matrix, the form fuzzing): every kind of object a
URL can name, owned by Grand Besançon (Alice) or Grand Belfort (Bob), with the agency (Agnès, Root) above."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from guichet.accounts.models import Role, User
from guichet.accounts.services import user_set_role
from guichet.catalogue.models import Authority, Incentive, Premises, PremisesPhoto
from guichet.jobs.services import job_submit
from guichet.labour.models import CentreOrigin, ContactCentre
from guichet.offers import services as offer_services
from guichet.offers.drafts import OfferTerms
from guichet.projects import services as project_services
from guichet.territory.models import Commune


def _photo(premises: Premises) -> PremisesPhoto:
    image = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 92, 173)).save(image, format="PNG")
    photo = PremisesPhoto(premises=premises)
    photo.image.save("photo.png", ContentFile(image.getvalue()), save=True)
    return photo


@pytest.fixture
def scene(
    alice: User,
    bob: User,
    agnes: User,
    grand_besancon: Authority,
    grand_belfort: Authority,
    settings: Any,
    tmp_path: Path,
) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    root = User.objects.create_superuser("root", password="pw-root-123", role=Role.AGENCY)
    for staff in (agnes, root):
        user_set_role(user=staff, role=Role.AGENCY)
    commune = Commune.objects.get(insee="25056")
    common = {"total_area_m2": 3000, "available_area_m2": 3000, "available_from": dt.date(2027, 1, 1)}
    public = Premises.objects.create(
        owner=grand_besancon,
        name="Temis",
        commune=commune,
        rent_eur_m2_year=Decimal(95),
        fibre=True,
        **common,
    )
    private = Premises.objects.create(
        owner=grand_besancon,
        name="Réserve",
        commune=commune,
        rent_eur_m2_year=Decimal(80),
        is_public=False,
        **common,
    )
    belfort = Premises.objects.create(
        owner=grand_belfort,
        name="Techn'hom",
        commune=Commune.objects.get(insee="90010"),
        rent_eur_m2_year=Decimal(85),
        fibre=True,
        **common,
    )
    grant = Incentive.objects.create(
        owner=grand_besancon, name="Aide", kind="grant_per_job", amount=Decimal(2000), unit="eur_per_job"
    )
    project = project_services.project_create(actor=agnes, code_name="Aurore", company_name="Acme SAS")
    project_services.project_size(actor=agnes, project=project, calls=300, aht_seconds=240)
    deadline = timezone.now() + dt.timedelta(days=10)
    open_call = offer_services.call_create(
        actor=agnes, project=project, title="Ouvert", brief="b", deadline=deadline
    )
    offer_services.call_open(actor=agnes, call=open_call)
    private_call = offer_services.call_create(
        actor=agnes, project=project, title="Privé", brief="b", deadline=deadline
    )
    offer_services.call_exclude_authority(
        actor=agnes, call=private_call, authority=grand_belfort, reason="choix"
    )
    offer_services.call_open(actor=agnes, call=private_call)
    question = offer_services.clarification_ask(actor=alice, call=open_call, question="Parking ?")
    public_photo = _photo(public)
    private_photo = _photo(private)
    brochure = SimpleUploadedFile("brochure.pdf", b"%PDF-1.4\n% brochure\n", content_type="application/pdf")
    proposal = offer_services.proposal_submit(
        actor=alice,
        call=private_call,
        offers=[OfferTerms(public.pk, 3000, Decimal(90))],
        attachments=[brochure],
    )
    type(private_call).objects.filter(pk=private_call.pk).update(
        deadline=timezone.now() - dt.timedelta(hours=1)
    )
    private_call.refresh_from_db()
    link, token = offer_services.dossier_link_create(actor=agnes, call=private_call, shortlist=[proposal])
    centre = ContactCentre.objects.create(origin=CentreOrigin.MANUAL, name="Centre connu", commune=commune)
    job = job_submit(owner=alice, kind="catalogue.cnig_import", label="sites.csv", enqueue=False)
    del belfort
    return {
        "users": {"alice": alice, "bob": bob, "agnes": agnes, "root": root},
        "private_premises": private.pk,
        "besancon": grand_besancon.pk,
        "grant": grant.pk,
        "project": project.pk,
        "sizing": 1,  # the project's first sizing
        "open_call": open_call.public_id,
        "private_call": private_call.public_id,
        "receipt": proposal.versions.get().public_id,
        "question": question.public_id,
        "attachment": proposal.attachments.get().public_id,
        "public_photo": public_photo.public_id,
        "private_photo": private_photo.public_id,
        "dossier_link": link.pk,
        "token": token,
        "centre": centre.pk,
        "job": job.public_id,
        "doubs": "25",
        "sirene": "sirene",
        "site_eco": "site-eco",
        "chart": "funnel",
        "table": "years",
        "xlsx": "xlsx",
    }
