"""SIRENE imports are dated by the years of their headcount bands alone ("2023", "2021–2023"): runs stored
as "headcounts 2023" showed an English word in a label read in either language."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def strip_the_word(apps: Any, schema_editor: Any) -> None:
    ImportRun = apps.get_model("labour", "ImportRun")
    for run in ImportRun.objects.filter(kind="sirene", vintage__startswith="headcounts "):
        run.vintage = run.vintage.removeprefix("headcounts ").replace("-", "–")
        run.save(update_fields=["vintage"])


class Migration(migrations.Migration):
    dependencies = [("labour", "0002_centre_kind_and_travel_times")]

    operations = [migrations.RunPython(strip_the_word, migrations.RunPython.noop)]
