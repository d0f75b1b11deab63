"""The command-line tools report problems one per line on stderr and exit 1; success exits 0."""

import pytest

from ntp_poverty.common.reporting import report


def test_errors_go_to_stderr_with_exit_code_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert report(["seeds/a.csv:2:6 (x): bad", "other"], "2 errors", "fine") == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["error: seeds/a.csv:2:6 (x): bad", "error: other", "2 errors"]
    assert captured.out == ""


def test_success_prints_the_message_with_exit_code_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert report([], "never", "all good") == 0
    assert capsys.readouterr().out == "all good\n"
