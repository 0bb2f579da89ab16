"""Incremental to the post (issue 15): after an edit, a build renders only the posts and draws only the cards of
what changed, and what it writes is byte for byte what a build from nothing writes."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from generator import posts
from generator.dates import choose_period
from generator.pack import records
from generator.pack.build import build_pack
from generator.pack.model import PackOptions
from generator.workspace import Workspace

WEEK = choose_period("2026-W50", None, None)
CAMPAIGN, MESSAGE = "sixteen-days", "fund-womens-movements"


@pytest.fixture
def shipped(make_workspace):
    return make_workspace(copy_shipped_campaigns=True)


@pytest.fixture
def rendered(monkeypatch):
    """The (campaign, message, platform, language) of every post rendered from here on."""
    calls = []
    original = posts.build_post

    def spy(campaign, message, platform, language, **kwargs):
        calls.append((campaign.id, message.id, platform, language))
        return original(campaign, message, platform, language, **kwargs)

    monkeypatch.setattr(posts, "build_post", spy)
    return calls


def options(out: Path) -> PackOptions:
    return PackOptions(WEEK, campaign_ids=(CAMPAIGN,), platforms=("x", "instagram"), languages=("en", "fr"),
                       out_dir=out, jobs=1)


def edit_english_text(workspace: Workspace, old: str, new: str) -> None:
    path = workspace.campaigns_dir / f"{CAMPAIGN}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def files_of(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_edited_message_renders_only_its_own_posts_and_draws_only_its_own_cards(shipped, rendered, tmp_path):
    first = build_pack(shipped, options(tmp_path / "out"))
    scheduled = {(p.slot.campaign_id, p.slot.message_id, p.slot.platform, p.slot.language) for p in first.posts}
    assert (CAMPAIGN, MESSAGE, "x", "en") in scheduled and len(scheduled) > 10
    rendered.clear()

    edit_english_text(shipped, "Women's rights organisations are on the front line",
                      "Women's rights organisations stand on the front line")
    edited = build_pack(shipped, options(tmp_path / "out"))

    touched = {key for key in scheduled if key[1] == MESSAGE and key[3] == "en"}
    assert set(rendered) == touched  # the message's English posts, nothing else
    its_cards = {Path(f).stem for p in first.posts if p.slot.message_id == MESSAGE and p.slot.language == "en"
                 for f in p.card_files}
    assert set(edited.drawn_cards) == its_cards and len(its_cards) == 3  # x; Instagram's feed card and story
    text = next(p.post.text for p in edited.posts if p.slot.message_id == MESSAGE and p.slot.language == "en")
    assert "organisations stand on the front line" in text

    # What the incremental build wrote is what a build from nothing writes.
    fresh = tmp_path / "fresh"
    shutil.copytree(shipped.root, fresh, ignore=shutil.ignore_patterns(".cache", "out"))
    cold = build_pack(Workspace(fresh.resolve()), options(tmp_path / "cold"))
    assert files_of(edited.folder) == files_of(cold.folder)


def test_a_template_edit_renders_every_post_again(shipped, rendered, tmp_path):
    first = build_pack(shipped, options(tmp_path / "out"))
    rendered.clear()
    template = shipped.root / "templates" / "posts" / "x.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("{% extends language_base() %}\n", encoding="utf-8")  # the same posts, from a new file
    build_pack(shipped, options(tmp_path / "out"))
    assert len(rendered) == len(first.posts)  # a post records the templates it was rendered with


def test_a_record_that_cannot_be_read_is_rendered_again(shipped, rendered, tmp_path):
    first = build_pack(shipped, options(tmp_path / "out"))
    records = sorted((shipped.root / ".cache" / "posts").rglob("*.pickle"))
    assert len(records) == len(first.posts)
    records[0].write_bytes(b"not a pickle")
    records[1].write_bytes(b"\x80\x05\x96\xff\xff\xff\xff\xff\xff\xff\x7f")  # a bytearray of 2^63 bytes: not
    records[2].write_bytes(pickle.dumps({"a dict": "where a post belongs"}))  # a record of the wrong kind
    shutil.rmtree(first.folder)  # so that the pack itself is not reused whole
    rendered.clear()
    again = build_pack(shipped, options(tmp_path / "out"))
    assert len(rendered) == 3
    assert [p.post for p in again.posts] == [p.post for p in first.posts]


def test_a_serve_session_keeps_the_records_in_its_process_each_read_a_copy(shipped, rendered, tmp_path):
    first = build_pack(shipped, options(tmp_path / "out"))
    records.keep_in_process(True)
    try:
        build_pack(shipped, options(tmp_path / "again"))  # reads every record from the files, and keeps them
        shutil.rmtree(shipped.root / ".cache" / "posts")
        shutil.rmtree(shipped.root / ".cache" / "card-requests")
        rendered.clear()
        kept = build_pack(shipped, options(tmp_path / "kept"))
        assert rendered == []  # a record's key is the hash of what it depends on: a kept one is never stale
        assert [p.post for p in kept.posts] == [p.post for p in first.posts]
        assert files_of(kept.folder) == files_of(first.folder)
        assert kept.posts[0].post is not build_pack(shipped, options(tmp_path / "copy")).posts[0].post
    finally:
        records.keep_in_process(False)
    build_pack(shipped, options(tmp_path / "other"))  # outside a session: the files only, and they are gone
    assert len(rendered) == len(first.posts)


def test_the_pack_is_announced_in_place_before_its_record_with_its_cards_content_keys(shipped, tmp_path):
    announced = []

    def written(pack):
        announced.append((files_of(pack.folder), sorted((shipped.root / ".cache" / "packs").glob("*.pickle"))))

    pack = build_pack(shipped, options(tmp_path / "out"), written=written)
    [(files, pack_records)] = announced
    assert files == files_of(pack.folder) and pack_records == []  # the pack whole, its record not yet written
    cards = {f for p in pack.posts for f in p.card_files}
    assert cards and set(pack.card_keys) == cards
    for name, key in pack.card_keys.items():  # a card's key names its picture in the card cache
        assert (shipped.root / ".cache" / "cards" / key[:2] / f"{key}.png").read_bytes() == files[name]


def test_the_settings_file_is_an_input_of_the_pack(shipped, tmp_path):
    build_pack(shipped, options(tmp_path / "out"))
    (shipped.root / "campaign-gen.yaml").write_text("media_base_ur: https://example.org/packs\n", encoding="utf-8")
    again = build_pack(shipped, options(tmp_path / "out"))
    assert "settings.unknown-key" in {p.code for p in again.file_problems}


def test_posts_follow_a_templates_folder_that_is_a_link(shipped, rendered, tmp_path):
    held = shipped.root / "assets" / "post-templates"
    held.mkdir()
    for existing in (shipped.root / "templates" / "posts").glob("*.j2"):
        (held / existing.name).write_bytes(existing.read_bytes())  # the workspace's own, kept in the linked folder
    shutil.rmtree(shipped.root / "templates" / "posts", ignore_errors=True)
    (shipped.root / "templates").mkdir(exist_ok=True)
    (shipped.root / "templates" / "posts").symlink_to(held, target_is_directory=True)
    (held / "x.j2").write_text("{% extends language_base() %}\n", encoding="utf-8")
    build_pack(shipped, options(tmp_path / "out"))
    (held / "x.j2").write_text("{% extends language_base() %}\n{# a second version #}\n", encoding="utf-8")
    rendered.clear()
    build_pack(shipped, options(tmp_path / "out"))
    assert rendered  # the linked folder's files count among the templates


def test_a_cached_card_problem_names_the_card_that_finds_it(tmp_path):
    from generator.cards.cache import CardCache

    cache = CardCache(tmp_path)
    problem = {"severity": "error", "code": "card.contrast", "message": "low", "where": "one/first/en/square/statement: body"}
    cache.put("k" * 64, b"png", [problem], "one/first/en/square/statement")
    _, found = cache.get("k" * 64, "two/second/en/square/statement")
    assert found[0]["where"] == "two/second/en/square/statement: body"


def test_a_process_keeps_the_most_recently_used_values_only():
    from generator.workspace import Kept

    kept, made = Kept(2), []
    for key in ("a", "b", "a", "c", "b"):  # "b" was the least recently used when "c" came: made again
        kept.get(key, lambda key=key: made.append(key) or key.upper())
    assert made == ["a", "b", "c", "b"]
    assert kept.get("a") is None and kept.get("c") == "C"  # "a" went when "b" came back
    kept.put("d", "D")
    assert kept.get("b") is None and kept.get("d") == "D"
