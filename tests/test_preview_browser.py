"""The preview page in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

A small pack (two platforms, English and Arabic, one week holding Orange Day) is built and opened from disk
as a person would open it: every post is visible, every card loaded, nothing logged to the console, and
Arabic posts run right to left. Skipped only where Chromium is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pack.build import build_pack
from generator.pack.model import PackOptions
from generator.dates import parse_week

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed "
                                "(apt-get install chromium; .ci/run does it)")

CHINESE = {"solidarity": "我们与每一位暴力幸存者站在一起。", "detection": "2020年，发现的贩运案件减少了11%。"}
ARABIC = {
    "solidarity": "نقف إلى جانب كل ناجية من العنف.",
    "detection": "في عام 2020، انخفض اكتشاف حالات الاتجار بنسبة 11%.",
}


@pytest.fixture
def pack(make_workspace, minimal_campaign_text):
    text = minimal_campaign_text.replace("languages: [en, fr]", "languages: [en, ar, zh]")
    text = text.replace("      fr: Nous sommes aux côtés de chaque survivante de violence.\n",
                        f"      ar: {ARABIC['solidarity']}\n      zh: {CHINESE['solidarity']}\n")
    text = text.replace("      en: In 2020, detection of trafficking cases fell by 11%.\n",
                        f"      en: In 2020, detection of trafficking cases fell by 11%.\n      ar: {ARABIC['detection']}\n"
                        f"      zh: {CHINESE['detection']}\n")
    # Every colour role given: the shipped card layouts use secondary and accent too.
    text = text.replace('    primary: "#F58220"\n', '    primary: "#F58220"\n    secondary: "#7A2E8E"\n    accent: "#8A1538"\n')
    workspace = make_workspace({"minimal.yaml": text})
    return build_pack(workspace, PackOptions(parse_week("2026-W48"), jobs=2))


def test_preview_in_chromium(pack, tmp_path):
    from playwright.sync_api import sync_playwright

    console = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda err: console.append(f"pageerror: {err}"))
            page.on("requestfailed", lambda request: console.append(f"requestfailed: {request.url}"))
            page.goto((pack.folder / "index.html").as_uri(), wait_until="load")

            articles = page.locator("article.post")
            assert articles.count() == len(pack.posts) > 0
            for index in range(articles.count()):
                assert articles.nth(index).is_visible()
            assert page.locator("#shown").inner_text() == f"{len(pack.posts)} shown"

            # Cards load lazily: each one scrolled to is loaded, at the size its attributes reserved for it.
            reserved = page.eval_on_selector_all("article.post img", "imgs => imgs.map(i => i.getBoundingClientRect()"
                                                 ".height)")
            assert all(height > 50 for height in reserved), reserved  # the layout does not wait for the pictures
            for image in page.locator("article.post img").all():
                image.scroll_into_view_if_needed()
            page.wait_for_function("[...document.querySelectorAll('article.post img')].every(i => i.complete)")
            images = page.eval_on_selector_all("article.post img", "imgs => imgs.map(i => [i.getAttribute('src'), "
                                               "i.complete, i.naturalWidth, i.loading])")
            expected = [post.card_files[0] for post in pack.posts if post.card_files]
            assert [src for src, _, _, _ in images] == expected
            assert all(complete and width > 0 and lazy == "lazy" for _, complete, width, lazy in images), images

            directions = page.eval_on_selector_all("article.post[data-language=ar] .text", "els => els.map(e => "
                                                   "[e.getAttribute('dir'), getComputedStyle(e).direction])")
            assert directions and all(d == ["rtl", "rtl"] for d in directions)
            assert page.locator("article.post[data-language=en] .text[dir=ltr]").count() > 0

            # The filters work: one language at a time, and back.
            page.select_option("select[name=language]", "ar")
            arabic_posts = sum(post.post.language == "ar" for post in pack.posts)
            assert page.locator("article.post:visible").count() == arabic_posts
            page.select_option("select[name=language]", "")
            assert page.locator("article.post:visible").count() == len(pack.posts)

            # Chinese is drawn with the pack's own font: Debian's chromium here has no CJK font of its own
            # (fonts-noto-cjk is not installed), so without it every character would be a box.
            page.evaluate("document.fonts.ready")
            faces = page.evaluate("[...document.fonts].map(f => [f.family, f.weight, f.status])")
            loaded = [[a.strip('"'), b, c] for a, b, c in faces]
            assert ["Pack CJK", "400", "loaded"] in loaded and ["Pack Arabic", "400", "loaded"] in loaded
            assert page.evaluate("document.fonts.check('15px \"Pack CJK\"', '幸存者')")
            chinese = page.locator("article.post[data-language=zh] .text").first
            assert "我们与每一位暴力幸存者站在一起" in chinese.inner_text() or "11%" in chinese.inner_text()

            # The calendar: the whole month's plan, the pack's own days linked to their posts.
            assert page.locator(".calendar table.month caption").all_inner_texts() == ["November 2026"]
            orange_day = page.locator(".month td[data-date='2026-11-25']")
            assert orange_day.locator("li").all_inner_texts() == ["minimal solidarity"]
            assert page.locator(".month td.in-pack").count() == 7
            assert page.locator(".month td.other li").count() > 0  # the rest of November is planned too
            orange_day.locator("a.date").click()
            assert page.evaluate("location.hash") == "#day-2026-11-25"
            assert page.locator("#day-2026-11-25").is_visible()

            page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
        finally:
            browser.close()
    assert console == []
    assert (tmp_path / "preview.png").stat().st_size > 0
