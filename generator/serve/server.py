"""The HTTP side of `serve`: the build folder's files, nothing else, and the version endpoint pages poll.

- Only files inside the pack folder are served: a request path is decoded once (so `%2e%2e` is `..`), and a
  path with a `..` or `.` segment, a backslash or a NUL is refused (403), as is a file whose real path (links
  followed) is outside the folder. Folders are not listed. Only GET and HEAD.
- HTML pages get the update script, and their cards an address with the card's content key (page.py); while the
  last build failed, every HTML page is the error panel instead, so a person never reviews a stale pack by
  mistake.
- The other files carry an ETag (the hash of their bytes) and are asked for again on every load: a reload after a
  rebuild fetches only the cards whose pixels changed, though every card keeps its name.
- A build's pages are told of it as soon as its page is whole (`Shown.preview`): index.html, the cards and the
  fonts it shows, written first in the build's staging folder. Until the build has put that folder in place
  (`Shown.settle`), those files are answered from the staging folder, and a request for any other file of the
  pack (posts.json, the scheduler files, schedule.ics, the reports, written meanwhile) waits for it: a page is
  never given the previous build's file beside the new page, nor a file half written. Which file is which is
  decided on the file found, not on the address (`/posts.json/` is no page), and a request waits for the very
  build it met (`Shown.wait_gone`), then looks again: the next build may be early by then.
- A card asked with `?v=` naming another picture than the card's now (a page not yet updated, the previous
  build's) is not found, and not stored: a browser never keeps a picture under another picture's address.
- On loopback, a request naming another host (`Host: evil.example`) is refused: a web page elsewhere cannot
  read the pack through DNS rebinding.
- `/__campaign-gen/version?since=N` answers at once when the shown version is not N, else when the next build
  ends (long polling, at most POLL_SECONDS): a page learns of a new pack as soon as it is written.

The standard library's ThreadingHTTPServer, in a thread of its own; each request in a daemon thread, so a
page left open never keeps the process alive.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import mimetypes
import socket
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from generator.pack.build import CARDS_FOLDER
from generator.pack.exporters.preview import FILE as PAGE_FILE, FONTS_FOLDER
from generator.serve import page
from generator.serve.page import VERSION_PATH

POLL_SECONDS = 20.0
HOLD_SECONDS = 60.0  # at most this long a request waits for a build's last files (they take a tenth of a second)
LOOPBACK_NAMES = ("localhost",)
MAX_LOOKUPS = 8  # a request waits for at most this many builds in a row before it is answered from the folder


@dataclass
class Shown:
    """What the server shows: the pack folder, or the error lines of the last build; `version` counts builds."""

    folder: Path
    version: int = 0
    error: list[str] | None = None
    building: bool = True
    closing: bool = False
    card_keys: dict = field(default_factory=dict)  # card file -> content key (Pack.card_keys) of the pack shown
    early: Path | None = None  # the staging folder of a build whose page is shown before it is in place
    changed: threading.Condition = field(default_factory=threading.Condition)
    placed_keys: dict = field(default_factory=dict)  # the card keys of the pack in `folder`

    def publish(self, error: list[str] | None = None, card_keys: dict | None = None) -> None:
        """A build ended: its pack is in `folder` (error None) or it failed with `error` lines (the pack in
        `folder`, if any, is the last good one: its cards keep their keys)."""
        with self.changed:
            self.version += 1
            self.error, self.building, self.early = error, False, None
            if error is None:
                self.placed_keys = card_keys or {}
            self.card_keys = self.placed_keys
            self.changed.notify_all()

    def preview(self, staging: Path, card_keys: dict) -> None:
        """A build's page is whole in its `staging` folder, its other files are being written: show it now."""
        with self.changed:
            self.version += 1
            self.error, self.building, self.early = None, False, staging
            self.card_keys = card_keys
            self.changed.notify_all()

    def settle(self) -> None:
        """The build shown by preview() is in place in `folder`, every file of it."""
        with self.changed:
            self.early, self.placed_keys = None, self.card_keys
            self.changed.notify_all()

    def wait_gone(self, early: Path, timeout: float) -> None:
        """Until the early build `early` is in place, failed or followed by another (not: until no build is
        early, which a waiter could miss between one build's settle() and the next one's preview())."""
        with self.changed:
            self.changed.wait_for(lambda: self.early is not early or self.closing, timeout)

    def state(self) -> tuple:
        """(version, error, building, card_keys, early), read together."""
        with self.changed:
            return self.version, self.error, self.building, self.card_keys, self.early

    def close(self) -> None:
        with self.changed:
            self.closing = True
            self.changed.notify_all()

    def wait_past(self, version: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != version or self.closing, timeout)
            return self.version


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) only ever means this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_request(folder: Path, raw_path: str) -> tuple[HTTPStatus, Path | None]:
    """The file a request path names inside `folder`: (OK, path), or (FORBIDDEN | NOT_FOUND, None)."""
    text = unquote(raw_path, errors="strict") if "%" in raw_path else raw_path
    if "\0" in text or "\\" in text or not text.startswith("/"):
        return HTTPStatus.FORBIDDEN, None
    parts = [part for part in text.split("/") if part]
    if any(part in (".", "..") for part in parts):
        return HTTPStatus.FORBIDDEN, None
    try:
        base = folder.resolve(strict=True)
        candidate = base.joinpath(*parts)
        if candidate.is_dir():
            candidate = candidate / "index.html"
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return HTTPStatus.NOT_FOUND, None
    if real != base and base not in real.parents:
        return HTTPStatus.FORBIDDEN, None  # a link that leads out of the pack
    if not real.is_file():
        return HTTPStatus.NOT_FOUND, None
    return HTTPStatus.OK, real


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a page's hundreds of cards over a few connections
    timeout = 60  # an idle kept-alive connection is closed after this
    server_version = "campaign-gen"
    shown: Shown
    host_names: frozenset  # accepted Host names on loopback; empty: any

    def log_message(self, format, *args):  # noqa: A002 - the standard library's name; requests are not logged
        pass

    def do_HEAD(self):  # noqa: N802 - the standard library's name
        self._answer(head=True)

    def do_GET(self):  # noqa: N802
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        if self.host_names and _host_of(self.headers.get("Host", "")) not in self.host_names:
            return self._send(HTTPStatus.FORBIDDEN, b"forbidden host\n", "text/plain; charset=utf-8", head)
        url = urlsplit(self.path)
        if url.path == VERSION_PATH:
            return self._version(url.query, head)
        version, error, building, card_keys, status, path, data = self._find(url.path)
        is_page = (path is not None and path.suffix == ".html") or \
            (status == HTTPStatus.NOT_FOUND and _names_page(url.path))
        if is_page and (error is not None or building):
            label = self.shown.folder.name
            body = page.error_page(error, version, label) if error is not None \
                else page.building_page(version, label)
            return self._send(HTTPStatus.OK, body, "text/html; charset=utf-8", head)
        if path is None and url.path == "/favicon.ico":  # asked by the browser itself: no error in its console
            return self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", head)
        if path is None:
            message = b"forbidden\n" if status == HTTPStatus.FORBIDDEN else b"not found\n"
            return self._send(status, message, "text/plain; charset=utf-8", head)
        if path.suffix == ".html":
            return self._send(HTTPStatus.OK, page.inject(data, version, card_keys), "text/html; charset=utf-8",
                              head)
        asked = parse_qs(url.query).get("v", [""])[0]
        key = card_keys.get(unquote(url.path).lstrip("/"), "")
        if asked and key and not key.startswith(asked):  # an address of another picture: never keep this one there
            return self._send(HTTPStatus.NOT_FOUND, b"not found: another version of the card\n",
                              "text/plain; charset=utf-8", head)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/javascript"):
            kind += "; charset=utf-8"
        # Cards keep their names from build to build: the browser asks again each time (no-cache) and gets
        # "304 Not Modified" for those whose bytes are the same, so a reload fetches only the cards that changed.
        tag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
        if tag in (value.strip() for value in self.headers.get("If-None-Match", "").split(",")):
            return self._send(HTTPStatus.NOT_MODIFIED, b"", kind, head=True, tag=tag)
        return self._send(HTTPStatus.OK, data, kind, head, tag=tag)

    def _find(self, raw_path: str) -> tuple:
        """(version, error, building, card_keys, status, path, bytes) of the file a request names, as shown now.
        While a build is early, its page, cards and fonts come from its staging folder; any other file waits
        until that build is in place (or failed, or followed by another), and is then looked up again."""
        for _ in range(MAX_LOOKUPS):
            version, error, building, card_keys, early = self.shown.state()
            if early is not None:
                status, path, data = self._read(early, raw_path)
                if path is not None and _written_first(early, path):
                    return version, error, building, card_keys, status, path, data
                self.shown.wait_gone(early, HOLD_SECONDS)
                continue
            status, path, data = self._read(self.shown.folder, raw_path)
            if path is None and self.shown.state()[0] != version:
                continue  # a build came meanwhile (its folder swapped in just then): look again
            return version, error, building, card_keys, status, path, data
        version, error, building, card_keys, _ = self.shown.state()  # builds kept coming: the folder as it is
        return (version, error, building, card_keys, *self._read(self.shown.folder, raw_path))

    @staticmethod
    def _read(folder: Path, raw_path: str) -> tuple[HTTPStatus, Path | None, bytes]:
        """(status, path, bytes) of the file a request names in `folder`; (status, None, b"") when none."""
        try:
            status, path = resolve_request(folder, raw_path)
        except UnicodeDecodeError:
            return HTTPStatus.FORBIDDEN, None, b""
        if path is None:
            return status, None, b""
        try:
            return status, path, path.read_bytes()
        except OSError:  # swapped out by a rebuild just now, or its staging folder moved into place
            return HTTPStatus.NOT_FOUND, None, b""

    def _version(self, query: str, head: bool) -> None:
        since = parse_qs(query).get("since", [""])[0]
        version = self.shown.version
        if since.isdigit():
            version = self.shown.wait_past(int(since), POLL_SECONDS)
        with self.shown.changed:
            state = {"version": version, "ok": self.shown.error is None and not self.shown.building,
                     "closing": self.shown.closing}
        self._send(HTTPStatus.OK, json.dumps(state).encode("utf-8"), "application/json", head)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool, tag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        if tag is not None:
            self.send_header("ETag", tag)
            self.send_header("Cache-Control", "no-cache")
        else:
            self.send_header("Cache-Control", "no-store")  # pages carry the version: every look is at the pack now
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _written_first(folder: Path, path: Path) -> bool:
    """The page and what it shows, written before a build's page is told (build_pack's `previewed`)."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return False
    return parts == (PAGE_FILE,) or (len(parts) > 1 and parts[0] in (CARDS_FOLDER, FONTS_FOLDER))


def _names_page(path: str) -> bool:
    return path.endswith("/") or path.endswith(".html")


def _host_of(header: str) -> str:
    """The host name of a Host header, without its port: `127.0.0.1:8000` -> `127.0.0.1`, `[::1]:80` -> `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        """A page that reloads or closes drops its connection mid-answer (the version request it was waiting on):
        nothing to report. Anything else is the standard library's traceback."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class PreviewServer:
    """The server of one `serve` session: bound at construction (so a port in use is known at once)."""

    def __init__(self, shown: Shown, host: str, port: int):
        family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
        host_names = frozenset({"localhost", "127.0.0.1", "::1", host.strip("[]").lower()}) \
            if is_loopback(host) else frozenset()
        handler = type("Handler", (_Handler,), {"shown": shown, "host_names": host_names})
        server_class = type("Server", (_Server,), {"address_family": family})
        self.server = server_class((host.strip("[]"), port), handler)
        self.shown = shown
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="campaign-gen-serve", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.shown.close()  # pages waiting on the version endpoint are answered now
        if self._thread.is_alive():
            self.server.shutdown()
            self._thread.join(5)
        self.server.server_close()
