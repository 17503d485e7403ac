"""What a decision records: the loss reason from a list (the old free text becomes its details), the jobs
announced with their basis, the investment, the floor area taken up, the premises chosen, the site's
commune, when the decision became public; the lead source from a list."""

import math

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

LOSS_REASONS = [
    ("other_region", "Lost to another French region"),
    ("abroad", "Lost abroad"),
    ("cancelled", "Project cancelled"),
    ("no_premises", "No suitable premises"),
    ("labour", "Labour pool"),
    ("cost", "Cost"),
    ("other", "Other"),
]
LEAD_SOURCES = [
    ("agency", "Agency prospection"),
    ("portal", "Public portal"),
    ("national_agency", "National agency (Business France)"),
    ("consultant", "Site-selection consultant"),
    ("authority", "Local authority or partner"),
    ("network", "Network, trade fair, other"),
]
WON_OR_LATER = ("won", "installed", "aftercare")


def outcomes_from_the_old_fields(apps, schema_editor):
    """A loss recorded as free text keeps its text as details under "other"; a won project without jobs
    announced takes the jobs at full ramp-up of its sizing, as a decision recorded today would."""
    Project = apps.get_model("projects", "Project")
    for project in Project.objects.filter(stage__in=("lost", "abandoned"), loss_reason=""):
        project.loss_reason = "other"
        project.loss_details = project.loss_details or "—"
        project.save(update_fields=["loss_reason", "loss_details"])
    for project in Project.objects.filter(stage__in=WON_OR_LATER, jobs_announced__isnull=True):
        sizing = project.sizing or {}
        jobs = None
        if isinstance(sizing.get("headcount"), int | float):
            jobs = math.ceil(sizing["headcount"])  # the sizing's jobs at full ramp-up
        else:
            hiring = sizing.get("hiring") or []
            jobs = max((int(year["headcount"]) for year in hiring if "headcount" in year), default=None)
        if jobs is not None:
            project.jobs_announced = jobs
            project.jobs_announced_basis = "sizing"
            project.save(update_fields=["jobs_announced", "jobs_announced_basis"])
    Project.objects.exclude(source__in=[value for value, _label in LEAD_SOURCES]).update(source="network")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_version"),
        ("projects", "0004_stage_moves_who_when_why"),
        ("territory", "0002_commune_contour_table"),
    ]

    operations = [
        migrations.RenameField(model_name="project", old_name="loss_reason", new_name="loss_details"),
        migrations.AlterField(
            model_name="project",
            name="loss_details",
            field=models.TextField(blank=True, verbose_name="details of the reason"),
        ),
        migrations.AddField(
            model_name="project",
            name="loss_reason",
            field=models.CharField(
                blank=True, choices=LOSS_REASONS, max_length=20, verbose_name="reason of the loss"
            ),
        ),
        migrations.AlterField(
            model_name="project",
            name="lost_to",
            field=models.CharField(blank=True, max_length=200, verbose_name="territory or country that won"),
        ),
        migrations.AlterField(
            model_name="project",
            name="source",
            field=models.CharField(
                choices=LEAD_SOURCES, default="agency", max_length=20, verbose_name="lead source"
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="jobs_announced_basis",
            field=models.CharField(
                blank=True,
                choices=[("sizing", "From the project's sizing"), ("agency", "The agency's figure")],
                max_length=10,
                verbose_name="basis of the jobs announced",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="investment_eur",
            field=models.DecimalField(
                blank=True,
                decimal_places=0,
                max_digits=14,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="investment (EUR)",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="floor_area_taken_m2",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="floor area taken up (m²)"),
        ),
        migrations.AddField(
            model_name="project",
            name="chosen_premises",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="chosen_by_projects",
                to="catalogue.premises",
                verbose_name="premises chosen",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="site_commune",
            field=models.ForeignKey(
                blank=True,
                help_text="Where the project sets up: the chosen premises' commune, or the one the agency names.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="territory.commune",
                verbose_name="commune of the site",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="public_from",
            field=models.DateField(
                blank=True,
                help_text="Until then, only the agency and the authority chosen see the project's figures.",
                null=True,
                verbose_name="decision made public on",
            ),
        ),
        migrations.RunPython(outcomes_from_the_old_fields, migrations.RunPython.noop),
    ]
