"""The peer's side of `benchmarks/cards.py --peer`: runs inside benchmarks/.peer-venv, never in the project's venv.

Renders one social card per job entry with mkdocs-material's social plugin, through the plugin's own per-page
entry point, SocialPlugin._generate(layout, page, config): the function a `mkdocs build` calls (from
on_page_markdown, in a thread) for each page. It renders the card's layers (background, logo, site name, title,
description; a layer whose inputs it has already rendered is reused, as in a real build), composites them and
writes the PNG. Only those calls are timed, on one core (concurrency 1); the site's configuration, the plugin's
setup and the pages are made beforehand, since a build does that once, not once per card.

The plugin fetches fonts from Google Fonts on first use, which this machine cannot reach: the job's font files
are laid in the plugin's font cache (cache_dir/fonts/<family>/<style>.ttf), where the plugin looks first.

    python social_peer.py JOB.json     # prints one JSON line: version, cards, cpu_seconds, png_bytes

JOB.json: {"work": empty folder, "family": font family name, "fonts": {"Regular": path, "Bold": path},
"site_name": text, "cards": [{"title", "description", "background_color", "color", "logo"}, ...]}.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from importlib.metadata import version
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

PLUGIN = "material/social"
LAYOUT = "default"  # the plugin's stock layout: 1200x630, background colour, logo, site name, title, description


def prepare_site(job: dict, work: Path):
    """A minimal MkDocs site using the plugin, with the job's fonts already in the plugin's font cache."""
    docs, cache = work / "docs", work / "cache"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Cards\n", encoding="utf-8")
    fonts = cache / "fonts" / job["family"]
    fonts.mkdir(parents=True)
    for style, path in job["fonts"].items():
        shutil.copyfile(path, fonts / f"{style}.ttf")
    settings = {
        "site_name": job["site_name"],
        "docs_dir": str(docs),
        "site_dir": str(work / "site"),
        "theme": {"name": "material"},
        "plugins": [{"social": {"cache_dir": str(cache), "concurrency": 1,
                                "cards_layout_options": {"font_family": job["family"]}}}],
    }
    config_file = work / "mkdocs.yml"
    config_file.write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
    config = load_config(str(config_file))
    plugin = config.plugins[PLUGIN]
    plugin.on_startup(command="build", dirty=False)
    plugin.on_config(config)
    plugin._resolve_layout(LAYOUT, config)  # loaded before the pages, as on_page_markdown does
    return config, plugin


def make_page(index: int, card: dict, config) -> Page:
    """A page whose front matter gives the card's title and description, and its campaign's colours and logo."""
    file = File(f"card-{index:05d}.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    page = Page(card["title"], file, config)
    options = {key: card[key] for key in ("background_color", "color", "logo")}
    page.meta = {"title": card["title"], "description": card["description"],
                 "social": {"cards_layout_options": options}}
    return page


def check_imaging() -> None:
    """Stop with what is missing when the plugin could not load its imaging libraries (it would only say so
    card by card): Pillow and CairoSVG from the `imaging` extra, and the Cairo C library CairoSVG loads."""
    from material.plugins.social import plugin as social

    if social.import_errors or social.cairosvg_error:
        problems = "; ".join(sorted(social.import_errors) + [social.cairosvg_error] * bool(social.cairosvg_error))
        sys.exit(f"the social plugin cannot render cards here: {problems} (it needs mkdocs-material[imaging] and "
                 "the Cairo library: on Debian, apt-get install libcairo2)")


def main(job_file: str) -> None:
    check_imaging()
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    config, plugin = prepare_site(job, Path(job["work"]))
    pages = [make_page(index, card, config) for index, card in enumerate(job["cards"])]
    start = time.process_time()  # every thread of this process: the plugin renders layers in its own pool
    written = [plugin._generate(LAYOUT, page, config) for page in pages]
    cpu = time.process_time() - start
    plugin.on_shutdown()
    print(json.dumps({
        "version": version("mkdocs-material"),
        "cards": len(written),
        "cpu_seconds": cpu,
        "png_bytes": sum(Path(file.abs_src_path).stat().st_size for file in written),
        "first_card": written[0].abs_src_path if written else None,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
