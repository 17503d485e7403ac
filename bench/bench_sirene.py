"""Benchmark: SIRENE StockEtablissement import (parse + filter + records) on a generated 5-million-row CSV.

Target (issue 4): 500,000 rows per second or more, peak memory under 1 GB.

The file has INSEE's real header (all the columns, in order; ``guichet.sources.sirene``
.STOCK_ETABLISSEMENT_COLUMNS) and plausible values: about 60% active establishments, 0.3% of rows in NAF
82.20Z, 3% partly masked with ``[ND]``, Lambert-93 coordinates, real commune codes when the France dataset
is there. It is generated once into ``var/bench/`` (in a child process, so that the parse's peak memory is
measured alone) and reused; pass ``--regenerate`` to rebuild it, ``--rows N`` to change its size.

Run: ``.venv/bin/python bench/bench_sirene.py``
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
FRANCE_COMMUNES = ROOT / "var" / "data" / "france" / "communes.csv"
BUNDLED_COMMUNES = ROOT / "src" / "guichet" / "data" / "territory" / "communes.csv"
TARGET_ROWS_PER_S = 500_000
TARGET_PEAK_MB = 1024
CHUNK_ROWS = 250_000


def _commune_codes() -> list[str]:
    path = FRANCE_COMMUNES if FRANCE_COMMUNES.exists() else BUNDLED_COMMUNES
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["insee"] for row in csv.DictReader(handle)]


def generate(path: Path, rows: int, seed: int = 4) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from guichet.sources.sirene import STOCK_ETABLISSEMENT_COLUMNS

    rng = np.random.default_rng(seed)
    communes = pa.array(_commune_codes())

    def pick(pool: list[str], n: int, weights: list[float] | None = None) -> pa.Array:
        p = None if weights is None else np.asarray(weights) / np.sum(weights)
        return pc.take(pa.array(pool, pa.string()), pa.array(rng.choice(len(pool), size=n, p=p)))

    def digits(n: int, width: int, high: int) -> pa.Array:
        return pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, high, size=n)), pa.string()), width, "0")

    def blank(n: int) -> pa.Array:
        return pa.nulls(n, pa.string())

    dates = [
        f"{y}-{m:02d}-{d:02d}" for y in range(1975, 2025, 3) for m in (1, 3, 6, 9, 11) for d in (1, 14, 28)
    ]
    nafs = ["47.11F", "56.10A", "62.01Z", "68.20B", "70.22Z", "43.21A", "86.21Z", "96.02A", "82.20Z"]
    naf_weights = [15, 15, 10, 25, 15, 10, 5, 4.7, 0.3]
    bands = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"]
    band_weights = [40, 30, 12, 6, 4, 3, 2, 1, 0.6, 0.2, 0.1, 0.05, 0.03, 0.01, 0.005, 0.005]
    streets = [
        "DE LA REPUBLIQUE",
        "VICTOR HUGO",
        "DU GENERAL DE GAULLE",
        "JEAN JAURES",
        "DES LILAS",
        "PASTEUR",
    ]
    names = ["CENTRE D'APPELS", "BOULANGERIE DU CENTRE", "GARAGE MODERNE", "PHARMACIE DES ARCADES", "LE ZINC"]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    schema = pa.schema([(name, pa.string()) for name in STOCK_ETABLISSEMENT_COLUMNS])
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed", batch_size=CHUNK_ROWS)
    with pacsv.CSVWriter(str(tmp), schema, write_options=options) as writer:
        done = 0
        while done < rows:
            n = min(CHUNK_ROWS, rows - done)
            masked = rng.random(n) < 0.03
            mask = pa.array(masked)
            nd = pa.array(["[ND]"] * n, pa.string())
            siren = digits(n, 9, 1_000_000_000)
            nic = digits(n, 5, 100_000)
            commune = pc.take(communes, pa.array(rng.integers(0, len(communes), size=n)))
            x = pc.cast(pa.array(np.round(rng.uniform(100_000, 1_200_000, n), 1)), pa.string())
            y = pc.cast(pa.array(np.round(rng.uniform(6_050_000, 7_110_000, n), 1)), pa.string())
            street = pick(streets, n)
            columns = {
                "siren": siren,
                "nic": nic,
                "siret": pc.binary_join_element_wise(siren, nic, ""),
                "statutDiffusionEtablissement": pc.if_else(mask, "P", "O"),
                "dateCreationEtablissement": pick(dates, n),
                "trancheEffectifsEtablissement": pick(bands, n, band_weights),
                "anneeEffectifsEtablissement": pick(["2021", "2022", "2023", ""], n),
                "activitePrincipaleRegistreMetiersEtablissement": blank(n),
                "dateDernierTraitementEtablissement": pick(["2024-03-30T06:09:01", "2025-11-02T03:14:45"], n),
                "etablissementSiege": pick(["true", "false"], n),
                "nombrePeriodesEtablissement": pick(["1", "2", "3", "4"], n),
                "complementAdresseEtablissement": blank(n),
                "numeroVoieEtablissement": pc.if_else(mask, nd, digits(n, 1, 200)),
                "indiceRepetitionEtablissement": blank(n),
                "dernierNumeroVoieEtablissement": blank(n),
                "indiceRepetitionDernierNumeroVoieEtablissement": blank(n),
                "typeVoieEtablissement": pc.if_else(mask, nd, pick(["RUE", "AV", "BD", "CHE", "PL"], n)),
                "libelleVoieEtablissement": pc.if_else(mask, nd, street),
                "codePostalEtablissement": digits(n, 5, 99_000),
                "libelleCommuneEtablissement": pick(["BESANCON", "DOLE", "VESOUL", "BELFORT", "PARIS"], n),
                "libelleCommuneEtrangerEtablissement": blank(n),
                "distributionSpecialeEtablissement": blank(n),
                "codeCommuneEtablissement": commune,
                "codeCedexEtablissement": blank(n),
                "libelleCedexEtablissement": blank(n),
                "codePaysEtrangerEtablissement": blank(n),
                "libellePaysEtrangerEtablissement": blank(n),
                "identifiantAdresseEtablissement": blank(n),
                "coordonneeLambertAbscisseEtablissement": pc.if_else(mask, nd, x),
                "coordonneeLambertOrdonneeEtablissement": pc.if_else(mask, nd, y),
                "complementAdresse2Etablissement": blank(n),
                "numeroVoie2Etablissement": blank(n),
                "indiceRepetition2Etablissement": blank(n),
                "typeVoie2Etablissement": blank(n),
                "libelleVoie2Etablissement": blank(n),
                "codePostal2Etablissement": blank(n),
                "libelleCommune2Etablissement": blank(n),
                "libelleCommuneEtranger2Etablissement": blank(n),
                "distributionSpeciale2Etablissement": blank(n),
                "codeCommune2Etablissement": blank(n),
                "codeCedex2Etablissement": blank(n),
                "libelleCedex2Etablissement": blank(n),
                "codePaysEtranger2Etablissement": blank(n),
                "libellePaysEtranger2Etablissement": blank(n),
                "dateDebut": pick(dates, n),
                "etatAdministratifEtablissement": pick(["A", "F"], n, [60, 40]),
                "enseigne1Etablissement": pc.if_else(pa.array(rng.random(n) < 0.1), pick(names, n), blank(n)),
                "enseigne2Etablissement": blank(n),
                "enseigne3Etablissement": blank(n),
                "denominationUsuelleEtablissement": pc.if_else(
                    pa.array(rng.random(n) < 0.05), pick(names, n), blank(n)
                ),
                "activitePrincipaleEtablissement": pick(nafs, n, naf_weights),
                "nomenclatureActivitePrincipaleEtablissement": pick(["NAFv2"], n),
                "caractereEmployeurEtablissement": pick(["O", "N"], n, [35, 65]),
                "activitePrincipaleNAF25Etablissement": blank(n),
            }
            writer.write_batch(pa.RecordBatch.from_arrays([columns[c] for c in schema.names], schema=schema))
            done += n
    tmp.replace(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--generate-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(args.generate_only, args.rows)
        return

    path = BENCH_DIR / f"StockEtablissement_{args.rows}.csv"
    if args.regenerate or not path.exists():
        print(f"generating {args.rows:,} rows into {path.relative_to(ROOT)} ...", flush=True)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--generate-only", str(path)], check=True
        )
        print(f"  generated in {time.perf_counter() - started:.1f} s")
    size_mb = path.stat().st_size / 1e6

    from guichet.sources.sirene import STOCK_ETABLISSEMENT_COLUMNS as HEADER_COLUMNS
    from guichet.sources.sirene import read_establishments

    rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    updates = 0

    def on_progress(done: int, total: int) -> None:
        nonlocal updates
        updates += 1

    started = time.perf_counter()
    reader = read_establishments(path, on_progress=on_progress)
    kept = sum(len(batch) for batch in reader)
    elapsed = time.perf_counter() - started
    report = reader.report
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = report.rows_read / elapsed

    print(f"file                 {path.relative_to(ROOT)} ({size_mb:,.0f} MB, {len(HEADER_COLUMNS)} columns)")
    print(f"rows read            {report.rows_read:,}")
    print(f"kept (82.20Z active) {kept:,}")
    print(f"skipped              {dict(report.skipped)}")
    print(f"rejected             {dict(report.rejected)}")
    print(f"warnings             {dict(report.warnings)}")
    print(f"progress callbacks   {updates}")
    print(f"time                 {elapsed:.2f} s")
    print(
        f"rate                 {rate:,.0f} rows/s ({size_mb / elapsed:,.0f} MB/s)  "
        f"target >= {TARGET_ROWS_PER_S:,}"
    )
    print(
        f"peak RSS             {peak_mb:,.0f} MB (before parse {rss_before_mb:,.0f} MB)  "
        f"target < {TARGET_PEAK_MB}"
    )
    ok = rate >= TARGET_ROWS_PER_S and peak_mb < TARGET_PEAK_MB
    print("result               " + ("OK" if ok else "MISSED"))


if __name__ == "__main__":
    main()
