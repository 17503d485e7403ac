"""CNIG "sites économiques" files: the national examples import cleanly and export back unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guichet.accounts.models import User
from guichet.catalogue import selectors, services
from guichet.catalogue.models import Authority, Plot, Site
from guichet.sources import cnig

pytestmark = pytest.mark.django_db
REFERENCE = cnig.SCHEMA_DIR


def example(kind: str) -> bytes:
    return (REFERENCE / kind / "exemple-valide.csv").read_bytes()


def test_the_national_examples_import_and_export_back_byte_for_byte(
    alice: User, grand_besancon: Authority
) -> None:
    sites = services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))
    plots = services.cnig_import_plots(actor=alice, owner=grand_besancon, content=example(cnig.PLOT))
    assert (sites.created, plots.created) == (1, 1)
    site = Site.objects.get()
    assert (site.site_id, site.name, site.commune_insee) == (
        "80024_SITE-ECO_00001",
        "ZAC Les Bornes du Temps",
        "80024",
    )
    assert str(site.usable_area_ha) == "35.30" and site.tertiary is True and site.fibre is True
    assert (round(site.latitude or 0, 4), round(site.longitude or 0, 4)) == (49.2527, 3.9815)
    assert Plot.objects.get().price_eur_m2 is not None
    mine = selectors.sites_editable_by(user=alice)
    assert selectors.sites_cnig_export(sites=mine) == example(cnig.SITE)
    assert selectors.plots_cnig_export(sites=mine) == example(cnig.PLOT)


def test_importing_the_same_file_twice_updates_instead_of_duplicating(
    alice: User, grand_besancon: Authority
) -> None:
    services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))
    again = services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))
    assert (again.created, again.updated, again.unchanged, Site.objects.count()) == (0, 0, 1, 1)


def test_an_edited_area_is_exported_with_its_new_value(alice: User, grand_besancon: Authority) -> None:
    services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))
    Site.objects.update(usable_area_ha="30.5")
    exported = selectors.sites_cnig_export(sites=Site.objects.all())
    record = cnig.read_table(cnig.SITE, exported).records[0]
    assert record.raw["site_surf_utile"] == "30.50"
    assert record.raw["site_surf_brute"] == "37.2"


def test_a_wrong_cell_refuses_the_whole_file_naming_row_and_column(
    alice: User, grand_besancon: Authority
) -> None:
    good = example(cnig.SITE).decode("utf-8")
    header, first = good.rstrip("\r\n").split("\r\n")
    second = first.replace("80024_SITE-ECO_00001", "80024_SITE-ECO_00002").replace(";37.2;", ";beaucoup;")
    content = "\r\n".join([header, first, second]).encode("utf-8")
    with pytest.raises(cnig.CnigFormatError) as caught:
        services.cnig_import_sites(actor=alice, owner=grand_besancon, content=content)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "site_surf_brute")]
    assert not Site.objects.exists()


def test_a_missing_required_column_and_a_non_utf8_file_are_named() -> None:
    good = example(cnig.PLOT).decode("utf-8")
    without_site = "\r\n".join(
        ";".join(cells[:1] + cells[2:])
        for cells in (line.split(";") for line in good.rstrip("\r\n").split("\r\n"))
    )
    with pytest.raises(cnig.CnigFormatError) as caught:
        cnig.read_table(cnig.PLOT, without_site.encode("utf-8"))
    assert "site_id" in str(caught.value)
    with pytest.raises(cnig.CnigFormatError, match="not UTF-8"):
        cnig.read_table(cnig.PLOT, good.encode("latin-1"))


def test_a_duplicate_identifier_is_refused() -> None:
    good = example(cnig.PLOT).decode("utf-8").rstrip("\r\n")
    header, row = good.split("\r\n")
    with pytest.raises(cnig.CnigFormatError) as caught:
        cnig.read_table(cnig.PLOT, "\r\n".join([header, row, row]).encode("utf-8"))
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "terr_id")]


def test_an_unknown_insee_code_is_refused(alice: User, grand_besancon: Authority) -> None:
    content = example(cnig.SITE).replace(b";80024;", b";80999;")
    with pytest.raises(ValidationError, match=r"site_comm_insee.*80999"):
        services.cnig_import_sites(actor=alice, owner=grand_besancon, content=content)


def test_bob_cannot_overwrite_alice_sites_and_learns_nothing_of_them(
    alice: User, bob: User, grand_besancon: Authority, grand_belfort: Authority
) -> None:
    services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))
    alices = Site.objects.get(owner=grand_besancon)
    # Bob names Alice's site in a plots file: the same answer as for a site nobody has.
    with pytest.raises(ValidationError) as refused:
        services.cnig_import_plots(actor=bob, owner=grand_belfort, content=example(cnig.PLOT))
    nobodys = example(cnig.PLOT).replace(b"80024_SITE-ECO_00001", b"99999_SITE-ECO_99999")
    with pytest.raises(ValidationError) as unknown:
        services.cnig_import_plots(actor=bob, owner=grand_belfort, content=nobodys)
    assert refused.value.messages == [
        message.replace("99999_SITE-ECO_99999", "80024_SITE-ECO_00001") for message in unknown.value.messages
    ]
    # Bob imports the same identifiers for his authority: he gets his own sites, as anybody would.
    result = services.cnig_import_sites(actor=bob, owner=grand_belfort, content=example(cnig.SITE))
    assert (result.created, result.updated) == (1, 0)
    plots = services.cnig_import_plots(actor=bob, owner=grand_belfort, content=example(cnig.PLOT))
    assert plots.created == 1
    assert Site.objects.get(pk=alices.pk).owner == grand_besancon and not alices.plots.exists()
    # And he cannot import for Alice's authority at all.
    with pytest.raises(PermissionDenied):
        services.cnig_import_sites(actor=bob, owner=grand_besancon, content=example(cnig.SITE))
    with pytest.raises(PermissionDenied):
        services.cnig_import_plots(actor=bob, owner=grand_besancon, content=example(cnig.PLOT))


def one_site_file(**cells: str) -> bytes:
    """The national example with some cells replaced."""
    header, row = example(cnig.SITE).decode("utf-8").rstrip("\r\n").split("\r\n")
    names, values = header.split(";"), row.split(";")
    for name, value in cells.items():
        values[names.index(name)] = value
    return "\r\n".join([header, ";".join(values)]).encode("utf-8")


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"site_surf_brute": "1e308"}, "site_surf_brute"),
        ({"site_surf_utile": "-5"}, "site_surf_utile"),
        ({"site_surf_comm_dispo": "2147483648"}, "site_surf_comm_dispo"),
        ({"site_nom": "x" * 10_000_000}, "site_nom"),
        ({"site_description": "y" * 30_000}, "site_description"),
        ({"site_geompoint": "3.9, 95"}, "site_geompoint"),
    ],
)
def test_what_the_model_refuses_is_refused_naming_row_and_column(
    alice: User, grand_besancon: Authority, cells: dict[str, str], column: str
) -> None:
    with pytest.raises(cnig.CnigFormatError) as caught:
        services.cnig_import_sites(actor=alice, owner=grand_besancon, content=one_site_file(**cells))
    assert {(e.row, e.column) for e in caught.value.errors} == {(2, column)}
    assert not Site.objects.exists()


def test_an_import_writes_one_audit_event_with_its_counts(alice: User, grand_besancon: Authority) -> None:
    from guichet.audit.models import AuditEvent

    services.cnig_import_sites(
        actor=alice, owner=grand_besancon, content=example(cnig.SITE), file_name="a.csv"
    )
    event = AuditEvent.objects.get(action="import")
    assert (event.actor_id, event.object_type, event.object_id) == (
        alice.pk,
        "catalogue.authority",
        str(grand_besancon.pk),
    )
    assert {k: event.details[k] for k in ("kind", "file", "rows_read", "created", "updated")} == {
        "kind": "site-eco",
        "file": "a.csv",
        "rows_read": 1,
        "created": 1,
        "updated": 0,
    }


def test_a_changed_row_is_written_and_counted_as_updated(alice: User, grand_besancon: Authority) -> None:
    services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))
    again = services.cnig_import_sites(
        actor=alice, owner=grand_besancon, content=one_site_file(site_surf_brute="40.5")
    )
    assert (again.created, again.updated, again.unchanged) == (0, 1, 0)
    site = Site.objects.get()
    assert str(site.gross_area_ha) == "40.50" and site.attributes["site_surf_brute"] == "40.5"


def _meanwhile(run: Any) -> Any:
    """A progress callback that runs another import just before this one writes: the race of two imports
    for one owner, made deterministic."""

    def progress(done: int, total: int, stage: str) -> None:
        if stage == "saving" and not ran:
            ran.append(run())

    ran: list[Any] = []
    return progress


def test_two_imports_of_new_sites_for_one_owner_at_once_both_succeed(
    alice: User, grand_besancon: Authority
) -> None:
    def other() -> Any:
        return services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))

    result = services.cnig_import_sites(
        actor=alice, owner=grand_besancon, content=example(cnig.SITE), on_progress=_meanwhile(other)
    )
    assert (result.created, result.updated) == (0, 1)
    assert Site.objects.filter(owner=grand_besancon).count() == 1


def test_two_imports_of_new_plots_for_one_owner_at_once_both_succeed(
    alice: User, grand_besancon: Authority
) -> None:
    services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))

    def other() -> Any:
        return services.cnig_import_plots(actor=alice, owner=grand_besancon, content=example(cnig.PLOT))

    result = services.cnig_import_plots(
        actor=alice, owner=grand_besancon, content=example(cnig.PLOT), on_progress=_meanwhile(other)
    )
    assert (result.created, result.updated) == (0, 1)
    assert Plot.objects.filter(site__owner=grand_besancon).count() == 1


def test_a_site_removed_while_its_plots_are_read_is_a_clear_refusal(
    alice: User, grand_besancon: Authority
) -> None:
    services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))

    def remove() -> Any:
        return Site.objects.filter(owner=grand_besancon).delete()

    with pytest.raises(ValidationError) as refused:
        services.cnig_import_plots(
            actor=alice, owner=grand_besancon, content=example(cnig.PLOT), on_progress=_meanwhile(remove)
        )
    assert "80024_SITE-ECO_00001" in refused.value.messages[0]
    assert not Plot.objects.exists()


def test_the_cnig_export_writes_a_formula_as_text(alice: User, grand_besancon: Authority) -> None:
    services.cnig_import_sites(actor=alice, owner=grand_besancon, content=example(cnig.SITE))
    Site.objects.update(name='=HYPERLINK("http://evil.example","Parc")')
    exported = selectors.sites_cnig_export(sites=Site.objects.all())
    record = cnig.read_table(cnig.SITE, exported).records[0]
    assert record.raw["site_nom"] == '\'=HYPERLINK("http://evil.example","Parc")'
    text = exported.decode("utf-8")
    assert ";=HYPERLINK" not in text and ';"=HYPERLINK' not in text
