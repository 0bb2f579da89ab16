"""Rendering image cards: formats, fitting, scripts, emoji, contrast, images, determinism and the cache."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageFont, features

from cardsupport import WORKSPACE, build_campaign
from generator.cards import fonts
from generator.cards.images import MAX_IMAGE_PIXELS
from generator.cards.draw import plan_card
from generator.cards import CardRequest, render_card, render_cards
from generator.cards.resolve import Resolver, body_without_headline, default_alt_text
from generator.errors import CampaignGenError, InputFileError
from generator.cards.fonts import FONT_DIR, library
from generator.platforms import card_formats
from generator.yamlfile import load_yaml


@pytest.fixture(scope="module")
def campaign():
    return build_campaign()


def request(campaign, message="seven-in-ten", language="en", card_format="square", layout="statement", **extra):
    return CardRequest(campaign, message, language, card_format, layout, platforms=(), workspace=WORKSPACE, **extra)


def codes(result):
    return [problem.code for problem in result.problems]


@pytest.mark.parametrize("card_format", card_formats())
def test_every_format_has_its_size_and_mode(campaign, card_format):
    result = render_card(request(campaign, card_format=card_format))
    assert result.problems == []
    image = Image.open(io.BytesIO(result.png))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", (card_formats()[card_format].width,
                                                                       card_formats()[card_format].height))
    assert image.info == {}  # no metadata chunks: no time stamps, no software name


def test_the_longest_message_fits_every_format_and_layout(campaign):
    """Plans only (no drawing): the longest text of each language, in every format and shipped layout."""
    longest = {}
    for message in campaign.messages:
        for language, text in message.text.items():
            if len(text) > len(longest.get(language, ("", ""))[1]):
                longest[language] = (message.id, text)
    resolver = Resolver()
    for language, (message_id, _text) in longest.items():
        for card_format in card_formats():
            for layout in ("statement", "figure"):
                spec = resolver.resolve(request(campaign, message_id, language, card_format, layout)).spec
                plan = plan_card(spec, library())
                assert plan.problems == [], (language, card_format, layout)


def test_text_that_cannot_fit_is_an_error_naming_the_card(campaign):
    long_text = "Every survivor deserves to be believed and supported. " * 40
    result = render_card(request(campaign, texts={"body": long_text}))
    assert result.png is None
    [problem] = result.problems
    assert problem.code == "card.overflow" and problem.is_error
    assert problem.where == "cards-test/seven-in-ten/en/square/statement: body"
    assert problem.message.startswith("the text does not fit: needs ")
    assert "at the minimum size 24 px" in problem.message


def test_a_word_wider_than_the_box_is_an_error(campaign):
    result = render_card(request(campaign, texts={"headline": "W" * 60}))
    [problem] = result.problems
    assert problem.code == "card.overflow"
    assert "px wide at the minimum size 41 px; the box is 936 px wide" in problem.message


def test_arabic_is_shaped_joined_glyphs_change_the_width():
    assert features.check("raqm")
    text = "للناجيات الحق في الأمان"
    path = FONT_DIR / fonts.FAMILIES["arabic"]["regular"]
    assert path.is_file()  # Pillow would otherwise find a system font of that name
    shaped = ImageFont.truetype(path, 48, layout_engine=ImageFont.Layout.RAQM).getlength(text, direction="rtl")
    unshaped = ImageFont.truetype(path, 48, layout_engine=ImageFont.Layout.BASIC).getlength(text)
    assert abs(shaped - unshaped) > 5


def test_arabic_card_is_right_to_left_and_mirrored(campaign):
    spec = Resolver().resolve(request(campaign, language="ar")).spec
    plan = plan_card(spec, library())
    assert plan.problems == []
    logo = next(op for op in plan.ops if op[0] == "image")
    assert logo[3][0] > card_formats()["square"].width // 2  # the logo moved to the right
    body = [op for op in plan.ops if op[0] == "text" and op[4] == "arabic"]
    assert body and all(op[8] == "rtl" for op in body)
    right_edges = {op[1] + round(library().length(op[3], "arabic", op[5], op[6], "rtl", "ar")) for op in body
                   if op[3].startswith("من بين")}
    assert right_edges and all(abs(edge - (1080 - 72)) <= 2 for edge in right_edges)  # aligned to the right


@pytest.mark.parametrize("language", ["en", "ar", "zh", "ru", "el"])
def test_every_script_renders_without_problems(campaign, language):
    result = render_card(request(campaign, language=language, card_format="portrait", layout="figure"))
    assert result.problems == [] and result.png


def test_a_character_no_font_covers_is_an_error_not_a_box(campaign):
    result = render_card(request(campaign, texts={"body": "Solidarity: ሰላም"}))
    assert result.png is None
    [problem] = result.problems
    assert problem.code == "card.uncovered"
    assert "'ሰ' (U+1230 ETHIOPIC SYLLABLE SA)" in problem.message


def test_every_character_of_the_test_campaign_is_covered(campaign):
    for message in campaign.messages:
        for language, text in message.text.items():
            assignment = library().assign(text + (message.headline.get(language) or ""), language)
            assert assignment.uncovered == [] and assignment.dropped_emoji == []


def test_emoji_are_drawn_in_colour_and_a_missing_one_is_left_out_with_a_warning(campaign):
    drawn = render_card(request(campaign, texts={"body": "Together 🧡"}))
    assert drawn.problems == []
    body_box = (72, 72 + round(0.53 * 936), 72 + 936, 72 + round(0.84 * 936))  # statement's body, square
    pixels = Image.open(io.BytesIO(drawn.png)).convert("RGB").crop(body_box)
    colours = [colour for _count, colour in pixels.getcolors(maxcolors=1_000_000)]
    assert any(r > 200 and 100 < g < 180 and b < 80 for r, g, b in colours)  # the orange heart
    with_selector = render_card(request(campaign, texts={"body": "I ❤️ you ✊🏽"}))  # VS16 and a skin tone
    assert with_selector.problems == []
    missing = render_card(request(campaign, texts={"body": "Together 🦩"}))
    assert codes(missing) == ["card.emoji-missing"] and not missing.problems[0].is_error
    assert missing.png is not None


def test_white_text_on_unite_orange_fails_contrast_with_the_ratio(campaign):
    orange = {"secondary": "#F58220", "accent": "#F58220"}
    result = render_card(request(campaign, layout="figure", colours=orange))
    contrast = [p for p in result.problems if p.code == "card.contrast"]
    assert contrast and all(p.is_error for p in contrast)
    headline = next(p for p in contrast if p.where.endswith(": headline"))
    assert "contrast 2.59:1 between the text #FFFFFF and #F58220 behind it is below 3:1" in headline.message


def test_shaping_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(fonts.features, "check", lambda name: False)
    with pytest.raises(CampaignGenError) as raised:
        fonts.check_shaping_support("مرحبا")
    assert "apt-get install libraqm0 libfribidi0" in str(raised.value)
    fonts.check_shaping_support("plain Latin needs no shaping")


def test_two_renders_are_byte_identical(campaign, tmp_path, monkeypatch):
    from generator.cards import pool

    monkeypatch.setattr(pool, "IN_PROCESS_BATCH", 0)  # two cards: drawn by the pool's workers all the same
    first = render_card(request(campaign, language="zh", card_format="story", layout="figure"))
    second = render_card(request(campaign, language="zh", card_format="story", layout="figure"))
    assert first.png == second.png and first.cache_key == second.cache_key
    pooled = render_cards([request(campaign, language="zh", card_format="story", layout="figure", name="a"),
                           request(campaign, card_format="landscape", name="b")], tmp_path, jobs=2)
    assert (tmp_path / "a.png").read_bytes() == first.png
    assert [r.name for r in pooled] == ["a", "b"]



def test_kept_workers_draw_every_batch_and_are_all_gone_once_released(campaign, tmp_path):
    """`serve` keeps one pool for its life: two cards are drawn by its workers (not in this process), the same
    workers draw the next build's, and releasing them leaves no process behind; a process forked from the
    keeper (a kit's build) does not use the keeper's pool."""
    import multiprocessing

    from generator.cards import pool

    pool.keep_workers(2)
    try:
        first = render_cards([request(campaign, name="a"), request(campaign, card_format="story", name="b")],
                             tmp_path / "one", jobs=2)
        workers = {process.pid for process in multiprocessing.active_children()}
        second = render_cards([request(campaign, card_format="landscape", name="c"),
                               request(campaign, card_format="portrait", name="d")], tmp_path / "two", jobs=2)
        assert workers and {process.pid for process in multiprocessing.active_children()} == workers
        assert all(result.path.is_file() for result in first + second)
        assert (tmp_path / "one" / "a.png").read_bytes() == render_card(request(campaign)).png
        kept = dict(pool._kept)
        pool._kept["pid"] = -1  # as seen from a forked child: not its pool
        assert pool._kept_pool(str(fonts.FONT_DIR)) is None
        pool._kept.update(kept)
    finally:
        pool.release_workers()
    assert multiprocessing.active_children() == []


def test_a_worker_ends_quietly_on_sigterm_whatever_handler_its_parent_has(campaign, tmp_path):
    """The CLI turns SIGTERM into a clean-up (KeyboardInterrupt); a worker forked from it must not inherit that:
    `kill` of a serve session's process group printed a traceback for each kept worker."""
    import multiprocessing
    import signal

    from generator.cards import pool

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    pool.keep_workers(2)
    try:
        render_cards([request(campaign, name="a"), request(campaign, card_format="story", name="b")], tmp_path,
                     jobs=2)
        worker = multiprocessing.active_children()[0]
        os.kill(worker.pid, signal.SIGTERM)
        worker.join(30)
        assert worker.exitcode == -signal.SIGTERM  # ended by the signal itself, not by a KeyboardInterrupt
    finally:
        pool.release_workers()
        signal.signal(signal.SIGTERM, previous)


def test_a_workspace_font_saved_anew_is_loaded_again(tmp_path):
    folder = tmp_path / "fonts"
    shutil.copytree(FONT_DIR, folder)
    first = library(str(folder))
    assert library(str(folder)) is first
    regular = folder / fonts.FAMILIES["sans"]["regular"]
    regular.write_bytes((folder / fonts.FAMILIES["sans"]["bold"]).read_bytes())  # another font under its name
    again = library(str(folder))
    assert again is not first and again.digest != first.digest


def test_a_logo_saved_anew_is_decoded_again(tmp_path):
    from generator.cards.images import ImageCache

    logo = tmp_path / "logo.png"
    Image.new("RGBA", (20, 20), "orange").save(logo)
    images = ImageCache()
    assert images.scaled(str(logo), "logo.png", (10, 10), "contain").getpixel((5, 5))[:3] == (255, 165, 0)
    Image.new("RGBA", (20, 20), "purple").save(logo)
    os.utime(logo, ns=(1, 1))  # even with a clock that did not move: the size or the time differs
    assert images.scaled(str(logo), "logo.png", (10, 10), "contain").getpixel((5, 5))[:3] == (128, 0, 128)


def test_asking_for_more_jobs_than_cores_starts_one_worker_per_core(campaign, tmp_path, monkeypatch):
    from generator.cards import pool

    started = []
    real = pool.ProcessPoolExecutor

    def recording(*args, max_workers, **kwargs):
        started.append(max_workers)
        return real(*args, max_workers=max_workers, **kwargs)

    monkeypatch.setattr(pool, "ProcessPoolExecutor", recording)
    monkeypatch.setattr(pool, "IN_PROCESS_BATCH", 0)
    monkeypatch.setattr(pool.os, "cpu_count", lambda: 2)
    requests = [request(campaign, card_format=name, name=name) for name in ("square", "landscape", "story")]
    results = render_cards(requests, tmp_path, jobs=1000)
    assert started == [2] and all(result.path.is_file() for result in results)

def test_cache_hits_and_misses(campaign, tmp_path):
    cache = tmp_path / "cache"
    requests = [request(campaign, card_format=f, name=f) for f in ("square", "linkedin")]
    cold = render_cards(requests, tmp_path / "one", jobs=1, cache_dir=cache)
    warm = render_cards(requests, tmp_path / "two", jobs=1, cache_dir=cache)
    assert [r.cached for r in cold] == [False, False] and [r.cached for r in warm] == [True, True]
    for name in ("square", "linkedin"):
        assert (tmp_path / "one" / f"{name}.png").read_bytes() == (tmp_path / "two" / f"{name}.png").read_bytes()
        assert (tmp_path / "two" / f"{name}.alt.txt").read_text(encoding="utf-8").startswith("7 in 10 are women")
    recoloured = render_cards([request(campaign, name="square", colours={"accent": "#222222"})],
                              tmp_path / "three", jobs=1, cache_dir=cache)
    assert recoloured[0].cached is False and recoloured[0].cache_key != cold[0].cache_key


def test_cache_key_changes_with_the_logo_bytes(campaign, tmp_path):
    logo = tmp_path / "logo.png"
    shutil.copy(campaign.brand.logo_path, logo)
    before = render_card(request(campaign, logo=logo)).cache_key
    Image.new("RGBA", (64, 64), (20, 20, 20, 255)).save(logo)
    assert render_card(request(campaign, logo=logo)).cache_key != before


def test_alt_text_is_what_the_card_says_without_boilerplate(campaign):
    result = render_card(request(campaign))
    assert result.alt_text == (
        "7 in 10 are women and girls. "
        "For every 10 people detected as trafficked, 5 are women and 2 are girls. Survivors deserve safety, "
        "support and justice 🧡 Source: UNODC, Global Report on Trafficking in Persons 2020 (2021)")


def test_alt_text_is_in_the_card_language(campaign):
    result = render_card(request(campaign, language="zh"))
    assert result.alt_text.startswith("十分之七是妇女和女童。在每10名")
    assert result.alt_text.endswith("来源：UNODC，Global Report on Trafficking in Persons 2020 (2021)")


def test_missing_logo_is_a_one_line_error(campaign, tmp_path):
    with pytest.raises(InputFileError) as raised:
        render_card(request(campaign, logo=tmp_path / "nowhere.png"))
    assert str(raised.value).endswith("nowhere.png: image file not found")
    assert "\n" not in str(raised.value)


def test_corrupt_logo_is_a_one_line_error(campaign, tmp_path):
    logo = tmp_path / "broken.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 10)
    with pytest.raises(InputFileError) as raised:
        render_card(request(campaign, logo=logo))
    assert "broken.png: " in str(raised.value) and "\n" not in str(raised.value)


def test_a_decompression_bomb_is_refused_before_decoding(campaign, tmp_path):
    logo = tmp_path / "huge.png"
    Image.new("1", (8000, 6000)).save(logo)  # 48 million pixels in a file of a few kB
    with pytest.raises(InputFileError) as raised:
        render_card(request(campaign, logo=logo))
    assert f"huge.png: image is 8000x6000 (48,000,000 pixels); the limit is {MAX_IMAGE_PIXELS:,}" in str(raised.value)


def test_debug_draws_the_safe_area(campaign):
    plain = Image.open(io.BytesIO(render_card(request(campaign)).png))
    debug = Image.open(io.BytesIO(render_card(request(campaign, debug=True)).png))
    assert plain.getpixel((500, 73)) == (255, 255, 255)
    assert debug.getpixel((500, 73)) == (0, 160, 255)


def test_a_card_that_cannot_be_drawn_leaves_an_existing_file_alone(campaign, tmp_path):
    existing = tmp_path / "mine.png"
    existing.write_bytes(b"a picture someone already has")
    long_text = "Every survivor deserves to be believed and supported. " * 40
    [result] = render_cards([request(campaign, texts={"body": long_text}, name="mine")], tmp_path, jobs=1)
    assert [problem.code for problem in result.problems] == ["card.overflow"]
    assert existing.read_bytes() == b"a picture someone already has"


WORKER_PARENT = """
import sys, time
from concurrent.futures import ProcessPoolExecutor
from generator.cards import pool
from generator.cards.fonts import FONT_DIR

executor = ProcessPoolExecutor(max_workers=2, initializer=pool._start_worker, initargs=(str(FONT_DIR),))
futures = [executor.submit(time.sleep, 120) for _ in range(2)]
time.sleep(3)
print(" ".join(str(pid) for pid in executor._processes), flush=True)
time.sleep(120)
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie (a container's first process may never reap an orphan that has exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc (Linux)")
def test_card_workers_exit_when_the_build_that_started_them_is_killed():
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-c", WORKER_PARENT], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 2 and all(_running(pid) for pid in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 20  # a liveness bound, not a speed target: the watch looks once a second
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        assert not [pid for pid in workers if _running(pid)]
    finally:
        for pid in workers:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("headline, body, expected", [
    ("Survivors at the centre", "Put survivors at the centre. Believe them.", "Believe them."),
    ("以幸存者为中心", "以幸存者为中心。相信她们。", "相信她们。"),
    ("الناجيات في صميم العمل", "ضعوا الناجيات في صميم العمل. صدّقوهن.", "صدّقوهن."),
    ("Orange the world", "For every 10 victims, 5 are women. Orange the world.", None),  # not its first sentence
    ("Survivors at the centre", "Put survivors at the centre.", None),  # the body is never emptied
    ("Act", "Act now to end violence against women everywhere. Join us.", None),  # more than the headline
])
def test_the_card_body_never_repeats_the_headline(headline, body, expected):
    assert body_without_headline(headline, body) == (body if expected is None else expected)


def test_alt_text_says_each_sentence_once_and_keeps_to_the_shortest_limit():
    parts = ["Orange the world", "Orange the world. " + "Every survivor deserves support. " * 40,
             "Source: UNODC"]
    text = default_alt_text(parts, "en", ["x", "mastodon"])
    assert text.startswith("Orange the world. Every survivor deserves support.")
    assert text.count("Orange the world") == 1 and text.count("Every survivor deserves support.") == 1
    long_parts = ["Headline", " ".join(f"Sentence number {n} of a very long card text." for n in range(80)), "Source: X"]
    shortened = default_alt_text(long_parts, "en", ["x"])  # X allows 1 000 characters of alt text
    assert len(shortened) <= 1000 and shortened.endswith("…") and "Source: X" not in shortened
    assert default_alt_text(long_parts, "en", []).endswith("Source: X")  # no target: nothing to keep to


def test_a_flat_cards_palette_keeps_its_brand_colours_exact_or_is_not_used():
    """A palette PNG only when every main colour comes out exact: Pillow's palette mapping can move a colour
    by a few levels (#F3ECF8 to 242,235,247), which a brand cannot take."""
    from generator.cards.png import MAIN_COLOUR_SHARE, encode_png

    image = Image.new("RGB", (200, 200), (0xF3, 0xEC, 0xF8))
    for shade in range(0, 250, 1):  # many rare shades near the background, as antialiasing makes
        image.putpixel((shade % 200, 100 + shade // 200), (0xF3 - shade % 7, 0xEC - shade % 5, 0xF8 - shade % 3))
    image.paste((0x4A, 0x1A, 0x6B), (10, 10, 60, 60))
    decoded = Image.open(io.BytesIO(encode_png(image, palette=True))).convert("RGB")
    main = {c for n, c in image.getcolors(40000) if n >= MAIN_COLOUR_SHARE * 40000}
    assert main <= {c for _, c in decoded.getcolors(40000)}


def test_a_card_with_more_colours_than_a_flat_one_has_is_stored_rgb_and_unchanged():
    """Thousands of distinct colours are no text on flat colours (a photo, a smooth shading the layout did not
    announce): a palette would band them, so the card stays RGB, pixel for pixel."""
    from generator.cards.png import FLAT_CARD_COLOURS, encode_png

    image = Image.new("RGB", (256, 256))
    image.putdata([(x, y, (x * y) % 256) for y in range(256) for x in range(256)])  # 65,536 colours
    assert len(image.getcolors(1 << 17)) > FLAT_CARD_COLOURS
    decoded = Image.open(io.BytesIO(encode_png(image, palette=True)))
    assert decoded.mode == "RGB" and decoded.tobytes() == image.tobytes()


def test_an_image_or_layout_saved_again_is_read_again(tmp_path):
    """A process remembers the images and layouts it checked (a logo is on every card), by file version: a file
    saved again (as `serve` sees while a partner edits) is checked and read again, errors and all."""
    from generator.cards.images import check_image
    from generator.cards.layouts import load_layout

    picture = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "orange").save(picture)
    assert check_image(picture, "logo.png") == (40, 20)
    picture.write_bytes(picture.read_bytes()[:60])  # the same file, truncated by a bad copy
    with pytest.raises(InputFileError, match="corrupt or truncated"):
        check_image(picture, "logo.png")

    layout = tmp_path / "mine.yaml"
    layout.write_text("layers:\n  - {id: ground, type: background, colour: primary}\n", encoding="utf-8")
    assert [layer.id for layer in load_layout(layout, "mine.yaml").layers] == ["ground"]
    layout.write_text("layers:\n  - {id: ground, type: background, colour: primary}\n"
                      "  - {id: headline, type: headline, box: {x: 0.1, y: 0.1, w: 0.8, h: 0.5}, size: {min: 24, max: 60}}\n", encoding="utf-8")
    assert [layer.id for layer in load_layout(layout, "mine.yaml").layers] == ["ground", "headline"]
    layout.write_text("layers: [", encoding="utf-8")
    with pytest.raises(CampaignGenError):
        load_layout(layout, "mine.yaml")


PLAIN_TEXTS = load_yaml(Path(__file__).parent / "data" / "cards" / "plain_text.yaml", expect_mapping=False).data


@pytest.mark.parametrize("case", PLAIN_TEXTS, ids=[repr(case["source"])[:40] for case in PLAIN_TEXTS])
def test_words_without_template_syntax_come_out_as_the_sandbox_renders_them(case):
    from generator.cards.resolve import plain_text
    from generator.render import create_environment

    env = create_environment(WORKSPACE)
    plain = plain_text(env, case["source"])
    if case.get("plain", True):
        assert plain == env.from_string(case["source"]).render()
    else:
        assert plain is None
