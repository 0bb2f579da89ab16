"""`campaign-gen init`: a workspace that validates straight away, whose example reuses the shipped facts and
messages, and that is never written over an existing file (issue #17). The installed wheel runs it end to end in
tests/test_install.py."""

from __future__ import annotations

import json

import pytest
import yaml

from clirunner import run_cli
from conftest import REPO
from generator.stock import scaffold

CREATED = [
    "created campaigns/orange-day.yaml",
    "created assets/logos/orange-day.png",
    "created .gitignore",
    "created .github/workflows/campaign-gen.yml",
    "created partners/",
]


def test_init_writes_a_workspace_that_validates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("init")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == CREATED + ["next: campaign-gen validate && campaign-gen build"]
    assert list((tmp_path / "partners").iterdir()) == []
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == ["out/", ".cache/"]
    assert not (tmp_path / "templates").exists() and not (tmp_path / "assets" / "fonts").exists()  # the stock ones
    checked = run_cli("validate")
    assert (checked.exit_code, checked.stdout.splitlines()[-1]) == (0, "1 campaign checked: 0 errors, 0 warnings")


def test_init_into_a_new_folder_names_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("init", "my campaigns")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [line.replace("created ", "created my campaigns/") for line in CREATED] + [
        "next: cd 'my campaigns' && campaign-gen validate && campaign-gen build"]
    assert run_cli("--root", str(tmp_path / "my campaigns"), "validate").exit_code == 0


@pytest.mark.parametrize("existing", ["campaigns/orange-day.yaml", ".gitignore", ".github/workflows/campaign-gen.yml"])
def test_init_never_overwrites_a_file_and_writes_nothing(tmp_path, existing):
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("ours\n", encoding="utf-8")
    result = run_cli("init", str(tmp_path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"{tmp_path}/{existing}: error: already exists; init never overwrites a file, so "
                             "nothing was written (move it away, or give another folder)\n")
    assert (tmp_path / existing).read_text(encoding="utf-8") == "ours\n"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [existing]


def test_the_workflow_validates_builds_and_uploads_the_pack(tmp_path):
    assert run_cli("init", str(tmp_path)).exit_code == 0
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "campaign-gen.yml").read_text(encoding="utf-8"))
    assert set(workflow[True]["workflow_dispatch"]["inputs"]) == {"week", "partner"}  # YAML 1.1 reads `on` as True
    assert workflow["env"]["CAMPAIGN_GEN"] == scaffold.ci_requirement()
    steps = workflow["jobs"]["pack"]["steps"]
    commands = [step.get("run", step.get("uses", "")) for step in steps]
    assert "campaign-gen validate" in commands
    assert any(command.startswith("campaign-gen build") for command in commands)
    assert steps[-1]["uses"].startswith("actions/upload-artifact@") and steps[-1]["with"]["path"] == "out/"


def test_the_example_quotes_the_shipped_facts_and_messages_word_for_word():
    """Every figure in the example is a shipped fact, with the same statement, figures and source, and every
    message is a shipped Orange Day message: init invents no statistic."""
    example = yaml.safe_load((scaffold.SCAFFOLD / "campaign.yaml").read_text(encoding="utf-8"))
    shipped = yaml.safe_load((REPO / "campaigns" / "orange-day.yaml").read_text(encoding="utf-8"))
    shared = yaml.safe_load((REPO / "facts" / "shared.yaml").read_text(encoding="utf-8"))
    facts = {fact["id"]: fact for fact in shipped["facts"] + shared["facts"]}
    for fact in example["facts"]:
        original = facts[fact["id"]]
        assert {key: fact[key] for key in ("statement", "figures")} == {key: original[key] for key in
                                                                       ("statement", "figures")}
        assert {**original["source"], "publisher": None} == {**fact["source"], "publisher": None}
        assert all(original["source"]["publisher"][lang] == name for lang, name in fact["source"]["publisher"].items())
    messages = {message["id"]: message for message in shipped["messages"]}
    for message in example["messages"]:
        for key in ("text", "short", "headline", "call_to_action"):
            assert all(messages[message["id"]][key][lang] == text for lang, text in message[key].items()), key
        assert message.get("facts", []) == messages[message["id"]].get("facts", [])


@pytest.mark.parametrize("direct_url, expected", [
    (None, "campaign-gen==0.1.0"),
    ({"url": "file:///tmp/campaign_gen-0.1.0-py3-none-any.whl", "archive_info": {}}, "campaign-gen==0.1.0"),
    ({"url": "file:///home/me/campaign-gen", "dir_info": {"editable": True}}, "campaign-gen==0.1.0"),
    ({"url": "https://github.com/org/campaign-gen", "vcs_info": {"vcs": "git", "commit_id": "ab12"}},
     "campaign-gen @ git+https://github.com/org/campaign-gen@ab12"),
    ({"url": "https://example.org/campaign_gen-0.1.0.tar.gz", "archive_info": {}},
     "campaign-gen @ https://example.org/campaign_gen-0.1.0.tar.gz"),
])
def test_ci_installs_campaign_gen_as_it_was_installed_where_that_can_be_repeated(monkeypatch, direct_url, expected):
    class Distribution:
        def read_text(self, name):
            return json.dumps(direct_url) if direct_url is not None and name == "direct_url.json" else None

    monkeypatch.setattr(scaffold.metadata, "distribution", lambda name: Distribution())
    monkeypatch.setattr(scaffold.generator, "__version__", "0.1.0")
    assert scaffold.ci_requirement() == expected
