"""A partner kit's job in a process of its own (generator/partners/isolation.py): each operating-system limit
stops it with one line naming the kit and the limit, and the caller goes on."""

from __future__ import annotations

import os
import time

import pytest

from clirunner import run_cli
from partner_support import add_kit, build_workspace
from generator import console
from generator.errors import CampaignGenError, InvalidInput, UsageError
from generator.pack.settings import load_settings
from generator.partners.isolation import KitLimits, KitStopped, can_isolate, run_for_kit

pytestmark = pytest.mark.skipif(not can_isolate(), reason="kit isolation needs fork and setrlimit (Linux)")


def sleep_then_answer(seconds: float) -> str:
    time.sleep(seconds)
    return "answer"


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes << 20))


def open_many(folder: str, count: int) -> int:
    handles = [open(os.path.join(folder, f"{n}.txt"), "w", encoding="utf-8") for n in range(count)]
    return len(handles)


def refuse() -> None:
    raise UsageError("unknown campaign 'x'")


def test_a_job_within_its_limits_returns_its_result():
    assert run_for_kit("kit", KitLimits(), sleep_then_answer, 0) == "answer"


def test_a_job_past_its_wall_clock_time_is_killed_and_named():
    started = time.monotonic()
    with pytest.raises(KitStopped) as raised:
        run_for_kit("slow", KitLimits(wall_seconds=1), sleep_then_answer, 60)
    assert str(raised.value) == ("partners/slow: the kit's job took longer than 1 s (wall_seconds) and was stopped; "
                                 "the limit is set by kit_limits in campaign-gen.yaml")
    assert time.monotonic() - started < 30  # killed, not waited for


def test_a_job_past_its_memory_is_stopped_and_named():
    with pytest.raises(KitStopped, match=r"^partners/big: the kit's job needed more than 512 MB of memory "):
        run_for_kit("big", KitLimits(memory_mb=512), allocate, 2048)


def test_a_job_past_its_open_files_is_stopped_and_named(tmp_path):
    with pytest.raises(KitStopped, match=r"^partners/files: the kit's job opened more than 64 files at once "):
        run_for_kit("files", KitLimits(open_files=64), open_many, str(tmp_path), 200)


def test_the_jobs_own_errors_come_back_as_they_are():
    with pytest.raises(UsageError, match="^unknown campaign 'x'$"):
        run_for_kit("kit", KitLimits(), refuse)


def spin() -> None:
    while True:
        pass


def test_a_job_past_its_processor_time_is_stopped_and_named():
    with pytest.raises(KitStopped) as raised:
        run_for_kit("spin", KitLimits(cpu_seconds=1), spin)
    assert str(raised.value) == ("partners/spin: the kit's job used more than 1 s of processor time (cpu_seconds) "
                                 "and was stopped; the limit is set by kit_limits in campaign-gen.yaml")


def test_a_template_looping_with_empty_bodies_is_stopped_with_its_file_and_line(tmp_path):
    """Two nested loops with empty bodies never reach a sandbox hook: the render's timer stops them, in the
    kit's own process, and the other kit is unaffected."""
    workspace, _outside = build_workspace(tmp_path)
    add_kit(workspace, "spin", "name: Spin\nlanguages: [fr]\n", {
        "templates/posts/base.j2": "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}"
                                   "{% endfor %}"})
    add_kit(workspace, "good")
    stopped = ("partners/spin/templates/posts/base.j2:1: error: refused by the sandbox: the template took longer "
               "than 2 s to render (endless loop?)\n")
    for command in (("partner", "check", "spin"), ("render", "test", "--partner", "spin", "--platform", "x")):
        spin = run_cli("--root", str(workspace.root), *command)
        assert (spin.exit_code, spin.stdout, spin.stderr) == (2, "", stopped)
    good = run_cli("--root", str(workspace.root), "partner", "check", "good")
    assert good.exit_code == 0, good.stderr


@pytest.mark.parametrize("text, message", [
    ("kit_limits:\n  cpu_seconds: 5\n",
     "campaign-gen.yaml:2:16: kit_limits.cpu_seconds: error: expected a whole number from 10 to 7200, got 5"),
    ("kit_limits:\n  memory: 100\n",
     "campaign-gen.yaml:2:3: kit_limits.memory: warning: unknown key 'memory'; did you mean 'memory_mb'? [settings.unknown-key]"),
])
def test_kit_limits_are_settable_within_bounds(make_workspace, minimal_campaign_text, text, message):
    workspace = make_workspace({"minimal.yaml": minimal_campaign_text})
    (workspace.root / "campaign-gen.yaml").write_text(text, encoding="utf-8")
    try:
        problems = [str(p) for p in load_settings(workspace).warnings]
    except InvalidInput as err:
        problems = console.error_lines(err)
    assert problems == [message]


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot be pickled")


def raise_unpicklable() -> None:
    raise Unpicklable("a library's own error")


def test_an_error_that_cannot_cross_processes_comes_back_as_its_words():
    with pytest.raises(CampaignGenError, match=r"^Unpicklable: a library's own error$"):
        run_for_kit("kit", KitLimits(), raise_unpicklable)


def crash() -> None:
    raise ValueError("cannot convert float NaN to integer")


def lose_a_worker() -> None:
    from concurrent.futures.process import BrokenProcessPool
    raise BrokenProcessPool("A process in the process pool was terminated abruptly")


def test_any_other_failure_of_a_kit_comes_back_as_that_kits_one_line():
    """Not only the errors campaign-gen names: whatever else makes a kit's job fail is that kit's failure, so a
    network build reports it and builds the other kits."""
    with pytest.raises(CampaignGenError) as raised:
        run_for_kit("odd", KitLimits(), crash)
    assert console.error_lines(raised.value) == [
        "partners/odd: error: the kit's job failed: ValueError: cannot convert float NaN to integer"]
    with pytest.raises(KitStopped) as stopped:
        run_for_kit("cards", KitLimits(cpu_seconds=10), lose_a_worker)
    assert str(stopped.value).startswith("partners/cards: the kit's job lost a card worker, ended by the system: "
                                         "most likely past cpu_seconds (10 s) or memory_mb (4096 MB)")
