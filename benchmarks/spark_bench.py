"""Time the Spark build (dbt-spark, local[2]) on a synthetic feed: `make bench-spark ROWS=<n> RUNS=<k>`.

Each run is `dbt build --target spark --full-refresh` (every seed, model and test) into a fresh
warehouse folder, with NTP_FEEDS pointing at the feed. Measured per run: wall time and the peak
resident memory of the whole process tree (dbt, the JVM it starts, anything else below it), sampled
from /proc every 0.2 s. The median of the runs (at least 3) is written to BENCHMARKS.md between
``<!-- spark:begin -->`` and ``<!-- spark:end -->`` only; the rest of that file belongs to others.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- spark:begin -->", "<!-- spark:end -->"
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Run:
    wall_s: float
    peak_rss_mb: float
    returncode: int


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_kb(root: int) -> int:
    """Resident memory (kB) of ``root`` and every process below it."""
    tree, total, stack = _children(), 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(tree.get(pid, []))
    return total


def measure(cmd: list[str], env: dict[str, str], log: Path) -> Run:
    """Run ``cmd`` to completion; its wall time and the peak RSS of its process tree."""
    peak = 0
    with log.open("w", encoding="utf-8") as out:
        started = time.monotonic()
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_kb(process.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        wall = time.monotonic() - started
        done.set()
        sampler.join()
    return Run(wall, peak / 1024, returncode)


def ensure_feed(feed: Path, rows: int, errors: int) -> dict:
    """The synthetic feed of about ``rows`` rows in ``feed`` (regenerated when it holds another size)."""
    manifest = feed / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("arguments", {}).get("rows") == rows:
            return data
    env = dict(os.environ, PYTHONPATH=str(ROOT / "scripts"))
    subprocess.run([sys.executable, "-m", "ntp_poverty.synthetic", "--rows", str(rows), "--errors", str(errors),
                    "--out", str(feed), "--seed", "42"], cwd=ROOT, env=env, check=True)
    return json.loads(manifest.read_text(encoding="utf-8"))


def write_section(text: str, path: Path = BENCHMARKS) -> None:
    """Replace what lies between the spark markers of BENCHMARKS.md (creating file or markers if absent)."""
    block = f"{BEGIN}\n{text.rstrip()}\n{END}"
    if not path.exists():
        path.write_text(f"# Benchmarks\n\n{block}\n", encoding="utf-8")
        return
    current = path.read_text(encoding="utf-8")
    if BEGIN in current and END in current and current.index(BEGIN) < current.index(END):
        before, rest = current.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        path.write_text(before + block + after, encoding="utf-8")
    else:
        path.write_text(current.rstrip("\n") + f"\n\n{block}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="size of the synthetic feed (rows)")
    parser.add_argument("--runs", type=int, default=3, help="runs (at least 3; the median is reported)")
    parser.add_argument("--feed", type=Path, default=ROOT / "feeds" / "synthetic")
    parser.add_argument("--errors", type=int, default=5)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workdir", type=Path, default=ROOT / "warehouse" / "spark-bench")
    args = parser.parse_args(argv)
    if args.runs < 3:
        parser.error("--runs must be at least 3")
    feed = args.feed if args.feed.is_absolute() else ROOT / args.feed
    dbt = ROOT / ".venv-spark" / "bin" / "dbt"
    if not dbt.exists():
        parser.error(f"{dbt} is missing: run `make spark-venv`")
    manifest = ensure_feed(feed, args.rows, args.errors)
    runs: list[Run] = []
    for number in range(1, args.runs + 1):
        workdir = args.workdir / f"run{number}"
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        env = dict(os.environ, NTP_FEEDS=str(feed), NTP_SPARK_MASTER=args.master,
                   NTP_SPARK_WAREHOUSE=str(workdir / "warehouse"), DBT_PROFILES_DIR=str(ROOT),
                   PYTHONPATH=str(ROOT / "scripts"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        cmd = [str(dbt), "build", "--target", "spark", "--full-refresh",
               "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]
        run = measure(cmd, env, workdir / "dbt.out")
        print(f"run {number}: {run.wall_s:.1f} s, peak RSS {run.peak_rss_mb:.0f} MB, exit {run.returncode}",
              flush=True)
        runs.append(run)
        if run.returncode != 0:
            print((workdir / "dbt.out").read_text(encoding="utf-8")[-4000:], file=sys.stderr)
            break
    ok = [r for r in runs if r.returncode == 0]
    counts = manifest.get("counts", {})
    lines = [
        "## Spark build (dbt-spark, session mode)",
        "",
        f"`make bench-spark ROWS={args.rows} RUNS={args.runs}` — `dbt build --target spark --full-refresh` "
        f"(every seed, model and test) on master `{args.master}`, feed `{feed.relative_to(ROOT) if feed.is_relative_to(ROOT) else feed}` "
        f"({counts.get('rows', '?'):,} line items in {counts.get('files', '?')} "
        f"{manifest.get('arguments', {}).get('format', '?')} files); median of {len(ok)} successful run(s) of "
        f"{len(runs)}; peak RSS of the whole process tree (dbt, the JVM). Measured "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, {platform.platform()}.",
        "",
        "| rows | runs | median wall (s) | median peak RSS (MB) | max peak RSS (MB) | all runs (s) |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    if ok:
        lines.append(f"| {args.rows:,} | {len(ok)} | {statistics.median(r.wall_s for r in ok):.1f} | "
                     f"{statistics.median(r.peak_rss_mb for r in ok):.0f} | {max(r.peak_rss_mb for r in ok):.0f} | "
                     f"{', '.join(f'{r.wall_s:.1f}' for r in runs)} |")
    else:
        lines.append(f"| {args.rows:,} | 0 | failed (exit {runs[-1].returncode}) | | | |")
    write_section("\n".join(lines))
    print(f"wrote the spark section of {BENCHMARKS}")
    return 0 if len(ok) == len(runs) == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
