"""`campaign-gen serve`: the time from saving a one-message edit to the updated page (a script, not a test).

    .venv/bin/python benchmarks/serve.py [--week 2026-W48] [--edits 5] [--jobs N] [--pause 3]

Works on a temporary copy of the repository's workspace (campaigns, facts, templates, assets, partners and
campaign-gen.yaml, whichever exist), all shipped campaigns, every platform and language. Starts
`campaign-gen serve` on a free loopback port, waits for the first (cold) build, and opens the page in Debian's
chromium (Playwright). Then, edit after edit, it appends a marker to the English text of one message of the
week in its YAML file and waits until the page shows it:

  save -> text   from the moment the file is written to the reloaded page's DOMContentLoaded, by the page's
                 own clock (performance.timeOrigin, the same wall clock as this process): the new text is in
                 the page. Playwright's polling does not count, only when the page had it.
  save -> cards  to the reloaded page's load event: every card of the page loaded too.
  build          the rebuild as the server reports it ("built in ... s").

Prints each edit and the medians. Target (issue 16): save -> text under 1 s for one week's pack. The default
week, 2026-W48, is the shipped campaigns' busiest (Orange Day and the start of the 16 Days).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.yamlfile import load_yaml  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INPUTS = ("campaigns", "facts", "templates", "assets", "partners")
BUILT = re.compile(r"\(built in ([0-9.]+) s\)")
WAIT = 600


def copy_workspace(target: Path) -> Path:
    for name in INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
    if (ROOT / "campaign-gen.yaml").is_file():
        shutil.copy(ROOT / "campaign-gen.yaml", target / "campaign-gen.yaml")
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def version(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__campaign-gen/version", timeout=30) as answer:
        return json.loads(answer.read())


def served_json(port: int, name: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{name}", timeout=30) as answer:
        return json.loads(answer.read())


class Editor:
    """Appends a marker to the English text of one message, in its YAML file, as a person would type it."""

    def __init__(self, workspace: Path, posts: list):
        for post in posts:
            if post["language"] != "en":
                continue
            path = workspace / "campaigns" / f"{post['campaign']}.yaml"
            document = load_yaml(path, path.name)
            ids = [message.get("id") for message in document.data.get("messages", [])]
            if post["message"] not in ids:
                continue
            line = document.source.location(("messages", ids.index(post["message"]), "text", "en")).line
            words = document.data["messages"][ids.index(post["message"])]["text"]["en"].split()[:3]
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            anchor = " ".join(words)
            found = [index for index in range(line - 1, len(lines)) if anchor in lines[index]]
            if found:
                self.path, self.index, self.anchor = path, found[0], anchor
                self.original = lines
                self.label = f"{post['campaign']}/{post['message']} (en)"
                return
        raise SystemExit("no English message of this week found to edit")

    def write(self, marker: str) -> None:
        lines = list(self.original)
        lines[self.index] = lines[self.index].replace(self.anchor, f"{self.anchor} {marker}", 1)
        self.path.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", default="2026-W48")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None, help="card workers of the server (default: the cores)")
    parser.add_argument("--pause", type=float, default=3.0,
                        help="seconds between an updated page and the next save (a person reads it first)")
    arguments = parser.parse_args()

    from playwright.sync_api import expect, sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="campaign-gen-bench-serve-"))
    workspace = copy_workspace(folder / "workspace")
    port = free_port()
    script = Path(sys.executable).with_name("campaign-gen")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "generator"]
    command += ["serve", "--week", arguments.week, "--port", str(port)]
    if arguments.jobs:
        command += ["--jobs", str(arguments.jobs)]
    log = folder / "serve.log"
    env = {key: value for key, value in os.environ.items() if key != "CAMPAIGN_GEN_ROOT"}
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=workspace, stdout=output, stderr=subprocess.STDOUT, env=env,
                                  stdin=subprocess.DEVNULL)
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped:\n{log.read_text()}")
            try:
                if version(port)["version"] >= 1:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        summary = [line for line in log.read_text().splitlines() if BUILT.search(line)]
        print(f"first build (cards drawn cold): {summary[0] if summary else log.read_text()}")
        editor = Editor(workspace, served_json(port, "posts.json")["posts"])
        print(f"editing {editor.label} in {editor.path.relative_to(workspace)}, {arguments.edits} times")

        texts, loads, builds, reloads = [], [], [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/", wait_until="load")
            for number in range(1, arguments.edits + 1):
                marker = f"(edit {number})"
                builds_before = len(BUILT.findall(log.read_text()))
                saved = time.time() * 1000
                editor.write(marker)
                expect(page.get_by_text(marker).first).to_be_attached(timeout=WAIT * 1000)
                page.wait_for_load_state("load")
                timing = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0]; "
                                       "return [performance.timeOrigin + n.domContentLoadedEventEnd, "
                                       "performance.timeOrigin + n.loadEventEnd, performance.timeOrigin, "
                                       "n.responseEnd]; })()")
                texts.append((timing[0] - saved) / 1000)
                loads.append((timing[1] - saved) / 1000)
                reloads.append((timing[2] - saved) / 1000)
                found = BUILT.findall(log.read_text())
                builds.append(float(found[-1]) if len(found) > builds_before else float("nan"))
                print(f"  edit {number}: save -> text {texts[-1]:.3f} s, save -> cards {loads[-1]:.3f} s; "
                      f"of which build {builds[-1]:.3f} s, save -> reload starts {reloads[-1]:.3f} s, "
                      f"page received {timing[3] / 1000:.3f} s and shown {timing[0] / 1000 - timing[2] / 1000:.3f} s "
                      "after that")
                time.sleep(arguments.pause)
            browser.close()
        print(f"save -> updated page (median of {len(texts)} one-message edits, {arguments.week}): "
              f"{statistics.median(texts):.2f} s (target < 1 s); with every card loaded "
              f"{statistics.median(loads):.2f} s; the rebuild itself {statistics.median(builds):.2f} s")
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(60)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
