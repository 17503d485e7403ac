"""The investor's choice is now reserved on the call, and the public offer changes only at the signature.
Premises that the earlier code put "under option" when an unsigned call chose them go back on offer (the
call page still shows them reserved); premises an owner put under option by hand are left as they are."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def release(apps: Any, schema_editor: Any) -> None:
    CallForOffers = apps.get_model("offers", "CallForOffers")
    Premises = apps.get_model("catalogue", "Premises")
    chosen = CallForOffers.objects.filter(chosen_premises__isnull=False, signed_at__isnull=True).exclude(
        status="cancelled"
    )
    Premises.objects.filter(pk__in=chosen.values("chosen_premises_id"), status="under_option").update(
        status="available"
    )


class Migration(migrations.Migration):
    dependencies = [("offers", "0004_call_lifecycle"), ("catalogue", "0005_cnig_ids_per_owner")]

    operations = [migrations.RunPython(release, migrations.RunPython.noop)]
