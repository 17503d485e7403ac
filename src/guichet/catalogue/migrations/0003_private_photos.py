"""Photos become private files: an opaque id each, and a random storage name instead of
`premises/<id>/<client name>` (which told the premises id and kept the uploader's file name)."""

import os
import uuid

from django.conf import settings
from django.db import migrations, models

import guichet.catalogue.models


def make_private(apps, schema_editor):
    Photo = apps.get_model("catalogue", "PremisesPhoto")
    root = settings.MEDIA_ROOT
    for photo in Photo.objects.all():
        photo.public_id = uuid.uuid4()
        old = photo.image.name
        if old and not old.startswith("private/"):
            new = f"private/photos/{uuid.uuid4().hex}"
            source = os.path.join(root, old)
            if os.path.exists(source):
                os.makedirs(os.path.join(root, "private", "photos"), exist_ok=True)
                os.replace(source, os.path.join(root, new))
            photo.image.name = new
        photo.save(update_fields=["public_id", "image"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_version")]

    operations = [
        migrations.AddField(
            model_name="premisesphoto", name="public_id", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.AlterField(
            model_name="premisesphoto",
            name="image",
            field=models.ImageField(
                max_length=200, upload_to=guichet.catalogue.models.premises_photo_path, verbose_name="photo"
            ),
        ),
        migrations.RunPython(make_private, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="premisesphoto",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
