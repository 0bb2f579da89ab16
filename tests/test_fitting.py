"""Fitting a post to its platform: each step in order, threads split at sentence boundaries with every part
within the limit by the platform's own counter, and the length.over error when nothing fits. Never a cut."""

from __future__ import annotations

import re

import pytest

from generator import fitting, platforms
from generator.posts import build_post
from posts_helpers import make_campaign, message, sentences

LINK = "https://www.unwomen.org/en/what-we-do/ending-violence-against-women"


@pytest.fixture
def workspace(make_workspace):
    return make_workspace()


def build(workspace, msg, platform="x", **campaign_options):
    campaign = make_campaign([msg], **campaign_options)
    return build_post(campaign, msg, platform, "en", workspace=workspace)


def test_as_written_when_it_fits(workspace):
    post = build(workspace, message("m", sentences(1), short=sentences(1)[:20]))
    assert post.fitting == "as-written"
    assert post.parts == (post.text,)
    # x recommends two hashtags: the required one, then the first suggested one
    assert post.text == f"{sentences(1)}\n\n#OrangeDay #EndViolenceAgainstWomen"
    assert post.count == platforms.get("x").count(post.text) <= post.limit


def test_short_variant_when_the_text_is_too_long(workspace):
    post = build(workspace, message("m", sentences(5), short=sentences(1)))
    assert post.fitting == "short"
    assert post.text.startswith(sentences(1) + "\n\n#OrangeDay")
    assert post.count <= post.limit and not [p for p in post.problems if p.is_error]


def test_suggested_hashtags_dropped_but_required_kept(workspace):
    x = platforms.get("x")
    # the longest short variant that fits with the required tag alone, but not with a suggested one too
    words = sentences(6).split()
    fits = [n for n in range(1, len(words)) if x.count(" ".join(words[:n]).rstrip(".,") + ".\n\n#OrangeDay") <= x.limit]
    short = " ".join(words[:max(fits)]).rstrip(".,") + "."
    assert x.count(f"{short}\n\n#OrangeDay #EndViolenceAgainstWomen") > x.limit
    post = build(workspace, message("m", sentences(6), short=short))
    assert post.fitting == "without-suggested-hashtags"
    assert post.text == f"{short}\n\n#OrangeDay"
    assert post.tags == ("OrangeDay",)


def test_thread_split_at_sentences_each_part_within_the_platform_count(workspace):
    text = sentences(14)
    post = build(workspace, message("m", text, link=LINK))
    x = platforms.get("x")
    assert post.fitting == "thread"
    total = len(post.parts)
    assert total >= 3
    for index, part in enumerate(post.parts, 1):
        assert x.count(part) <= x.limit  # the platform's own counter, markers included
        assert part.endswith(f" {index}/{total}")
    assert "#OrangeDay" in post.parts[0]  # required hashtags on the first part
    assert "#EndViolenceAgainstWomen" not in post.text  # suggested ones dropped for the thread
    assert post.count == max(x.count(part) for part in post.parts)
    assert post.text == "\n\n".join(post.parts)
    # nothing cut: without markers and hashtags, the parts hold every sentence, whole and in order
    body = " ".join(re.sub(r" \d+/\d+$", "", part).replace("\n\n#OrangeDay", "").replace("\n\n", " ")
                    for part in post.parts)
    assert body == f"{text} {LINK}"


@pytest.mark.parametrize("platform", ["bluesky", "mastodon", "threads"])
def test_threads_on_every_platform_that_has_them(workspace, platform):
    rules = platforms.get(platform)
    count = 1
    while rules.count(sentences(count)) <= rules.limit:
        count += 1
    post = build(workspace, message("m", sentences(count + 2)), platform)
    assert post.fitting == "thread"
    assert all(rules.count(part) <= rules.limit for part in post.parts)


def test_length_over_when_the_platform_has_no_threads(workspace):
    rules = platforms.get("linkedin")
    count = 1
    while rules.count(sentences(count)) <= rules.limit:
        count += 1
    post = build(workspace, message("m", sentences(count)), "linkedin")
    over = [p for p in post.problems if p.code == "length.over"]
    assert [p.message for p in over] == [
        f"demo: message 'm' in 'en' on linkedin: {post.count}/{rules.limit} ({post.count - rules.limit} over) "
        "after every fitting step (as-written, without-suggested-hashtags); shorten the text or add a shorter "
        "'short' variant"]
    assert over[0].where == "demo/m/linkedin/en"
    assert sentences(count) in post.text  # never truncated


def test_length_over_when_one_sentence_is_longer_than_a_part(workspace):
    sentence = "Survivors " + "and their families " * 20 + "deserve protection."
    post = build(workspace, message("m", sentence))
    assert post.fitting == "without-suggested-hashtags"
    assert [p.code for p in post.problems if p.is_error] == ["length.over"]
    assert sentence in post.text


@pytest.mark.parametrize("text, expected", [
    ("One. Two! Three? Four", [(0, "One."), (0, "Two!"), (0, "Three?"), (0, "Four")]),
    ("One.\n\nhttps://example.org\n\n#Tag", [(0, "One."), (1, "https://example.org"), (2, "#Tag")]),
    ("她们有权。我们倾听！", [(0, "她们有权。"), (0, "我们倾听！")]),
    ("هل تعلم؟ نعم.", [(0, "هل تعلم؟"), (0, "نعم.")]),
    ("She said “enough.” We agree.", [(0, "She said “enough.”"), (0, "We agree.")]),
])
def test_sentences(text, expected):
    assert fitting.sentences(text) == expected


def test_split_thread_never_cuts_a_sentence():
    assert fitting.split_thread("A sentence far too long for the limit.", "", len, 20) is None


def test_split_thread_marker_width_counts():
    """Nine parts have one-digit markers; ten have two: the packing is redone until the markers match."""
    units = " ".join(f"Sentence {chr(65 + i)}." for i in range(10))
    parts = fitting.split_thread(units, "", len, len("Sentence J. 10/10"))
    assert parts is not None and len(parts) == 10
    assert parts[9] == "Sentence J. 10/10"


def test_a_chinese_thread_is_joined_without_ascii_spaces():
    """Chinese sentences follow each other, and the part marker follows them, with no space (Latin keeps it)."""
    x = platforms.get("x")
    text = "这是第一句话，讲述了幸存者的故事。" * 6 + "这是第二句话。" * 6
    parts = fitting.split_thread(text, "#OrangeDay", x.count, x.limit)
    assert parts and len(parts) == 2
    assert " " not in parts[1] and parts[1].endswith("。2/2")
    assert parts[0].endswith("\n\n#OrangeDay 1/2") and " 这" not in parts[0]


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_a_long_text_is_given_up_on_after_the_longest_thread_counting_each_part_a_few_times(size):
    """A template can render any length: the split stops past MAX_PARTS parts, and counts each part a
    logarithmic number of times (it once recounted a part per sentence: 29 s for 10 kB; benchmarks/guards.py)."""
    x = platforms.get("x")
    calls = []

    def counting(text):
        calls.append(len(text))
        return x.count(text)

    assert fitting.split_thread(("Go. " * size)[:size], "#OrangeTheWorld", counting, x.limit) is None
    assert len(calls) < 30 * (fitting.MAX_PARTS + 1) and sum(calls) < 40 * x.limit * (fitting.MAX_PARTS + 1)


def test_a_full_thread_packs_as_many_sentences_as_fit_in_each_part():
    """The same parts as adding one sentence at a time, the plain way the faster search must agree with."""
    x = platforms.get("x")
    units = fitting.sentences(" ".join(f"Sentence number {n} of a long message." for n in range(150)))
    parts = fitting.split_thread(" ".join(sentence for _, sentence in units), "#OrangeTheWorld", x.count, x.limit)
    assert parts is not None and len(parts) > 9 and all(x.count(part) <= x.limit for part in parts)
    expected, current = [], []
    for unit in units:
        if x.count(fitting._part(current + [unit], "#OrangeTheWorld", len(expected) + 1, len(parts))) > x.limit:
            expected.append(fitting._part(current, "#OrangeTheWorld", len(expected) + 1, len(parts)))
            current = []
        current.append(unit)
    expected.append(fitting._part(current, "#OrangeTheWorld", len(expected) + 1, len(parts)))
    assert list(parts) == expected
