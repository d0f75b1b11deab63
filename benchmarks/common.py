"""What both benches (``make bench``, ``make bench-spark``) share: the project folder, the error that
stops a bench, the environment of the commands they measure, a feed's manifest and a log's tail."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ntp_poverty.validate.feed_files import dbt_environment

PROJECT_DIR = Path(__file__).resolve().parents[1]


class BenchError(Exception):
    """A step of the bench failed or its outputs disagree: the bench stops loudly."""


def bench_env(**extra: str) -> dict[str, str]:
    """This process's environment for a measured command: the project's profiles and folder, no usage
    statistics; ``extra`` on top. With NTP_FEEDS, the feed's file list that dbt reads (NTP_FEED_FILES;
    a refresh writes its own)."""
    env = dict(
        os.environ,
        DBT_PROFILES_DIR=str(PROJECT_DIR),
        NTP_PROJECT_DIR=str(PROJECT_DIR),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        **extra,
    )
    if "NTP_FEEDS" in extra:
        feed = Path(extra["NTP_FEEDS"])
        digest = hashlib.sha256(str(feed.absolute()).encode()).hexdigest()[:12]
        env.update(dbt_environment(feed, PROJECT_DIR / "target" / "bench" / f"feed_files-{digest}.csv"))
    return env


def feed_manifest(feed: Path) -> dict[str, Any] | None:
    """The synthetic feed's ``manifest.json``, or None when the folder has none."""
    path = feed / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def log_tail(path: Path) -> str:
    """The last 4,000 characters of a log (empty when it does not exist)."""
    return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else ""
