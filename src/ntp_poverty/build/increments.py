"""What a refresh must rebuild: everything, or only the feed partitions whose files changed.

A feed partition is a folder ``province=<code>/year=<yyyy>`` of the feed (feeds/README.md). Its
content hash is the MD5 of its files' lines ``<relative path>:<md5 of the file's bytes>``, sorted and
joined by newlines; the warehouse records the same hash, computed by DuckDB from the bytes it read,
in ``audit.feed_partitions`` (the two are proven equal by tests/test_incremental.py).

The plan (:func:`plan_build`) is a full rebuild when

* ``--full-refresh`` is asked for, or nothing is published yet;
* the published build's project fingerprint differs (:func:`project_fingerprint`: every model,
  macro, seed, dbt test, the project and profile files, the feed folder and the dbt and DuckDB
  versions): rows of unchanged partitions would otherwise keep what the old code computed;
* more than :data:`MAX_CHANGED_SHARE` of the partitions changed (a full rebuild is then as cheap).

Otherwise it is incremental: the candidate starts as a copy of the published file, the partitioned
models (macros/delete_rebuilt_partitions.sql) delete and insert only the changed partitions (added,
changed or removed), and every small model, test, audit and publish step runs as in a full build.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ntp_poverty.validate.feed_files import list_feed

#: The share of changed partitions above which an incremental refresh is not worth it.
MAX_CHANGED_SHARE = 0.25

#: What the project fingerprint covers (relative to the project folder).
FINGERPRINT_PATHS: tuple[str, ...] = ("models", "macros", "seeds", "tests/dbt", "dbt_project.yml", "profiles.yml")

FULL, INCREMENTAL = "full", "incremental"


@dataclass(frozen=True)
class BuildPlan:
    """How this run builds: ``mode`` full or incremental, the partitions to rebuild, and why."""

    mode: str
    reason: str
    fingerprint: str
    changed: tuple[str, ...] = ()
    partitions: dict[str, str] = field(default_factory=dict)

    @property
    def incremental(self) -> bool:
        return self.mode == INCREMENTAL


def partition_hashes(feed: Path) -> dict[str, str]:
    """Content hash of every partition of the feed folder (empty when it has none): the hashes of
    the files the contract accepts (:func:`ntp_poverty.validate.feed_files.list_feed`)."""
    return list_feed(feed).partition_hashes() if feed.is_dir() else {}


def project_fingerprint(project: Path, feed: Path) -> str:
    """A hash of everything that decides what a partition's rows are, besides the partition's files."""
    digest = hashlib.sha256()
    for name in FINGERPRINT_PATHS:
        root = project / name
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if path.exists() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(project).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    resolved = feed.resolve()
    # the feed folder: relative when inside the project (a copied or moved project keeps its builds)
    place = resolved.relative_to(project.resolve()) if resolved.is_relative_to(project.resolve()) else resolved
    digest.update(str(place).encode() + b"\0")
    digest.update(f"duckdb {duckdb.__version__}".encode())
    try:
        from dbt.version import __version__ as dbt_version  # noqa: PLC0415 - only the fingerprint needs dbt's version
    except ImportError:  # pragma: no cover - dbt is in the lock
        dbt_version = "unknown"
    digest.update(f" dbt {dbt_version}".encode())
    return digest.hexdigest()


def published_state(database: Path) -> tuple[str | None, dict[str, str]]:
    """The published build's project fingerprint and partition hashes (None, {} when unknown)."""
    if not database.exists():
        return None, {}
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            fingerprint = con.execute("select project_fingerprint from audit.warehouse_build").fetchall()
            partitions = con.execute("select source_partition, content_hash from audit.feed_partitions").fetchall()
    except duckdb.Error:  # a release built before incremental refreshes existed
        return None, {}
    return (fingerprint[0][0] if fingerprint else None), dict(partitions)


def published_feed_bytes(database: Path | None) -> dict[str, int]:
    """Bytes of every feed partition the published build read (empty when nothing is published)."""
    if database is None or not database.exists():
        return {}
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            return dict(con.execute("select source_partition, n_bytes from audit.feed_partitions").fetchall())
    except duckdb.Error:  # a release built before feed partitions were recorded
        return {}


#: A feed smaller than this share of the published feed's bytes has lost "most of its rows".
MIN_KEPT_SHARE = 0.5


def shrink_refusals(
    published: dict[str, int],
    current: dict[str, int],
    declared: set[str],
    allowed: set[str],
    allow_shrink: bool = False,
) -> list[str]:
    """Why a feed that shrank since the published build may not be built: every partition it drops
    must be declared (declarations.csv, removed_partition) or allowed (``--allow-removals``), and a
    feed of less than MIN_KEPT_SHARE of the published bytes needs ``--allow-shrink``. A feed is never
    lost silently: an empty folder or a wrong NTP_FEEDS drops every partition."""
    if not published:
        return []
    removed = sorted(set(published) - set(current) - declared - allowed)
    errors = []
    if removed and not current:
        errors.append(
            f"the feed has no data file, and the published build read {len(published)} partition(s): an empty "
            "or wrong feed folder (NTP_FEEDS) would remove every feed amount; to remove them, declare each "
            "partition (declarations.csv: removed_partition) or pass --allow-removals with the partitions"
        )
    elif removed:
        shown = ", ".join(removed[:10]) + (f" and {len(removed) - 10} more" if len(removed) > 10 else "")
        errors.append(
            f"the feed dropped {len(removed)} partition(s) the published build read: {shown}; declare each "
            "removal (declarations.csv: removed_partition, the partition, the reason) or pass --allow-removals"
        )
    before, after = sum(published.values()), sum(current.values())
    if not errors and not allow_shrink and before and after < MIN_KEPT_SHARE * before:
        errors.append(
            f"the feed holds {after:,} bytes against {before:,} in the published build (less than "
            f"{MIN_KEPT_SHARE:.0%}): most of its rows are gone; pass --allow-shrink if that is meant"
        )
    return errors


def changed_partitions(before: dict[str, str], after: dict[str, str]) -> tuple[str, ...]:
    """Partitions added, removed or whose content hash differs."""
    return tuple(sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p)))


def plan_build(
    published: Path | None,
    project: Path,
    feed: Path,
    full_refresh: bool,
    partitions: dict[str, str] | None = None,
) -> BuildPlan:
    """Decide how this run builds (see the module's docstring). ``partitions``: the partition hashes
    of the feed's file list (the refresh lists the feed once); hashed here when not given."""
    fingerprint = project_fingerprint(project, feed)
    partitions = partition_hashes(feed) if partitions is None else partitions

    def full(reason: str) -> BuildPlan:
        return BuildPlan(FULL, reason, fingerprint, tuple(sorted(partitions)), partitions)

    if full_refresh:
        return full("--full-refresh was asked for")
    if published is None or not published.exists():
        return full("nothing is published yet")
    published_fingerprint, published_partitions = published_state(published)
    if published_fingerprint is None:
        return full("the published release records no project fingerprint")
    if published_fingerprint != fingerprint:
        return full(
            "the project (models, macros, seeds, tests, profile, feed folder or versions) changed "
            "since the published build"
        )
    changed = changed_partitions(published_partitions, partitions)
    total = len(published_partitions.keys() | partitions.keys())
    if total and len(changed) > MAX_CHANGED_SHARE * total:
        return full(f"{len(changed)} of {total} feed partitions changed (more than {MAX_CHANGED_SHARE:.0%})")
    return BuildPlan(
        INCREMENTAL, f"{len(changed)} of {total} feed partitions changed", fingerprint, changed, partitions
    )
