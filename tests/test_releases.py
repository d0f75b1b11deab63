"""Release folders and the one pointer that publishes them (no dbt: folders made by hand)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ntp_poverty.publish import releases
from ntp_poverty.publish.releases import Layout, ReleaseError


def make_release(layout: Layout, run_id: str, previous: str | None) -> Path:
    """A release with every form holding its run id, sealed."""
    folder = layout.release(run_id)
    folder.mkdir(parents=True)
    (folder / layout.database_name).write_text(run_id, encoding="utf-8")
    for form in releases.PUBLISHED_FORMS:
        (folder / form).mkdir()
        (folder / form / "index.html").write_text(run_id, encoding="utf-8")
    return releases.seal(layout, run_id, previous)


def forms_seen(layout: Layout) -> set[str]:
    """The run id every stable path shows a reader."""
    seen = {(layout.root / layout.database_name).read_text(encoding="utf-8")}
    seen |= {(layout.root / f / "index.html").read_text(encoding="utf-8") for f in releases.PUBLISHED_FORMS}
    return seen


@pytest.fixture()
def layout(tmp_path: Path) -> Layout:
    return Layout(tmp_path / "warehouse")


def test_one_switch_publishes_every_form(layout: Layout) -> None:
    make_release(layout, "r1", None)
    releases.switch(layout, "r1")
    assert forms_seen(layout) == {"r1"}
    make_release(layout, "r2", "r1")
    releases.switch(layout, "r2")
    assert forms_seen(layout) == {"r2"}
    assert releases.current_run(layout) == "r2"
    assert os.readlink(layout.root / layout.database_name) == "current/ntp_poverty.duckdb"


def test_a_sealed_release_is_read_only(layout: Layout) -> None:
    folder = make_release(layout, "r1", None)
    assert (folder / layout.database_name).stat().st_mode & 0o777 == 0o444
    assert (folder / "parquet").stat().st_mode & 0o777 == 0o555
    assert folder.stat().st_mode & 0o777 == 0o555


def test_an_unsealed_release_is_never_published(layout: Layout) -> None:
    layout.release("half").mkdir(parents=True)
    with pytest.raises(ReleaseError, match="not sealed"):
        releases.switch(layout, "half")
    assert releases.current_run(layout) is None


def test_rollback_switches_every_form_back_and_refuses_without_history(layout: Layout) -> None:
    make_release(layout, "r1", None)
    releases.switch(layout, "r1")
    with pytest.raises(ReleaseError, match="nothing to roll back to"):
        releases.rollback(layout)
    make_release(layout, "r2", "r1")
    releases.switch(layout, "r2")
    assert releases.rollback(layout) == ("r2", "r1")
    assert forms_seen(layout) == {"r1"}


def test_retention_follows_publish_history_not_names(layout: Layout) -> None:
    """A failed run whose name sorts last, and an abandoned one, never push out the previous release."""
    make_release(layout, "r1", None)
    releases.switch(layout, "r1")
    make_release(layout, "r2", "r1")
    releases.switch(layout, "r2")
    make_release(layout, "r9-failed", "r2")  # sealed but never switched to (publish failed)
    layout.release("r8-killed").mkdir()  # abandoned half-way
    assert releases.prune(layout) == ["r8-killed", "r9-failed"]
    assert sorted(p.name for p in layout.releases.iterdir()) == ["r1", "r2"]
    assert releases.rollback(layout) == ("r2", "r1")


def test_rollback_then_prune_drops_the_rolled_back_release(layout: Layout) -> None:
    make_release(layout, "r1", None)
    releases.switch(layout, "r1")
    make_release(layout, "r2", "r1")
    releases.switch(layout, "r2")
    releases.rollback(layout)
    assert releases.prune(layout) == ["r2"]
    assert forms_seen(layout) == {"r1"}


def test_migration_moves_the_old_layout_aside(layout: Layout) -> None:
    layout.root.mkdir(parents=True)
    (layout.root / layout.database_name).write_text("old", encoding="utf-8")
    (layout.root / "docs").mkdir()
    make_release(layout, "r1", None)
    releases.switch(layout, "r1")
    assert forms_seen(layout) == {"r1"}
    assert (layout.releases / "legacy" / layout.database_name).read_text(encoding="utf-8") == "old"


def test_check_publishable_fails_when_a_rename_is_refused(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    releases.check_publishable(layout)  # a writable folder passes and leaves nothing behind
    assert [p.name for p in layout.root.iterdir()] == ["releases"]

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(1, "Operation not permitted", str(dst))

    monkeypatch.setattr(releases.os, "replace", refuse)
    with pytest.raises(PermissionError):
        releases.check_publishable(layout)
    assert [p.name for p in layout.root.iterdir()] == ["releases"]
