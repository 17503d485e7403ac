"""Each stage move keeps the stage it left and when it was recorded; indexes for the dashboard's reads."""

import django.utils.timezone
from django.db import migrations, models

STAGES = [
    ("lead", "Lead"),
    ("qualified", "Qualified"),
    ("call_for_offers", "Call for offers"),
    ("shortlist", "Shortlist"),
    ("visits", "Visits"),
    ("won", "Decision: won"),
    ("lost", "Decision: lost"),
    ("abandoned", "Decision: abandoned"),
    ("installed", "Installed"),
    ("aftercare", "Aftercare"),
]


def fill_from_stage(apps, schema_editor):
    """The stage each recorded move left is the one recorded just before it for the same project."""
    StageChange = apps.get_model("projects", "StageChange")
    previous: dict[int, str] = {}
    changed = []
    for change in StageChange.objects.order_by("project_id", "at", "id"):
        before = previous.get(change.project_id, "")
        if before:
            change.from_stage = before
            changed.append(change)
        previous[change.project_id] = change.stage
    StageChange.objects.bulk_update(changed, ["from_stage"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_sizing_history_and_opening_hours"),
    ]

    operations = [
        migrations.AddField(
            model_name="stagechange",
            name="from_stage",
            field=models.CharField(
                blank=True, choices=STAGES, max_length=20, verbose_name="previous stage"
            ),
        ),
        migrations.AddField(
            model_name="stagechange",
            name="recorded_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="recorded at"
            ),
        ),
        migrations.AddIndex(
            model_name="stagechange",
            index=models.Index(fields=["project", "stage", "at"], name="stagechange_project_stage_at"),
        ),
        migrations.AddIndex(
            model_name="stagechange",
            index=models.Index(fields=["stage", "at", "project"], name="stagechange_stage_at_project"),
        ),
        migrations.RunPython(fill_from_stage, migrations.RunPython.noop),
    ]
