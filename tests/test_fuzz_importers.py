"""Fuzzing the importers: mutated rows, wrong encodings and truncated files give a clear error, never a
crash, and never a partial import."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.accounts.models import User
from guichet.catalogue import services
from guichet.catalogue.models import Authority, Plot, Site
from guichet.data.dataset import BUNDLED_TERRITORY_DIR, DatasetError
from guichet.sources import cnig
from guichet.territory.models import Commune, Epci, FormerCommune
from guichet.territory.services import territory_load_dataset

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def mutations(draw: st.DrawFn, content: bytes) -> bytes:
    """One of the ways a real file goes wrong on its way from a spreadsheet to an upload."""
    kind = draw(
        st.sampled_from(["truncate", "flip", "latin1", "drop_column", "duplicate_row", "garbage_row"])
    )
    if kind == "truncate":
        return content[: draw(st.integers(0, max(0, len(content) - 1)))]
    if kind == "flip":
        position = draw(st.integers(0, len(content) - 1))
        return content[:position] + bytes([draw(st.integers(0, 255))]) + content[position + 1 :]
    if kind == "latin1":
        return content.decode("utf-8", errors="ignore").encode("latin-1", errors="replace")
    lines = content.split(b"\n")
    if kind == "drop_column":
        separator = b";" if b";" in lines[0] else b","
        column = draw(st.integers(0, lines[0].count(separator)))
        return b"\n".join(
            separator.join(c for i, c in enumerate(line.split(separator)) if i != column) for line in lines
        )
    if kind == "duplicate_row":
        return b"\n".join([*lines, lines[min(1, len(lines) - 1)]])
    return content + draw(st.binary(min_size=1, max_size=200))


CNIG_SITE = (cnig.SCHEMA_DIR / cnig.SITE / "exemple-valide.csv").read_bytes()
CNIG_PLOT = (cnig.SCHEMA_DIR / cnig.PLOT / "exemple-valide.csv").read_bytes()


@FUZZ
@given(data=st.data())
def test_cnig_imports_refuse_mutated_files_whole(
    data: st.DataObject, alice: User, grand_besancon: Authority
) -> None:
    content = data.draw(mutations(CNIG_SITE))
    try:
        services.cnig_import_sites(actor=alice, owner=grand_besancon, content=content)
    except (cnig.CnigFormatError, ValidationError, PermissionDenied) as error:
        assert str(error)
        assert not Site.objects.exists()
    else:
        assert Site.objects.count() == 1
    Site.objects.all().delete()


@FUZZ
@given(data=st.data())
def test_cnig_plot_imports_refuse_mutated_files_whole(
    data: st.DataObject, alice: User, grand_besancon: Authority
) -> None:
    services.cnig_import_sites(actor=alice, owner=grand_besancon, content=CNIG_SITE)
    content = data.draw(mutations(CNIG_PLOT))
    try:
        services.cnig_import_plots(actor=alice, owner=grand_besancon, content=content)
    except (cnig.CnigFormatError, ValidationError, PermissionDenied) as error:
        assert str(error)
        assert not Plot.objects.exists()
    Plot.objects.all().delete()
    Site.objects.all().delete()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), file_name=st.sampled_from(["communes.csv", "epci.csv", "former_communes.csv"]))
def test_a_mutated_territory_file_changes_nothing(data: st.DataObject, file_name: str) -> None:
    scratch = Path(tempfile.mkdtemp())
    try:
        directory = scratch / "territory"
        shutil.copytree(BUNDLED_TERRITORY_DIR, directory)
        original = (directory / file_name).read_bytes()
        # Mutate the first few kilobytes: enough to hit headers, rows and encodings, fast to load.
        head, tail = original[:4000], original[4000:]
        (directory / file_name).write_bytes(data.draw(mutations(head)) + tail)
        before = (Commune.objects.count(), Epci.objects.count(), FormerCommune.objects.count())
        names = dict(Commune.objects.values_list("insee", "name")[:50])
        try:
            territory_load_dataset(directory=directory)
        except DatasetError as error:
            assert str(error)
            assert (Commune.objects.count(), Epci.objects.count(), FormerCommune.objects.count()) == before
            assert dict(Commune.objects.filter(insee__in=names).values_list("insee", "name")) == names
    finally:
        shutil.rmtree(scratch)


# --- the labour importers -----------------------------------------------------------------------------


def _labour_state() -> tuple[int, int, int]:
    from guichet.labour.models import ContactCentre, ImportRun, JobSeekerCount

    return ContactCentre.objects.count(), JobSeekerCount.objects.count(), ImportRun.objects.count()


@FUZZ
@given(data=st.data())
def test_a_mutated_sirene_file_imports_whole_or_not_at_all(data: st.DataObject, agnes: User) -> None:
    from guichet.labour import services as labour_services
    from guichet.sources.errors import FileFormatError

    from .labour.test_imports import write_sirene

    scratch = Path(tempfile.mkdtemp())
    try:
        good = write_sirene(scratch / "good.csv").read_bytes()
        path = scratch / "stock.csv"
        path.write_bytes(data.draw(mutations(good)))
        before = _labour_state()
        try:
            run = labour_services.sirene_import(actor=agnes, path=path)
        except FileFormatError as error:
            assert str(error)
            assert _labour_state() == before
        else:
            assert run.rows_read >= run.kept
    finally:
        shutil.rmtree(scratch)


@FUZZ
@given(data=st.data(), kind=st.sampled_from(["dares", "france_travail", "zones"]))
def test_mutated_job_seeker_files_import_whole_or_not_at_all(
    data: st.DataObject, kind: str, agnes: User
) -> None:
    from guichet.labour import services as labour_services
    from guichet.sources.errors import FileFormatError

    from .labour.test_imports import DARES_CSV, ft_document

    good = DARES_CSV.encode() if kind == "dares" else ft_document()
    content = data.draw(mutations(good))
    before = _labour_state()
    importer = (
        labour_services.job_seekers_import if kind == "dares" else labour_services.france_travail_import
    )
    try:
        importer(actor=agnes, content=content, file_name=f"{kind}.data")
    except FileFormatError as error:
        assert str(error)
        assert _labour_state() == before
