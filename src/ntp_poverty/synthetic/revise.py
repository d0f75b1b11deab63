"""Revise a synthetic feed: the reporting systems re-export a few partitions with changed amounts.

An incremental refresh must be measured (and proven) on a feed where only some partitions changed.
``ntp synthetic --revise 0.01 --revision 1 --out FEED`` rewrites a deterministic
choice of ``max(1, round(0.01 × partitions))`` partitions (``province=X/year=Y`` folders) of the
feed written by :mod:`ntp_poverty.synthetic.feed` into FEED (its ``manifest.json`` gives the arguments):

- the chosen partitions are drawn with a generator keyed by the feed's seed and the revision
  number, so revision 1 of a feed always changes the same partitions the same way;
- each chosen partition's reports are generated again for the same units, periods and phases with
  random draws salted by the revision: other amounts (and blocks), every printed total still the
  exact sum of what it names;
- a report that carried one of the feed's deliberate errors gets its error planted again (the
  erroneous row may move): the manifest's ``errors`` entry and ``acknowledged.csv`` are rewritten,
  so the build still passes and the audit still finds exactly the manifest's errors;
- every other file is left untouched (byte for byte); a rewritten file replaces the old one by a
  rename (a new inode: a hard-linked copy of the feed keeps the original);
- ``manifest.json`` gets its counts updated and a ``revisions`` entry naming the files rewritten.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ntp_poverty.synthetic.feed import feed_plan, generate_partition, plan_reports, write_acknowledgments
from ntp_poverty.synthetic.units import keyed_rng


def _read(path: Path) -> pa.Table:
    if path.suffix == ".parquet":
        return pq.read_table(path, columns=["report_id", "is_printed_total"])
    table = pa_csv.read_csv(
        path,
        convert_options=pa_csv.ConvertOptions(
            include_columns=["report_id", "is_printed_total"], column_types={"is_printed_total": pa.string()}
        ),
    )
    return table.set_column(1, "is_printed_total", pc.equal(table["is_printed_total"], "true"))


def _replace(path: Path, tables: list[pa.Table], fmt: str) -> None:
    """Write the partition's file next to it, then rename it over the old one (a new inode)."""
    temporary = path.with_name(path.name + ".revising")
    table = pa.concat_tables(tables)
    if fmt == "parquet":
        pq.write_table(table, temporary, compression="zstd")
    else:
        pa_csv.write_csv(table, temporary, pa_csv.WriteOptions(quoting_style="needed"))
    os.replace(temporary, path)


def revise(feed: Path, fraction: float, revision: int) -> dict:
    """Rewrite a deterministic ``fraction`` of the feed's partitions; return the updated manifest."""
    manifest_path = feed / "manifest.json"
    if not manifest_path.exists():
        raise SystemExit(f"{manifest_path} not found: --revise needs a feed written by ntp_poverty.synthetic.feed")
    if not 0 < fraction <= 1:
        raise SystemExit(f"--revise {fraction}: give a fraction of the partitions in (0, 1]")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    args = argparse.Namespace(**manifest["arguments"])
    geography, documented, years, provinces, months, q, g, _, error_reports = feed_plan(args)
    partitions = []
    for plans in plan_reports(geography, years, provinces, months):
        folder = feed / f"province={plans[0].province}" / f"year={plans[0].year}"
        if (folder / f"line_items.{args.format}").exists():
            partitions.append((folder, plans))
    if not partitions:
        raise SystemExit(f"{feed}: no partition of the manifest's feed found")
    count = max(1, round(fraction * len(partitions)))
    chosen = sorted(keyed_rng(args.seed, "revise", str(revision)).choice(len(partitions), count, replace=False))
    counts = manifest["counts"]
    replaced: dict[str, dict] = {}
    files = []
    for index in chosen:
        folder, plans = partitions[index]
        path = folder / f"line_items.{args.format}"
        old = _read(path)
        old_leaves = int(pc.sum(pc.invert(pc.fill_null(old["is_printed_total"], False))).as_py() or 0)
        counts["rows"] -= old.num_rows
        counts["leaf_rows"] -= old_leaves
        counts["printed_totals"] -= old.num_rows - old_leaves
        counts["reports"] -= len(pc.unique(old["report_id"]))
        new_errors: list[dict] = []
        tables = generate_partition(
            plans,
            folder,
            feed,
            args,
            q,
            g,
            documented,
            error_reports,
            counts,
            new_errors,
            salt=("revision", str(revision)),
        )
        _replace(path, tables, args.format)
        replaced.update({e["report_id"]: e for e in new_errors})
        files.append(path.relative_to(feed).as_posix())
    manifest["errors"] = [replaced.get(e["report_id"], e) for e in manifest["errors"]]
    acknowledged = feed / (manifest.get("acknowledgments") or "acknowledged.csv")
    write_acknowledgments(acknowledged.with_name(acknowledged.name + ".revising"), manifest["errors"])
    os.replace(acknowledged.with_name(acknowledged.name + ".revising"), acknowledged)
    manifest.setdefault("revisions", []).append({"revision": revision, "fraction": fraction, "files": files})
    temporary = manifest_path.with_name(manifest_path.name + ".revising")
    temporary.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, manifest_path)
    return manifest
