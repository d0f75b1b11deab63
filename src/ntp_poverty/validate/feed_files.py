"""The feed's files: one list, made once, that the preflight validates and dbt reads.

A feed folder (``NTP_FEEDS``) holds data files at ``province=<code>/year=<yyyy>/<name>.csv`` (or
``.parquet``) and, at its root, the optional files of :data:`ROOT_FILES`. :func:`list_feed` walks
the folder once and returns every data file with its size and MD5, and a located error for
everything else:

* hidden files and folders (a name starting with ``.``: ``.backup.csv``, macOS's ``._line_items.csv``,
  office lock files ``.~lock.line_items.csv#``) and office owner files (``~$line_items.csv``): DuckDB
  would read them as data, and nobody meant them to be;
* symbolic links: a link may lead out of the feed, or make one file two;
* files where the contract puts none, and data files that cannot be read.

dbt reads exactly this list, never a glob of its own: the refresh writes it into the run's folder
(:func:`write_list`) and names it in ``NTP_FEED_FILES`` (default ``target/feed_files.csv``, which
``ntp validate feeds`` writes); macros/feed_file_paths.sql reads it, and every path reaches SQL through
one quoting macro (macros/file_literal.sql), so quotes and glob characters in a path are literal.
The list with every file's hash is recorded with the build (``audit.feed_files``); the incremental
change detection hashes the same list (:meth:`FeedListing.partition_hashes`).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ntp_poverty.validate.feed_contract import ROOT_FILES

#: A data file, relative to the feed folder: province, year, format.
DATA_FILE = re.compile(r"province=([^/]+)/year=(\d{4})/[^/]+\.(csv|parquet)")
#: The root file dbt reads (the others, manifest.json and README.md, are for people).
ACKNOWLEDGED = "acknowledged.csv"
#: Columns of the list file, in order.
LIST_COLUMNS: tuple[str, ...] = (
    "path",
    "feed_file",
    "kind",
    "source_partition",
    "province",
    "year",
    "file_bytes",
    "content_md5",
)
LIST_ENV = "NTP_FEED_FILES"
#: The list's name in a refresh's run folder
RUN_LIST_NAME = "feed_files.csv"
DEFAULT_LIST = Path("target") / "feed_files.csv"


@dataclass(frozen=True)
class FeedFile:
    """One file dbt reads: a data file of a partition (kind csv or parquet) or the acknowledgments."""

    path: Path
    feed_file: str
    kind: str
    province: str = ""
    year: str = ""
    file_bytes: int = 0
    content_md5: str = ""

    @property
    def source_partition(self) -> str:
        return f"province={self.province}/year={self.year}" if self.province else ""


@dataclass
class FeedListing:
    """A feed folder's files (in path order) and every file the contract does not accept."""

    root: Path
    files: list[FeedFile] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def data_files(self, kind: str | None = None) -> list[FeedFile]:
        """The partition files (of one format, when given)."""
        return [f for f in self.files if f.kind in ("csv", "parquet") and (kind is None or f.kind == kind)]

    def partition_hashes(self) -> dict[str, str]:
        """Content hash of every partition: the MD5 of its files' lines ``<feed_file>:<md5>``, sorted,
        joined by newlines (what ``audit.feed_partitions`` records from the bytes DuckDB read)."""
        lines: dict[str, list[str]] = defaultdict(list)
        for item in self.data_files():
            lines[item.source_partition].append(f"{item.feed_file}:{item.content_md5}")
        return {
            partition: hashlib.md5("\n".join(sorted(entries)).encode(), usedforsecurity=False).hexdigest()
            for partition, entries in sorted(lines.items())
        }


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refusal(path: Path, relative: str, is_dir: bool) -> str | None:
    """Why the contract refuses this entry, or None."""
    name = path.name
    what = "folder" if is_dir else "file"
    if path.is_symlink():
        return f"{path}: a symbolic link; a feed holds its files themselves (copy the {what} into the feed)"
    if name.startswith("._"):
        return f"{path}: a hidden macOS metadata file (AppleDouble '._'); delete it, it is not data"
    if name.startswith((".~lock", "~$")):
        return f"{path}: an office lock file; close the file in its editor and delete the lock"
    if name.startswith("."):
        return f"{path}: a hidden {what}; a feed has no hidden {what}s (DuckDB would read it): delete or rename it"
    if is_dir:
        return None
    if relative in ROOT_FILES or DATA_FILE.fullmatch(relative):
        return None
    return (
        f"{path}: not part of the feed contract (data files are province=<code>/year=<yyyy>/<name>.csv "
        f"or .parquet; at the root only {', '.join(ROOT_FILES)})"
    )


def list_feed(root: Path, with_hashes: bool = True) -> FeedListing:
    """Every file of the feed folder ``root`` that dbt reads, and an error for each it must not
    (see the module's docstring). A folder that does not exist is an error."""
    listing = FeedListing(root)
    if not root.is_dir():
        listing.errors.append(f"{root}: the feed folder does not exist or is not a folder")
        return listing
    for folder, dirs, names in os.walk(root):
        base = Path(folder)
        for name in sorted(dirs):
            refusal = _refusal(base / name, (base / name).relative_to(root).as_posix(), is_dir=True)
            if refusal:
                listing.errors.append(refusal)
                dirs.remove(name)  # not entered: everything below it is refused with it
        dirs.sort()
        for name in sorted(names):
            path = base / name
            relative = path.relative_to(root).as_posix()
            refusal = _refusal(path, relative, is_dir=False)
            if refusal:
                listing.errors.append(refusal)
                continue
            match = DATA_FILE.fullmatch(relative)
            if match is None and relative != ACKNOWLEDGED:
                continue  # manifest.json, README.md: for people, dbt does not read them
            try:
                size = path.stat().st_size
                digest = md5_of(path) if with_hashes else ""
            except OSError as exc:
                listing.errors.append(f"{path}: cannot be read: {exc.strerror or exc}")
                continue
            if match:
                province, year, kind = match.groups()
                listing.files.append(FeedFile(path.absolute(), relative, kind, province, year, size, digest))
            else:
                listing.files.append(
                    FeedFile(path.absolute(), relative, "acknowledged", file_bytes=size, content_md5=digest)
                )
    listing.files.sort(key=lambda f: f.feed_file)
    return listing


def write_list(listing: FeedListing, out: Path) -> Path:
    """Write the list dbt reads (CSV, :data:`LIST_COLUMNS`), atomically; return its path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LIST_COLUMNS)
        for item in listing.files:
            writer.writerow(
                [
                    str(item.path),
                    item.feed_file,
                    item.kind,
                    item.source_partition,
                    item.province,
                    item.year,
                    item.file_bytes,
                    item.content_md5,
                ]
            )
    partial.replace(out)
    return out


def file_literal(path: Path | str) -> str:
    """A file's path as a DuckDB string literal naming exactly that file (as macros/dialect/
    default__file_literal.sql): ``[ * ?`` each inside brackets, which DuckDB's glob matches as the
    character itself ("[" first), then the quote doubled."""
    text = str(path).replace("[", "[[]").replace("*", "[*]").replace("?", "[?]")
    return "'" + text.replace("'", "''") + "'"


def dbt_environment(feed: Path, out: Path) -> dict[str, str]:
    """``NTP_FEEDS`` and ``NTP_FEED_FILES`` for a dbt run outside the refresh (tests, benchmarks) on
    ``feed``: its list written to ``out``. Raises ValueError naming the files the contract refuses."""
    listing = list_feed(feed)
    if listing.errors:
        raise ValueError("the feed's files are refused: " + "; ".join(listing.errors[:5]))
    write_list(listing, out)
    return {"NTP_FEEDS": str(feed), LIST_ENV: str(out)}


def list_path(project: Path) -> Path:
    """The list dbt reads: ``NTP_FEED_FILES`` (relative to the project, where dbt runs) or the default."""
    value = os.environ.get(LIST_ENV) or str(DEFAULT_LIST)
    path = Path(value)
    return path if path.is_absolute() else project / path
