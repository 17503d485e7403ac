"""Jobs get a random public id for their URLs (existing jobs each get their own)."""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.filter(public_id__isnull=True).only("pk"):
        job.public_id = uuid.uuid4()
        job.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_job")]

    operations = [
        migrations.AddField(
            model_name="job", name="public_id", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="job",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
