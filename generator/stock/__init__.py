"""The stock files campaign-gen ships inside its package, so that an installed wheel works in any folder:

    templates/posts/*.j2      the stock post templates (docs/templates.md)
    templates/cards/*.yaml    the stock card layouts (docs/cards.md)
    fonts/                    the card fonts with their licence (OFL.txt); tools/build_fonts.py rebuilds them
    workspace/                what `campaign-gen init` writes into a new workspace (scaffold.py)

Lookup order, most specific first (docs/install.md): a partner kit's own templates/ (when building for that
kit), then the workspace's templates/, then templates/ here; fonts come from the workspace's assets/fonts/ when
it holds a font set with its licence (OFL.txt), else from fonts/ here. A workspace therefore needs no
templates/ or assets/fonts/ of its own: it adds a file only to change one.

Messages name a stock file by its path inside the package (`generator/stock/templates/cards/figure.yaml`), the
same on every machine, so reports stay byte-identical wherever they are built.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# Read through importlib.resources rather than from __file__: that is where the packaging system puts package
# data. The files are used as real paths (Jinja's loader walks folders, FreeType opens font files), which
# every way of installing campaign-gen gives (pip unpacks a wheel or an sdist into files; an editable install
# is the checkout itself); only an import from a zip file would not.
ROOT = Path(str(resources.files(__name__)))
TEMPLATES = ROOT / "templates"
FONTS = ROOT / "fonts"
SCAFFOLD = ROOT / "workspace"
DISPLAY_ROOT = "generator/stock"  # how messages name ROOT


def display(path: str | Path) -> str | None:
    """`generator/stock/templates/cards/figure.yaml` for a stock file; None for any other path."""
    try:
        relative = Path(path).resolve().relative_to(ROOT.resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    return f"{DISPLAY_ROOT}/{relative.as_posix()}" if relative.parts else DISPLAY_ROOT
