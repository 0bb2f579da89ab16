"""What `serve` adds to the pages it sends, and the pages it shows instead of a pack.

The pack's own index.html is left as written (it must work from disk, a zip or a CI artifact); at serve time
only, each HTML page gets the update script (generator/data/serve.js) before `</body>`, its
Content-Security-Policy gains `connect-src 'self'` so that the script may ask the server for the version and
fetch the new page, and each card it shows gets `?v=<the card's content key>` in its address: a card keeps its
name from build to build, and a browser shows the image it already has for an address (the HTML standard's
"list of available images") without asking the server, so a card changed in place would stay stale. The
server ignores the query.
While the last build failed, the error panel stands in for every page: the same lines the terminal prints,
each with its file, line and column.
"""

from __future__ import annotations

import functools
import html
import re
from importlib import resources

VERSION_PATH = "/__campaign-gen/version"  # what the script asks; server.py answers it
_CSP = re.compile(rb"""(<meta\s+http-equiv=["']?Content-Security-Policy["']?\s+content=")([^"]*)""", re.I)
_CARD_SOURCE = re.compile(rb'(<img src=")([^"?#]+)(")')  # the preview's card images (preview.html)
# `campaigns/orange-day.yaml:14:5: messages[2].text.fr: error: ...`: the place, then the rest.
_PLACE = re.compile(r"^(?P<file>[^:\s][^:]*?)(?::(?P<line>\d+))?(?::(?P<col>\d+))?: (?P<rest>.*)$")


@functools.lru_cache(maxsize=1)  # read once: every page sent after a save carries it
def _script() -> str:
    return resources.files("generator").joinpath("data", "serve.js").read_text(encoding="utf-8")


def script_tag(version: int) -> str:
    return (f'<script id="campaign-gen-serve" data-version="{version}" data-endpoint="{VERSION_PATH}">\n'
            f"{_script()}</script>\n")


def inject(document: bytes, version: int, card_keys: dict | None = None) -> bytes:
    """An HTML page of the pack with the update script (and a policy that lets it ask for the version), its
    cards addressed by their content keys (`card_keys`: Pack.card_keys)."""
    document = _CSP.sub(lambda m: m.group(1) + _allow_connect(m.group(2)), document, count=1)
    if card_keys:
        document = _CARD_SOURCE.sub(lambda m: _versioned(m, card_keys), document)
    tag = script_tag(version).encode("utf-8")
    at = document.lower().rfind(b"</body>")
    return document[:at] + tag + document[at:] if at >= 0 else document + tag


def _versioned(match: re.Match, card_keys: dict) -> bytes:
    key = card_keys.get(html.unescape(match.group(2).decode("utf-8", "replace")))
    if not key:
        return match.group(0)
    return match.group(1) + match.group(2) + f"?v={key[:16]}".encode("ascii") + match.group(3)


def _allow_connect(policy: bytes) -> bytes:
    if b"connect-src" in policy:
        return re.sub(rb"connect-src([^;]*)", lambda m: b"connect-src 'self'" + m.group(1), policy, count=1)
    return policy.rstrip(b"; ") + b"; connect-src 'self'"


def place_of(line: str) -> dict:
    """The parts of an error line: file, line, column (empty when the line names none) and the rest."""
    match = _PLACE.match(line)
    if not match or line.startswith("error:"):
        return {"file": "", "line": "", "col": "", "rest": line}
    return {key: match.group(key) or "" for key in ("file", "line", "col", "rest")}


def error_page(lines: list[str], version: int, label: str = "") -> bytes:
    """The error panel: why the pack could not be built, one entry per line the terminal printed."""
    entries = []
    for line in lines:
        place = place_of(line)
        where = ""
        if place["file"]:
            spot = ", ".join(part for part in (f"line {place['line']}" if place["line"] else "",
                                               f"column {place['col']}" if place["col"] else "") if part)
            where = (f'<p class="where"><span class="file">{html.escape(place["file"])}</span>'
                     + (f' <span class="spot">{spot}</span>' if spot else "") + "</p>")
        entries.append(f"<li>{where}<code class=\"line\">{html.escape(line)}</code></li>")
    count = len(lines)
    title = "The pack could not be built"
    body = (f'<section id="campaign-gen-error" class="panel" role="alert" aria-labelledby="error-title">\n'
            f'<h1 id="error-title">{title}</h1>\n'
            f"<p>{'This error stops' if count == 1 else f'These {count} errors stop'} the build. Fix "
            f"{'it' if count == 1 else 'them'} and save: this page updates by itself. The last pack is not "
            f"shown meanwhile, so nothing stale is reviewed by mistake.</p>\n"
            f'<ul class="errors">\n{"".join(entries)}\n</ul>\n</section>\n')
    return _page(title, body, version, label)


def building_page(version: int, label: str = "") -> bytes:
    """Shown while the first build of the session runs."""
    body = ('<section class="panel building" role="status"><h1>Building the pack…</h1>'
            "<p>This page shows it as soon as it is written.</p></section>\n")
    return _page("Building the pack", body, version, label)


def _page(title: str, body: str, version: int, label: str) -> bytes:
    heading = "campaign-gen serve" + (f" · {html.escape(label)}" if label else "")
    return (f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; connect-src 'self'">
<meta name="generator" content="campaign-gen serve">
<title>{html.escape(title)}{f" · {html.escape(label)}" if label else ""}</title>
<style>
{_STYLE}</style>
</head>
<body>
<header class="page-header"><strong>{heading}</strong></header>
<main>
{body}</main>
{script_tag(version)}</body>
</html>
""").encode("utf-8")


_STYLE = """\
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #1d1d1f; background: #f4f5f7; }
.page-header { padding: 0.75rem 1.5rem; background: #fff; border-bottom: 4px solid #e8590c; }
main { padding: 1.5rem; max-width: 1100px; margin: 0 auto; }
.panel { background: #fff; border: 1px solid #dadce0; border-left: 6px solid #b3261e; border-radius: 8px;
         padding: 1rem 1.25rem; }
.panel.building { border-left-color: #e8590c; }
.panel h1 { margin: 0 0 0.5rem; font-size: 1.35rem; color: #b3261e; }
.panel.building h1 { color: #1d1d1f; }
.errors { list-style: none; margin: 1rem 0 0; padding: 0; }
.errors li { margin: 0 0 0.75rem; padding: 0.6rem 0.8rem; background: #fdecea; border-radius: 6px; }
.where { margin: 0 0 0.25rem; font-weight: 600; }
.where .spot { font-weight: 400; color: #5f6368; }
.line { display: block; white-space: pre-wrap; overflow-wrap: anywhere;
        font: 0.9rem/1.45 ui-monospace, "DejaVu Sans Mono", monospace; color: #1d1d1f; }
"""
