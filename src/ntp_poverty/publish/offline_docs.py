"""Make Great Expectations Data Docs work offline: no request leaves the machine, every page styled.

GX's Data Docs templates load Bootstrap, jQuery, bootstrap-table, Font Awesome and Vega from CDNs,
which GX's package does not ship; on a ministry laptop without internet (or in a published release
that must stay readable for years) those pages lose their styles and the index page, whose tables
are filled by bootstrap-table from inline data, shows nothing. Vendoring those libraries would mean
committing third-party code, so the site is rendered without them instead: every external
``<link>``/``<script>`` is removed, and a small stylesheet and a small script of our own are added:
the script gives the inline page code the little of ``$`` it uses, renders each
``bootstrapTable({columns, data})`` call as a plain HTML table (links kept), and turns everything
else (modals, tooltips, fades) into no-ops.

Usage: ``ntp offline-docs DATA_DOCS_DIR``.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from ntp_poverty.common.arguments import existing_dir

ASSET_DIR = Path("static") / "offline"
EXTERNAL_TAG = re.compile(
    r"""<link\b[^>]*\bhref=["']https?://[^"']*["'][^>]*>"""
    r"""|<script\b[^>]*\bsrc=["']https?://[^"']*["'][^>]*>\s*</script>"""
    r"""|<img\b[^>]*\bsrc=["']https?://[^"']*["'][^>]*>""",
    re.IGNORECASE,
)
#: What a page would load from the network: a stylesheet/icon link, a script or an image (plain
#: ``<a href>`` links to GX's documentation load nothing until clicked and are kept).
EXTERNAL_URL = re.compile(
    r"""<(?:link|script|img|iframe|source)\b[^>]*\b(?:src|href)=["'](https?://[^"']+)["']""", re.IGNORECASE
)

OFFLINE_CSS = """\
/* Offline styles for the Data Docs (replaces Bootstrap from CDNs). */
body { font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0;
       color: #212529; background: #fff; line-height: 1.45; }
.container, .container-fluid { padding: 0 1.25rem; }
nav, .navbar { background: #343a40; color: #fff; padding: .6rem 1.25rem; }
nav a, .navbar a { color: #fff; }
a { color: #0b5ed7; }
h1, h2, h3, h4, h5 { font-weight: 600; margin: 1rem 0 .5rem; }
.card { border: 1px solid #dee2e6; border-radius: .35rem; margin: 1rem 0; }
.card-header { background: #f1f3f5; padding: .5rem .75rem; border-bottom: 1px solid #dee2e6; }
.card-body { padding: .75rem; }
table, .table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #dee2e6; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f8f9fa; }
tr.ntp-link-row { cursor: pointer; }
tr.ntp-link-row:hover { background: #eef4ff; }
.text-success, .ge-success-icon { color: #198754; }
.text-danger, .ge-failed-icon { color: #dc3545; }
.badge { display: inline-block; padding: .1rem .4rem; border-radius: .25rem; background: #e9ecef; }
.modal, .ge-walkthrough-modal, .fa, .fas, .far { display: none; }
.fa.ntp-status, .fas.ntp-status, .far.ntp-status { display: inline; font-style: normal; font-weight: 700; }
.ntp-status-passed { color: #198754; } .ntp-status-failed { color: #dc3545; }
.ntp-offline-note { font-size: .85rem; color: #6c757d; margin: .5rem 1.25rem; }
.row { display: flex; flex-wrap: wrap; } .col, [class*="col-"] { flex: 1 1 auto; min-width: 0; }
.sticky { position: static; }
"""

OFFLINE_JS = """\
/* Offline stand-in for the few jQuery/bootstrap-table calls Data Docs pages make. */
(function () {
  function render(el, opts) {
    if (!el || !opts || !opts.columns) { return; }
    var table = document.createElement("table");
    table.className = "table ntp-offline-table";
    var head = table.createTHead().insertRow();
    opts.columns.forEach(function (c) {
      var th = document.createElement("th"); th.textContent = c.title || c.field; head.appendChild(th);
    });
    var body = table.createTBody();
    (opts.data || []).forEach(function (row) {
      var tr = body.insertRow();
      var link = row._table_row_link_path;
      if (link) {
        tr.className = "ntp-link-row";
        tr.addEventListener("click", function () { window.location.href = link; });
      }
      opts.columns.forEach(function (c) {
        var td = tr.insertCell();
        var value = row[c.field];
        td.innerHTML = value === undefined || value === null ? "" : String(value);
        if (link && td.querySelectorAll("a").length === 0 && c === opts.columns[0]) {
          var a = document.createElement("a"); a.href = link;
          while (td.firstChild) { a.appendChild(td.firstChild); }
          td.appendChild(a);
        }
      });
    });
    el.parentNode.replaceChild(table, el);
  }
  function wrap(elements) {
    var api = {
      length: elements.length,
      each: function (fn) { elements.forEach(function (e, i) { fn.call(e, i, e); }); return api; },
      bootstrapTable: function (opts) {
        if (typeof opts === "object") { elements.forEach(function (e) { render(e, opts); }); }
        return api;
      },
      ready: function (fn) {
        if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
        return api;
      }
    };
    return new Proxy(api, { get: function (t, k) { return k in t ? t[k] : function () { return api; }; } });
  }
  function $(arg) {
    if (typeof arg === "function") { return wrap([]).ready(arg); }
    if (typeof arg === "string") {
      try { return wrap(Array.prototype.slice.call(document.querySelectorAll(arg))); }
      catch (e) { return wrap([]); }
    }
    return wrap(arg ? [arg] : []);
  }
  $.fn = {}; $.extend = Object.assign;
  window.$ = window.jQuery = $;
  window.vegaEmbed = function () { return Promise.resolve(); };
})();
"""

NOTE = (
    '<p class="ntp-offline-note">Offline rendering: tables without sorting or filtering; '
    "no file is loaded from the internet.</p>"
)


def external_urls(html: str) -> list[str]:
    """The http(s) URLs a page would load (links and scripts)."""
    return EXTERNAL_URL.findall(html)


#: A Font Awesome status icon of Great Expectations (an empty ``<i>``): passed or failed.
STATUS_ICON = re.compile(
    r'<i class="(?P<classes>[^"]*\bfa-(?P<icon>check-circle|check|times-circle|times|exclamation-triangle)\b[^"]*)"'
    r"(?P<rest>[^>]*)></i>"
)
STATUS_TEXT = {"check-circle": "passed", "check": "passed"}


def status_as_text(html: str) -> str:
    """Each status icon written as text (✓ passed, ✗ failed) with a title, so that the verdict shows
    without the icon font the offline pages cannot load."""

    def text(match: re.Match[str]) -> str:
        verdict = STATUS_TEXT.get(match.group("icon"), "failed")
        mark = "\u2713" if verdict == "passed" else "\u2717"
        classes = f"{match.group('classes')} ntp-status ntp-status-{verdict}"
        return f'<i class="{classes}" title="{verdict}"{match.group("rest")}>{mark}</i>'

    return STATUS_ICON.sub(text, html)


def make_offline(site: Path) -> int:
    """Rewrite every HTML page under ``site`` to use only local files; return the pages rewritten."""
    assets = site / ASSET_DIR
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "offline.css").write_text(OFFLINE_CSS, encoding="utf-8")
    (assets / "offline.js").write_text(OFFLINE_JS, encoding="utf-8")
    rewritten = 0
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        prefix = os.path.relpath(assets, page.parent).replace(os.sep, "/")
        local = f'<link rel="stylesheet" href="{prefix}/offline.css"><script src="{prefix}/offline.js"></script>'
        html = status_as_text(EXTERNAL_TAG.sub("", html))
        html = re.sub(r"<head([^>]*)>", lambda m, local=local: f"<head{m.group(1)}>{local}", html, count=1)
        html = re.sub(r"<body([^>]*)>", lambda m: f"<body{m.group(1)}>{NOTE}", html, count=1)
        page.write_text(html, encoding="utf-8")
        rewritten += 1
    return rewritten


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ntp offline-docs DATA_DOCS_DIR``."""
    parser.add_argument("data_docs", type=existing_dir, help="a Great Expectations Data Docs folder")


def run(args: argparse.Namespace) -> int:
    """Rewrite every page in place."""
    count = make_offline(args.data_docs)
    print(f"{count} Data Docs page(s) rewritten for offline use")
    return 0
