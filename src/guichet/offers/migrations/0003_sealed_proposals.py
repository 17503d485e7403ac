"""Sealed proposals: opaque ids, sealed versions with their canonical content, private attachments.

Proposals sent before this migration are sealed from their records as they stand now (the catalogue at
migration time): from here on, nothing but a new submission changes what they offer."""

import datetime as dt
import hashlib
import json
import os
import uuid
from decimal import Decimal

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import guichet.offers.models

ATTACHMENT_TYPES = {
    b"%PDF": "application/pdf",
    b"\x89PNG": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def _money(value, places=2):
    return None if value is None else f"{Decimal(value):.{places}f}"


def _canonical(content):
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def forwards(apps, schema_editor):
    Call = apps.get_model("offers", "CallForOffers")
    Proposal = apps.get_model("offers", "Proposal")
    Attachment = apps.get_model("offers", "ProposalAttachment")
    Version = apps.get_model("offers", "ProposalVersion")
    Offered = apps.get_model("offers", "OfferedPremises")
    Photo = apps.get_model("catalogue", "PremisesPhoto")
    root = settings.MEDIA_ROOT
    for call in Call.objects.all():
        call.public_id = uuid.uuid4()
        call.save(update_fields=["public_id"])
    for attachment in Attachment.objects.all():
        attachment.public_id = uuid.uuid4()
        path = os.path.join(root, attachment.file.name) if attachment.file.name else ""
        if path and os.path.exists(path):
            with open(path, "rb") as handle:
                head = handle.read(8)
            attachment.size_bytes = os.path.getsize(path)
            attachment.content_type = next(
                (kind for magic, kind in ATTACHMENT_TYPES.items() if head.startswith(magic)),
                "application/octet-stream",
            )
            if not attachment.file.name.startswith("private/"):
                new = f"private/attachments/{uuid.uuid4().hex}"
                os.makedirs(os.path.join(root, "private", "attachments"), exist_ok=True)
                os.replace(path, os.path.join(root, new))
                attachment.file.name = new
        attachment.save()
    for proposal in Proposal.objects.select_related("call", "authority"):
        proposal.public_id = uuid.uuid4()
        if proposal.status != "submitted":
            proposal.save(update_fields=["public_id"])
            continue
        sealed_at = proposal.submitted_at or proposal.updated_at
        offers = []
        for offered in Offered.objects.filter(proposal=proposal).select_related("premises__commune"):
            premises = offered.premises
            commune = premises.commune
            latitude, longitude = (
                (premises.latitude, premises.longitude)
                if premises.latitude is not None and premises.longitude is not None
                else (commune.latitude, commune.longitude)
            )
            offers.append(
                {
                    "premises_id": premises.pk,
                    "name": premises.name,
                    "address": premises.address,
                    "commune": {"insee": commune.insee, "name": commune.name, "departement": commune.departement_id},
                    "latitude": None if latitude is None else f"{latitude:.6f}",
                    "longitude": None if longitude is None else f"{longitude:.6f}",
                    "located_by_commune": premises.latitude is None or premises.longitude is None,
                    "building_area_m2": premises.total_area_m2,
                    "area_offered_m2": offered.area_m2,
                    "rent_eur_m2_year": _money(offered.rent_eur_m2_year),
                    "charges_eur_m2_year": _money(offered.charges_eur_m2_year),
                    "rent_free_months": offered.rent_free_months,
                    "fit_out_contribution_eur": _money(offered.fit_out_contribution_eur, 0),
                    "fit_out_state": premises.fit_out,
                    "available_from": premises.available_from.isoformat() if premises.available_from else None,
                    "fibre": premises.fibre,
                    "power_backup": premises.power_backup,
                    "parking_spaces": premises.parking_spaces,
                    "public_transport": premises.public_transport,
                    "access_24_7": premises.access_24_7,
                    "catalogue": {
                        "available_area_m2": premises.available_area_m2,
                        "rent_eur_m2_year": _money(premises.rent_eur_m2_year),
                        "charges_eur_m2_year": _money(premises.charges_eur_m2_year),
                    },
                    "photos": [str(p.public_id) for p in Photo.objects.filter(premises=premises).order_by("position", "id")],
                    "is_demo": premises.is_demo,
                }
            )
        content = {
            "format": "guichet.sealed-proposal/1",
            "call": {"id": str(proposal.call.public_id), "title": proposal.call.title},
            "authority": {"id": proposal.authority_id, "name": proposal.authority.name, "siren": proposal.authority.siren},
            "version": proposal.version,
            "sealed_at": sealed_at.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "premises": sorted(offers, key=lambda item: item["premises_id"]),
            "incentives": [
                {
                    "incentive_id": item.pk,
                    "name": item.name,
                    "kind": item.kind,
                    "unit": item.unit,
                    "amount": _money(item.amount),
                    "cap_eur": _money(item.cap_eur, 0),
                    "conditions": item.conditions,
                    "rule": item.rule,
                    "valid_until": item.valid_until.isoformat() if item.valid_until else None,
                }
                for item in proposal.incentives.order_by("pk")
            ],
            "training_places": proposal.training_places,
            "job_centre_partnership": proposal.job_centre_partnership,
            "recruitment_support": proposal.recruitment_support,
            "free_text": proposal.free_text,
            "attachments": sorted(
                (
                    {
                        "id": str(a.public_id),
                        "name": a.name,
                        "sha256": a.sha256,
                        "size_bytes": a.size_bytes,
                        "content_type": a.content_type,
                    }
                    for a in Attachment.objects.filter(proposal=proposal)
                ),
                key=lambda item: item["sha256"] + item["id"],
            ),
        }
        canonical = _canonical(content)
        version = Version.objects.create(
            public_id=uuid.uuid4(),
            proposal=proposal,
            number=proposal.version,
            sealed_at=sealed_at,
            canonical=canonical,
            sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        )
        proposal.sealed = version
        proposal.receipt_sha256 = version.sha256
        proposal.save(update_fields=["public_id", "sealed", "receipt_sha256"])


def _unique_uuid(model_name):
    return migrations.AlterField(
        model_name=model_name,
        name="public_id",
        field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0002_initial"),
        ("catalogue", "0003_private_photos"),
    ]

    operations = [
        migrations.AddField(model_name="callforoffers", name="public_id", field=models.UUIDField(editable=False, null=True)),
        migrations.AddField(model_name="proposal", name="public_id", field=models.UUIDField(editable=False, null=True)),
        migrations.AddField(
            model_name="proposalattachment", name="public_id", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.AlterModelOptions(
            name="proposalattachment",
            options={"ordering": ["uploaded_at", "id"], "verbose_name": "attachment", "verbose_name_plural": "attachments"},
        ),
        migrations.AddField(
            model_name="proposalattachment",
            name="content_type",
            field=models.CharField(default="application/octet-stream", max_length=100, verbose_name="type"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="proposalattachment",
            name="size_bytes",
            field=models.PositiveBigIntegerField(default=0, verbose_name="size (bytes)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="proposalattachment",
            name="uploaded_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name="uploaded at"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="proposalattachment",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at"),
        ),
        migrations.AlterField(
            model_name="proposalattachment",
            name="file",
            field=models.FileField(max_length=200, upload_to=guichet.offers.models.attachment_path, verbose_name="file"),
        ),
        migrations.AlterField(
            model_name="proposalattachment",
            name="proposal",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="attachments", to="offers.proposal"
            ),
        ),
        migrations.CreateModel(
            name="ProposalVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                ("sealed_at", models.DateTimeField(verbose_name="sealed at")),
                ("canonical", models.TextField(verbose_name="sealed content (canonical JSON)")),
                ("sha256", models.CharField(max_length=64, verbose_name="receipt (SHA-256)")),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="versions", to="offers.proposal"
                    ),
                ),
            ],
            options={
                "verbose_name": "sealed proposal version",
                "verbose_name_plural": "sealed proposal versions",
                "ordering": ["proposal", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("proposal", "number"), name="one_sealed_version_per_number")
                ],
            },
        ),
        migrations.AddField(
            model_name="proposal",
            name="sealed",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="offers.proposalversion",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        _unique_uuid("callforoffers"),
        _unique_uuid("proposal"),
        _unique_uuid("proposalattachment"),
    ]
