"""Written forms of the completeness ledger: Markdown, JSON and HTML summaries, and a to-do list.

The refresh publishes the summary beside the docs site; ``--todo`` turns the unaccounted tokens of a
new document into classification rows to fill in.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ntp_poverty.ledger.tokens import CATEGORIES, CLASSIFICATION_COLUMNS, Token

if TYPE_CHECKING:
    from ntp_poverty.ledger.numerals import Ledger


@dataclass
class DocumentSummary:
    """Per document: how many tokens, and how each is accounted for (the counts add up)."""

    document: str
    tokens: int = 0
    transcribed: int = 0
    classified: dict[str, int] = field(default_factory=dict)
    classified_by_rule: int = 0
    classified_explicitly: int = 0
    unaccounted: int = 0
    unaccounted_tokens: list[str] = field(default_factory=list)

    @property
    def classified_total(self) -> int:
        return sum(self.classified.values())


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _as_dict(summary: DocumentSummary) -> dict[str, Any]:
    return {
        "document": summary.document,
        "tokens": summary.tokens,
        "transcribed": summary.transcribed,
        "classified": summary.classified_total,
        "classified_by_category": dict(summary.classified),
        "classified_by_rule": summary.classified_by_rule,
        "classified_explicitly": summary.classified_explicitly,
        "unaccounted": summary.unaccounted,
        "unaccounted_tokens": list(summary.unaccounted_tokens),
    }


def _totals(summary: list[DocumentSummary]) -> DocumentSummary:
    total = DocumentSummary("total", classified={c: 0 for c in CATEGORIES})
    for s in summary:
        total.tokens += s.tokens
        total.transcribed += s.transcribed
        total.unaccounted += s.unaccounted
        total.classified_by_rule += s.classified_by_rule
        total.classified_explicitly += s.classified_explicitly
        for c, n in s.classified.items():
            total.classified[c] = total.classified.get(c, 0) + n
    return total


def _table_rows(summary: list[DocumentSummary]) -> list[list[str]]:
    header = ["document", "tokens", "transcribed", *CATEGORIES, "classified", "unaccounted"]
    rows = [header]
    for s in [*summary, _totals(summary)]:
        rows.append(
            [
                s.document,
                str(s.tokens),
                str(s.transcribed),
                *(str(s.classified.get(c, 0)) for c in CATEGORIES),
                str(s.classified_total),
                str(s.unaccounted),
            ]
        )
    return rows


def render_markdown(summary: list[DocumentSummary]) -> str:
    """The ledger as a Markdown page: counts per document and category, then what is unaccounted."""
    rows = _table_rows(summary)
    lines = [
        "# Completeness ledger",
        "",
        "Every numeral printed in the plan documents is either transcribed (a seed row with provenance) "
        "or classified as not programme data (by a rule or explicitly in "
        "`seeds/reference/numeral_classifications.csv`). Produced by `ntp ledger`.",
        "",
        "| " + " | ".join(rows[0]) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(rows[0]) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    unaccounted = [m for s in summary for m in s.unaccounted_tokens]
    lines += ["", f"## Unaccounted tokens ({len(unaccounted)})", ""]
    lines += [f"- `{m}`" for m in unaccounted] or ["None: nothing printed is lost."]
    return "\n".join(lines) + "\n"


def render_html(summary: list[DocumentSummary]) -> str:
    """The ledger as a small standalone HTML page (no scripts, no external resources)."""
    rows = _table_rows(summary)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    unaccounted = [m for s in summary for m in s.unaccounted_tokens]
    items = (
        "".join(f"<li><code>{html.escape(m)}</code></li>" for m in unaccounted)
        or "<li>None: nothing printed is lost.</li>"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Completeness ledger</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:80em}}table{{border-collapse:collapse}}
th,td{{border:1px solid #ccc;padding:.3em .6em}}td:not(:first-child){{text-align:right}}
tr:last-child td{{font-weight:bold}}</style></head>
<body><h1>Completeness ledger</h1>
<p>Every numeral printed in the plan documents is either transcribed (a seed row with provenance) or
classified as not programme data (by a rule or explicitly in
<code>seeds/reference/numeral_classifications.csv</code>).</p>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<h2>Unaccounted tokens ({len(unaccounted)})</h2><ul>{items}</ul>
</body></html>
"""


def write_summary(summary: list[DocumentSummary], out_dir: Path) -> None:
    """Write ``ledger.md``, ``ledger.json`` and ``ledger.html`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"documents": [_as_dict(s) for s in summary], "total": _as_dict(_totals(summary))}
    (out_dir / "ledger.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out_dir / "ledger.md").write_text(render_markdown(summary), encoding="utf-8")
    (out_dir / "ledger.html").write_text(render_html(summary), encoding="utf-8")


def _context(line: str, token: Token, width: int = 30) -> str:
    """A fragment of the line around the token (whole words), to prefill ``source_text``."""
    start = max(0, token.start - width)
    end = min(len(line), token.end + width)
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    while end < len(line) and not line[end].isspace():
        end += 1
    return line[start:end].strip()


def write_todo(ledger: Ledger, ids: dict[str, str], path: Path) -> int:
    """Write the unaccounted tokens as numeral_classifications rows to fill in (or to transcribe)."""
    todo = [e.token for e in ledger.unaccounted()]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*CLASSIFICATION_COLUMNS, "column"])
        for t in todo:
            writer.writerow(
                [
                    t.file,
                    ids.get(t.file, ""),
                    t.line,
                    t.text,
                    t.occurrence,
                    _context(ledger.documents[t.file].lines[t.line - 1], t),
                    "",
                    "",
                    t.column,
                ]
            )
    return len(todo)


def print_summary(summary: Iterable[DocumentSummary], out: Any) -> None:
    for s in summary:
        cats = ", ".join(f"{c} {n}" for c, n in s.classified.items() if n)
        print(
            f"{s.document}: {s.tokens} tokens = {s.transcribed} transcribed + {s.classified_total} classified "
            f"({cats or 'none'}) + {s.unaccounted} unaccounted",
            file=out,
        )
