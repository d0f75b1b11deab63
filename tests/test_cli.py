"""The one command, ``ntp``: installed into the virtualenv, every subcommand answers --help, a usage
error (unknown command, missing path) is exit 2 and says why, and it works on the project it runs in."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import NTP, ROOT
from ntp_poverty.cli import COMMANDS


def ntp(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NTP), *args], cwd=cwd, capture_output=True, text=True, check=False, env=env, timeout=300)


def test_ntp_lists_every_command() -> None:
    result = ntp("--help")
    assert result.returncode == 0, result.stderr
    for command in COMMANDS:
        assert " ".join(command.words) in result.stdout
    group = ntp("validate", "--help")
    assert group.returncode == 0 and "seeds" in group.stdout and "refresh" not in group.stdout


@pytest.mark.parametrize("words", [c.words for c in COMMANDS], ids=["-".join(c.words) for c in COMMANDS])
def test_every_command_has_help(words: tuple[str, ...]) -> None:
    result = ntp(*words, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: ntp {' '.join(words)}"), result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("validate", "seeds", "/no/such/dir"), "/no/such/dir: no such folder"),
        (("validate", "provenance", "/no/such/dir"), "/no/such/dir: no such folder"),
        (("validate", "feeds", "/no/such/feed"), "/no/such/feed: no such folder"),
        (("validate", "marts", "/no/such/file.duckdb"), "/no/such/file.duckdb: no such file"),
        (("preflight", "--seeds", "/no/such/dir"), "/no/such/dir: no such folder"),
        (("ledger", "--documents", "/no/such/dir"), "/no/such/dir: no such folder"),
        (("refresh", "--seeds", "/no/such/dir"), "/no/such/dir: no such folder"),
        (("preflight", "--only", "nonsense"), "invalid choice: 'nonsense'"),
        (("frobnicate",), "unknown command: frobnicate"),
        (("validate", "everything"), "unknown command: validate everything"),
    ],
)
def test_a_usage_error_is_exit_2_and_says_why(args: tuple[str, ...], message: str) -> None:
    result = ntp(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "passed" not in result.stdout


def test_validate_seeds_passes_on_the_project_it_runs_in_and_names_it(tmp_path: Path) -> None:
    result = ntp("validate", "seeds", cwd=ROOT / "models")  # a folder inside the project
    assert result.returncode == 0, result.stderr
    assert f"seed validation passed: {ROOT / 'seeds'}" in result.stdout
    outside = ntp("validate", "seeds", cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "NTP_PROJECT_DIR": str(tmp_path)})
    assert outside.returncode == 2 and "no ntp_poverty dbt_project.yml there" in outside.stderr


def test_a_broken_seed_is_exit_1_with_file_line_and_column(seeds_copy: Path) -> None:
    path = seeds_copy / "transcription" / "plan_amounts.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",1.650,", ",1.65O,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    result = ntp("validate", "seeds", str(seeds_copy))
    assert result.returncode == 1
    assert f"{path}:2:6 (value_printed): not a valid vi_number: '1.65O'" in result.stderr
