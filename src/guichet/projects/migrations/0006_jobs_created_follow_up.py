"""Jobs created carry their source and who recorded them; the agency sets how long sites report."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_project_decision_and_outcome"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="jobscreated",
            name="jobs",
            field=models.PositiveIntegerField(
                help_text="New jobs on the site during the year.", verbose_name="jobs created"
            ),
        ),
        migrations.AddField(
            model_name="jobscreated",
            name="source",
            field=models.CharField(
                blank=True, help_text="e.g. the company's annual statement", max_length=200, verbose_name="source"
            ),
        ),
        migrations.AddField(
            model_name="jobscreated",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="jobscreated",
            name="recorded_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="recorded at"
            ),
        ),
        migrations.AddField(
            model_name="agencysettings",
            name="follow_up_years",
            field=models.PositiveSmallIntegerField(
                default=5,
                help_text="How many calendar years, from the opening year, a site reports its jobs created.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(30),
                ],
                verbose_name="years of jobs follow-up after opening",
            ),
        ),
    ]
