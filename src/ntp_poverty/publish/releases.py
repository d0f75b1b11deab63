"""Releases: everything one refresh publishes lives in one folder, published by one pointer swap.

A reader must never see the DuckDB file of one run beside the Parquet export, docs, report or Data
Docs of another. So a run writes every published form into ``releases/<run_id>/``, seals it
(read-only, with its run id and the run it replaces), and publishes it by renaming one symlink,
``current -> releases/<run_id>``: the only step that changes what readers see, and an atomic one.
The paths readers use today stay stable: each is a symlink through ``current`` created once
(``ntp_poverty.duckdb -> current/ntp_poverty.duckdb``, ``parquet -> current/parquet``, ...), so a
reader that opened the old release keeps reading it and the next open resolves to the new one.

Layout of the warehouse folder::

    current -> releases/<run>            the published release (the one commit point)
    releases/<run>/                      one sealed folder per run: the forms below, RUN_ID, PREVIOUS
    ntp_poverty.duckdb, parquet, docs, report, data_docs, ...  stable symlinks through current/

Retention follows publish history, never name order: the current release and the one it replaced
(its ``PREVIOUS``) are kept; every other folder (failed, abandoned, rolled back, older) is removed
by the next run, which says what it removed. ``rollback`` points ``current`` at ``PREVIOUS``: every
form at once.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

#: The forms a release holds, each reachable at a stable path of the same name in the warehouse folder.
PUBLISHED_FORMS: tuple[str, ...] = ("parquet", "excel", "datapackage", "docs", "report", "data_docs")
RUN_ID_FILE = "RUN_ID"
PREVIOUS_FILE = "PREVIOUS"


class ReleaseError(Exception):
    """A release cannot be made, switched to or rolled back to; says why."""


@dataclass(frozen=True)
class Layout:
    """Where releases and the stable paths live for one published DuckDB file name."""

    root: Path
    database_name: str = "ntp_poverty.duckdb"

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    @property
    def current(self) -> Path:
        return self.root / "current"

    def release(self, run_id: str) -> Path:
        return self.releases / run_id

    def stable_names(self) -> tuple[str, ...]:
        return (self.database_name, *PUBLISHED_FORMS)


def current_run(layout: Layout) -> str | None:
    """The run id of the published release, or None before the first publish."""
    if not layout.current.is_symlink():
        return None
    return Path(os.readlink(layout.current)).name


def previous_run(layout: Layout, run_id: str) -> str | None:
    """The run a sealed release replaced (its PREVIOUS file), or None for the first one."""
    marker = layout.release(run_id) / PREVIOUS_FILE
    if not marker.exists():
        return None
    return marker.read_text(encoding="utf-8").strip() or None


def is_sealed(layout: Layout, run_id: str) -> bool:
    """True when the release was completed and sealed (its RUN_ID file names it)."""
    marker = layout.release(run_id) / RUN_ID_FILE
    return marker.exists() and marker.read_text(encoding="utf-8").strip() == run_id


def seal(layout: Layout, run_id: str, previous: str | None) -> Path:
    """Record the run id and the release it replaces, then make the whole folder read-only."""
    release = layout.release(run_id)
    (release / PREVIOUS_FILE).write_text((previous or "") + "\n", encoding="utf-8")
    (release / RUN_ID_FILE).write_text(run_id + "\n", encoding="utf-8")
    _set_tree_mode(release, writable=False)
    return release


def switch(layout: Layout, run_id: str) -> None:
    """Publish a sealed release: swap ``current`` atomically, then make sure the stable paths exist."""
    if not is_sealed(layout, run_id):
        raise ReleaseError(f"release {run_id} is not sealed; not publishing it")
    _swap_symlink(layout.current, Path("releases") / run_id)
    ensure_stable_paths(layout)


def ensure_stable_paths(layout: Layout) -> None:
    """Create each stable path as a symlink through ``current`` (idempotent).

    A stable path left by the layout before releases (a regular file or folder) is moved into
    ``releases/legacy/`` first, so nothing a reader had is deleted by the migration.
    """
    for name in layout.stable_names():
        link = layout.root / name
        wanted = Path("current") / name
        if link.is_symlink() and Path(os.readlink(link)) == wanted:
            continue
        if link.exists() and not link.is_symlink():
            legacy = layout.releases / "legacy"
            legacy.mkdir(parents=True, exist_ok=True)
            os.replace(link, legacy / name)
        _swap_symlink(link, wanted)


def rollback(layout: Layout) -> tuple[str, str]:
    """Point ``current`` at the release the current one replaced; return (from, to) run ids."""
    now = current_run(layout)
    if now is None:
        raise ReleaseError("nothing is published yet; nothing to roll back")
    previous = previous_run(layout, now)
    if previous is None:
        raise ReleaseError(f"release {now} replaced nothing; nothing to roll back to")
    if not is_sealed(layout, previous):
        raise ReleaseError(f"the previous release {previous} is gone or incomplete; cannot roll back")
    switch(layout, previous)
    return now, previous


def kept_runs(layout: Layout) -> set[str]:
    """The releases retention keeps: the current one and the one it replaced."""
    now = current_run(layout)
    if now is None:
        return set()
    previous = previous_run(layout, now)
    return {now} | ({previous} if previous else set())


def prunable(layout: Layout, keep_also: frozenset[str] = frozenset()) -> list[str]:
    """The release folders retention removes: all but the current, its previous and ``keep_also``."""
    if not layout.releases.exists():
        return []
    keep = kept_runs(layout) | set(keep_also) | {"legacy"}
    return [
        folder.name
        for folder in sorted(layout.releases.iterdir())
        if folder.is_dir() and not folder.is_symlink() and folder.name not in keep
    ]


def remove(layout: Layout, run_id: str) -> None:
    """Delete one release folder (made writable first); never the current or the previous one."""
    if run_id in kept_runs(layout):
        raise ReleaseError(f"release {run_id} is kept by retention; not removing it")
    folder = layout.release(run_id)
    _set_tree_mode(folder, writable=True)
    shutil.rmtree(folder)


def prune(layout: Layout, keep_also: frozenset[str] = frozenset()) -> list[str]:
    """Remove every release folder retention does not keep (and ``keep_also``); return their names."""
    removed = []
    for name in prunable(layout, keep_also):
        remove(layout, name)
        removed.append(name)
    return removed


def check_publishable(layout: Layout) -> None:
    """Fail fast, before any build, when the refresh could not publish here.

    Creates, renames and removes a file and a symlink in the warehouse folder and in ``releases/``:
    exactly the operations publishing needs. Raises OSError with the path that refused.
    """
    layout.releases.mkdir(parents=True, exist_ok=True)
    for folder in (layout.root, layout.releases):
        probe = folder / f".publish-probe-{secrets.token_hex(4)}"
        renamed = probe.with_name(probe.name + ".renamed")
        link = probe.with_name(probe.name + ".link")
        try:
            probe.write_text("probe\n", encoding="utf-8")
            os.replace(probe, renamed)
            link.symlink_to(renamed.name)
            os.replace(link, probe)
        finally:
            for leftover in (probe, renamed, link):
                if leftover.is_symlink() or leftover.exists():
                    leftover.unlink()


def _swap_symlink(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` (relative) atomically: a new symlink renamed over the old one."""
    temporary = link.with_name(f".{link.name}.{secrets.token_hex(4)}")
    temporary.symlink_to(target)
    try:
        os.replace(temporary, link)
    except OSError:
        temporary.unlink()
        raise


def _set_tree_mode(folder: Path, *, writable: bool) -> None:
    """Files 0444 / folders 0555 (sealed), or 0644 / 0755 to let retention remove them."""
    file_mode = 0o644 if writable else 0o444
    dir_mode = 0o755 if writable else 0o555
    if writable:
        folder.chmod(dir_mode)
    for dirpath, dirnames, filenames in os.walk(folder, topdown=writable):
        base = Path(dirpath)
        for name in filenames:
            path = base / name
            if not path.is_symlink():
                path.chmod(file_mode)
        for name in dirnames:
            path = base / name
            if not path.is_symlink() and writable:
                path.chmod(dir_mode)
        if not writable:
            for name in dirnames:
                path = base / name
                if not path.is_symlink():
                    path.chmod(dir_mode)
    if not writable:
        folder.chmod(dir_mode)
