"""`campaign-gen serve` as a person uses it: a real server process, real files edited on disk, real Chromium.

The server runs as the console script in a temporary copy of a small workspace (the minimal test campaign, one
week, cards drawn by one process), with TMPDIR pointed at a folder of the test's own so its temporary build
folder can be looked at. The page is opened in Debian's chromium (driven by Playwright, as the preview test
does); each step is asserted on what the page shows, with Playwright's waiting and generous timeouts, never on
how long it took (benchmarks/serve.py measures that). Skipped only where Chromium is not installed.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from clirunner import run_cli
from generator.serve.page import error_page, inject, place_of
from generator.serve.server import resolve_request
from packsupport import pack_campaign_text

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed "
                                    "(apt-get install chromium; .ci/run does it)")
WEEK = "2026-W48"
SCRIPT = Path(sys.executable).with_name("campaign-gen")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "generator"]
WAIT = 60  # seconds: generous, for a loaded 2-core machine; what is asserted is what the page shows
TEXT = "We stand with every survivor of violence."
ERROR_LINE = re.compile(r"^campaigns/minimal\.yaml:(\d+):(\d+): error: .+")
CARD_SOURCE = re.compile(r"^cards/[\w.-]+\.png\?v=[0-9a-f]{16}$")  # the address serve gives a card: its content key


# -- a server process ------------------------------------------------------------------------------------------------
@dataclass
class Served:
    process: subprocess.Popen
    port: int
    temporary: Path  # the server's TMPDIR
    stdout: Path
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def request(self, path: str, host: str | None = None) -> tuple[int, bytes]:
        """GET `path` sent exactly as written (no normalising of `..` or `%2e`)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            connection.putrequest("GET", path, skip_host=host is not None)
            if host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def state(self) -> dict:
        return json.loads(self.request("/__campaign-gen/version")[1])

    def wait_built(self) -> dict:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            with contextlib.suppress(OSError, ValueError):
                state = self.state()
                if state["version"] >= 1:
                    return state
            time.sleep(0.1)
        raise AssertionError(f"the server did not build in {WAIT} s:\n{self.output()}")

    def output(self) -> str:
        return self.stdout.read_text(encoding="utf-8") + self.stderr.read_text(encoding="utf-8")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(WAIT)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(root: Path, folder: Path, *args: str):
    """`campaign-gen serve` on a free port in `root`, TMPDIR and its output in `folder`."""
    temporary = folder / "tmp"
    temporary.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "CAMPAIGN_GEN_ROOT"}
    env["TMPDIR"] = str(temporary)
    port = free_port()
    stdout, stderr = folder / "serve.out", folder / "serve.err"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen([*COMMAND, "serve", "--week", WEEK, "--port", str(port), *args], cwd=root,
                                   env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    try:
        yield Served(process, port, temporary, stdout, stderr)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def descendants(pid: int) -> set[int]:
    """The processes below `pid`, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def workspace(make_workspace):
    return make_workspace({"minimal.yaml": pack_campaign_text()})


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- in the browser ------------------------------------------------------------------------------------------------
@needs_chromium
def test_a_save_shows_on_the_page_and_an_error_takes_its_place_until_fixed(workspace, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    campaign = workspace.root / "campaigns" / "minimal.yaml"
    before = {p.relative_to(workspace.root) for p in workspace.root.rglob("*") if ".cache" not in p.parts}
    problems = []
    with serving(workspace.root, tmp_path, "--jobs", "1") as served, sync_playwright() as playwright:
        served.wait_built()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 500})
            page.on("pageerror", lambda err: problems.append(f"pageerror: {err}"))
            page.on("response", lambda response: problems.append(f"{response.status}: {response.url}")
                    if response.status >= 400 else None)
            page.on("console", lambda message: problems.append(f"console: {message.text}")
                    if message.type == "error" else None)
            page.goto(served.url, wait_until="load")
            posts = page.locator("article.post")
            expect(page.locator("article.post .text", has_text=TEXT).first).to_be_attached(timeout=WAIT * 1000)
            total = posts.count()
            assert total > 0

            # The reader filters to English and scrolls down.
            page.select_option("select[name=language]", "en")
            shown = page.locator("#shown").inner_text()
            assert shown != f"{total} shown"
            page.mouse.wheel(0, 600)
            page.wait_for_function("window.scrollY >= 300")
            scrolled = page.evaluate("window.scrollY")

            # A save on disk: the page shows the new text by itself, in place (the same document: no reload),
            # filter and scroll position kept.
            sources = card_sources(page)
            assert sources and all(CARD_SOURCE.match(source) for source in sources.values()), sources
            pictures = {source: served.request("/" + source.split("?")[0])[1] for source in sources.values()}
            page.evaluate("window.sameDocument = true")
            edit(campaign, TEXT, "We stand with every survivor of violence, always.")
            expect(page.locator("article.post .text", has_text="survivor of violence, always.")).not_to_have_count(
                0, timeout=WAIT * 1000)
            assert page.evaluate("window.sameDocument === true")
            expect(page.locator("select[name=language]")).to_have_value("en")
            expect(page.locator("#shown")).to_have_text(shown)
            assert posts.count() == total
            assert page.locator("article.post:not([hidden])").count() == int(shown.split()[0])  # filtered anew
            page.wait_for_function(f"Math.abs(window.scrollY - {scrolled}) <= 2", timeout=WAIT * 1000)
            # A card whose picture changed has a new address (the browser would show the one it has under the old
            # one); the others keep theirs.
            updated = card_sources(page)
            assert updated.keys() == sources.keys()
            for post, source in sources.items():
                picture = served.request("/" + source.split("?")[0])[1]
                assert (updated[post] != source) == (picture != pictures[source]), post
            assert any(updated[post] != source for post, source in sources.items())

            # Broken YAML: the error panel in place of the pack, with the line the terminal printed.
            edit(campaign, "      en: We stand with every survivor of violence, always.",
                 "      en: [We stand with every survivor of violence, always.")
            panel = page.locator("#campaign-gen-error")
            expect(panel).to_be_visible(timeout=WAIT * 1000)
            assert posts.count() == 0
            shown_lines = page.locator("#campaign-gen-error code.line").all_inner_texts()
            assert shown_lines and all(ERROR_LINE.match(line) for line in shown_lines), shown_lines
            line, column = ERROR_LINE.match(shown_lines[0]).groups()
            expect(panel.locator(".where").first).to_have_text(f"campaigns/minimal.yaml line {line}, column {column}")
            printed = _wait_for_lines(served.stderr, shown_lines)
            assert printed == shown_lines

            # Fixed: the pack again, the reader's filter and place in it too.
            edit(campaign, "      en: [We stand", "      en: We stand")
            expect(posts.first).to_be_attached(timeout=WAIT * 1000)
            expect(panel).to_have_count(0)
            assert posts.count() == total
            expect(page.locator("select[name=language]")).to_have_value("en")
            page.wait_for_function(f"Math.abs(window.scrollY - {scrolled}) <= 2", timeout=WAIT * 1000)

            # A reload by hand keeps them as well.
            page.reload(wait_until="load")
            expect(page.locator("select[name=language]")).to_have_value("en")
            expect(page.locator("#shown")).to_have_text(shown)
            page.wait_for_function(f"Math.abs(window.scrollY - {scrolled}) <= 2", timeout=WAIT * 1000)

            # Other filter choices (a platform less) cannot be patched in: the page reloads, the filter kept.
            page.evaluate("window.sameDocument = true")
            edit(campaign, "platforms: [x, mastodon]", "platforms: [x]")
            expect(page.locator("select[name=platform] option[value=mastodon]")).to_have_count(0, timeout=WAIT * 1000)
            assert page.evaluate("window.sameDocument === undefined")
            expect(page.locator("select[name=language]")).to_have_value("en")
            expect(page.locator("#shown")).to_have_text(f"{page.locator('article.post:not([hidden])').count()} shown")
            assert page.locator("article.post[data-platform=mastodon]").count() == 0
        finally:
            browser.close()

        # Only the pack folder is served: no way out by `..`, encoded or not, nor by a link.
        folders = list(served.temporary.glob("campaign-gen-serve-*"))
        assert len(folders) == 1
        pack = folders[0] / WEEK
        assert served.request("/index.html")[0] == 200
        (pack / "leak.txt").symlink_to(workspace.root / "campaigns" / "minimal.yaml")
        for path in ("/../campaigns/minimal.yaml", "/%2e%2e/%2E%2E/etc/passwd", "/cards/..%2f..%2fposts.json",
                     "/leak.txt", "/cards/%2e%2e/%2e%2e/campaigns/minimal.yaml", "/..\\posts.json"):
            status, body = served.request(path)
            assert status in (403, 404), path
            assert b"survivor" not in body and b"root:" not in body
        assert served.request("/", host="attacker.example")[0] == 403  # DNS rebinding
        assert served.request("/no-such-file.png")[0] == 404
        # A card the browser has already is not sent again (304), so a reload fetches only the cards that changed.
        card = "/" + sorted(pack.glob("cards/*.png"))[0].relative_to(pack).as_posix()
        first = urllib.request.urlopen(served.url.rstrip("/") + card, timeout=WAIT)
        again = urllib.request.Request(served.url.rstrip("/") + card, headers={"If-None-Match": first.headers["ETag"]})
        with pytest.raises(urllib.error.HTTPError) as unchanged:
            urllib.request.urlopen(again, timeout=WAIT)
        assert unchanged.value.code == 304

        assert served.stop() == 0
        assert not list(served.temporary.iterdir())  # the temporary folder is gone
        assert "stopped" in served.output()
    after = {p.relative_to(workspace.root) for p in workspace.root.rglob("*") if ".cache" not in p.parts}
    assert after == before  # nothing written into the workspace but its caches
    assert problems == []


def card_sources(page) -> dict:
    """Each post's card address on the page, by the post's id."""
    return page.evaluate("() => Object.fromEntries(Array.from(document.querySelectorAll('article.post img'), "
                         "img => [img.closest('article').id, img.getAttribute('src')]))")


def _wait_for_lines(path: Path, lines: list[str]) -> list[str]:
    """The error lines the server printed on stderr, once it has printed them."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        printed = [line for line in path.read_text(encoding="utf-8").splitlines() if ERROR_LINE.match(line)]
        if len(printed) >= len(lines):
            return printed[-len(lines):]
        time.sleep(0.05)
    raise AssertionError(path.read_text(encoding="utf-8"))


# -- stopping -------------------------------------------------------------------------------------------------------
def test_sigterm_in_the_middle_of_drawing_leaves_no_folder_and_no_process(workspace, tmp_path):
    with serving(workspace.root, tmp_path, "--jobs", "2") as served:
        seen: set[int] = set()
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and served.process.poll() is None:
            seen |= descendants(served.process.pid)
            if len(seen) >= 2 or "built in" in served.output():  # the card workers are drawing (or done)
                break
            time.sleep(0.02)
        assert served.stop() == 0, served.output()
        assert "stopped" in served.output()
        assert not list(served.temporary.iterdir())
        assert not [pid for pid in seen if alive(pid)]


# -- the command's safety rails, in this process -------------------------------------------------------------------
def test_a_host_other_than_loopback_is_warned_about(workspace, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes first, then the bind fails.
    result = run_cli("--root", str(workspace.root), "serve", "--week", WEEK, "--host", "192.0.2.1",
                     "--port", str(free_port()))
    assert result.stderr.startswith("warning: serving on 192.0.2.1, not on loopback: anyone who can reach this "
                                    "machine can read the pack")
    assert result.stderr.splitlines()[-1].startswith("error: cannot serve on 192.0.2.1:")
    assert result.exit_code == 2
    assert not list(tmp_path.glob("campaign-gen-serve-*"))


def test_a_port_in_use_is_a_usage_error(workspace, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("--root", str(workspace.root), "serve", "--week", WEEK, "--port", str(port))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: port {port} is in use on 127.0.0.1: give another with --port\n"
    assert not list(tmp_path.glob("campaign-gen-serve-*"))


# -- the pieces -----------------------------------------------------------------------------------------------------
def test_requests_resolve_inside_the_folder_only(tmp_path):
    folder = tmp_path / "pack"
    (folder / "cards").mkdir(parents=True)
    (folder / "index.html").write_text("<html></html>")
    (folder / "cards" / "a.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    (folder / "out.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "outside").symlink_to(tmp_path, target_is_directory=True)
    assert resolve_request(folder, "/") == (200, (folder / "index.html").resolve())
    assert resolve_request(folder, "/cards/a.png") == (200, (folder / "cards" / "a.png").resolve())
    assert resolve_request(folder, "/cards/%61.png") == (200, (folder / "cards" / "a.png").resolve())
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/cards/%2E%2E/%2e%2e/secret.txt", "/./index.html",
                 "/out.txt", "/outside/secret.txt", "/..%5csecret.txt", "/index.html%00.png", "index.html"):
        assert resolve_request(folder, path)[0] == 403, path
    assert resolve_request(folder, "/cards/") == (404, None)  # no listing
    assert resolve_request(folder, "/%252e%252e/secret.txt") == (404, None)  # decoded once: a name, not `..`


def test_pages_get_the_script_and_a_policy_that_lets_it_ask():
    page = (b"<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            b"script-src 'unsafe-inline'\"></head><body><p>pack</p></body></html>")
    served = inject(page, 7)
    assert b"default-src 'none'; script-src 'unsafe-inline'; connect-src 'self'\"" in served
    assert b'<script id="campaign-gen-serve" data-version="7"' in served
    assert served.index(b"<p>pack</p>") < served.index(b"campaign-gen-serve") < served.index(b"</body>")


def test_pages_address_each_card_by_its_content_key():
    page = (b'<body><figure><a href="cards/a-b-en-square.png"><img src="cards/a-b-en-square.png" alt="x"></a>'
            b'<img src="cards/unknown.png" alt="y"></figure></body>')
    served = inject(page, 2, {"cards/a-b-en-square.png": "0123456789abcdef" * 4})
    assert b'<img src="cards/a-b-en-square.png?v=0123456789abcdef" alt="x">' in served
    assert b'<a href="cards/a-b-en-square.png">' in served  # a link is followed afresh: the server's ETag serves it
    assert b'<img src="cards/unknown.png" alt="y">' in served  # not a card of this pack: left as written
    assert inject(page, 2) == inject(page, 2, {})


def test_a_page_shown_before_its_build_is_in_place_never_gets_an_older_file_beside_it(tmp_path):
    """Between Shown.preview (the new page, its cards and fonts written in the staging folder) and Shown.settle
    (the folder in place), the page and what it shows come from the staging folder, and any other file is
    answered once the build is in place: the new one, never the previous build's."""
    import threading

    from generator.serve.server import PreviewServer, Shown

    target, staging = tmp_path / "2026-W48", tmp_path / ".2026-W48.building"
    for folder, build in ((target, "old"), (staging, "new")):
        (folder / "cards").mkdir(parents=True)
        (folder / "index.html").write_text(f"<html><body>{build} page</body></html>")
        (folder / "cards" / "a.png").write_bytes(f"{build} card".encode())
    (target / "posts.json").write_text('"old posts"')
    shown = Shown(target)
    shown.publish()
    held = threading.Event()
    waiting = shown.wait_gone

    def wait_gone(early, timeout):
        held.set()
        waiting(early, timeout)

    shown.wait_gone = wait_gone
    server = PreviewServer(shown, "127.0.0.1", 0)
    server.start()
    try:
        shown.preview(staging, {"cards/a.png": "0" * 64})
        served = Served(None, server.server.server_address[1], tmp_path, tmp_path, tmp_path)
        status, body = served.request("/")
        assert status == 200 and b"new page" in body and b'data-version="2"' in body
        assert served.request("/cards/a.png?v=0000000000000000") == (200, b"new card")
        answers = []
        asking = threading.Thread(target=lambda: answers.append(served.request("/posts.json")))
        asking.start()
        assert held.wait(WAIT)  # the request waits for the build
        (staging / "posts.json").write_text('"new posts"')
        target.rename(tmp_path / "retired")  # as swap_into_place puts the new pack in place
        staging.rename(target)
        shown.settle()
        asking.join(WAIT)
        assert answers == [(200, b'"new posts"')]
        assert served.request("/cards/a.png") == (200, b"new card")
    finally:
        server.stop()


def test_a_request_waits_for_its_own_early_build_and_a_card_is_never_kept_under_another_address(tmp_path):
    """Found by an audit: `/posts.json/` is no page, so it waits like `/posts.json`; a request waiting while one
    early build is settled and the next is shown at once waits on for the next (never its half-written file,
    never the whole hold); a page asked meanwhile is the newest, with its own version; a card asked under
    another picture's key is refused (not found, not stored), so a browser never keeps it there."""
    import threading

    from generator.serve.server import PreviewServer, Shown

    folder, gone, staging = tmp_path / "2026-W48", tmp_path / ".first.building", tmp_path / ".second.building"
    for where, build in ((folder, "old"), (staging, "new")):
        (where / "cards").mkdir(parents=True)
        (where / "index.html").write_text(f"<html><body>{build} page</body></html>")
        (where / "cards" / "a.png").write_bytes(f"{build} card".encode())
    (folder / "posts.json").write_text('"old posts"')
    (staging / "posts.json").write_text('"new po')  # being written
    shown = Shown(folder)
    shown.publish(None, {"cards/a.png": "1" * 64})
    server = PreviewServer(shown, "127.0.0.1", 0)
    server.start()
    served = Served(None, server.server.server_address[1], tmp_path, tmp_path, tmp_path)
    answers: dict = {}

    def ask(path):
        thread = threading.Thread(target=lambda: answers.setdefault(path, served.request(path)))
        thread.start()
        return thread

    try:
        shown.preview(gone, {"cards/a.png": "2" * 64})  # its folder was put in place just now: not there
        asking = [ask("/"), ask("/posts.json"), ask("/posts.json/")]
        time.sleep(0.3)
        assert all(thread.is_alive() for thread in asking)
        shown.settle()
        shown.preview(staging, {"cards/a.png": "3" * 64})  # the next build, at once
        asking[0].join(WAIT)
        status, body = answers["/"]
        assert status == 200 and b"new page" in body and f'data-version="{shown.version}"'.encode() in body
        time.sleep(0.3)
        assert asking[1].is_alive() and asking[2].is_alive()  # not the half-written posts.json
        assert served.request("/cards/a.png?v=2222222222222222")[0] == 404  # the previous build's key
        assert served.request("/cards/a.png?v=3333333333333333") == (200, b"new card")
        (staging / "posts.json").write_text('"new posts"')
        folder.rename(tmp_path / "retired")
        staging.rename(folder)
        shown.settle()
        for thread in asking[1:]:
            thread.join(WAIT)
        assert answers["/posts.json"] == answers["/posts.json/"] == (200, b'"new posts"')
    finally:
        server.stop()


def test_the_error_panel_names_file_line_and_column():
    line = "campaigns/orange-day.yaml:14:5: messages[2].text.fr: error: expected a string, got a <list>"
    assert place_of(line) == {"file": "campaigns/orange-day.yaml", "line": "14", "col": "5",
                              "rest": "messages[2].text.fr: error: expected a string, got a <list>"}
    assert place_of("error: unknown campaign 'x'")["file"] == ""
    page = error_page([line, "error: unknown campaign 'x'"], 3).decode("utf-8")
    assert '<span class="file">campaigns/orange-day.yaml</span> <span class="spot">line 14, column 5</span>' in page
    assert "got a &lt;list&gt;" in page and "got a <list>" not in page
    assert "These 2 errors stop the build" in page


def test_the_watcher_reports_one_save_once_and_ignores_the_rest(tmp_path):
    from generator.serve.watcher import Watcher

    root = tmp_path / "workspace"
    for name in ("campaigns", "assets", ".cache", "out", "partners/other"):
        (root / name).mkdir(parents=True)
    campaign = root / "campaigns" / "a.yaml"
    campaign.write_text("id: a\n")
    watcher = Watcher(root)
    watcher.start()
    try:
        assert watcher.wait(0.3) == []
        # An editor's save: a temporary file written, then renamed over the real one.
        temporary = root / "campaigns" / ".a.yaml.swp"
        temporary.write_text("id: b\n")
        (root / "campaigns" / "a.yaml~").write_text("backup")
        temporary.replace(campaign)
        assert watcher.wait(WAIT) == [str(campaign)]
        # Writes elsewhere, and a change of mode alone, are no change of the pack's inputs.
        (root / ".cache" / "x").write_text("x")
        (root / "out" / "x").write_text("x")
        (root / "partners" / "other" / "partner.yaml").write_text("x")
        campaign.chmod(0o600)
        assert watcher.wait(0.5) == []
        # Settings, and an input folder made after the start (its first file too).
        (root / "campaign-gen.yaml").write_text("media_base_url: https://example.org\n")
        assert watcher.wait(WAIT) == [str(root / "campaign-gen.yaml")]
        (root / "templates" / "posts").mkdir(parents=True)
        assert watcher.wait(WAIT)
        (root / "templates" / "posts" / "x.j2").write_text("{{ text }}")
        assert str(root / "templates" / "posts" / "x.j2") in watcher.wait(WAIT)
    finally:
        watcher.stop()


def test_the_pack_goes_to_tmpdir_when_set_else_to_memory(tmp_path, monkeypatch):
    from generator.serve.session import temporary_base

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert temporary_base() is None  # tempfile's choice: $TMPDIR
    monkeypatch.delenv("TMPDIR")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert temporary_base() == str(tmp_path)
