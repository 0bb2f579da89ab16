"""Count the import arrows between the package's own modules (for the module-map note in issue #10).

An arrow is one (importer, imported) pair of generator modules, whether imported at the top or inside a
function; `from generator.cards import draw` counts as an arrow to generator.cards.draw when that module
exists, else to generator.cards.

    python tools/import_map.py            # the arrow counts and the module count
    python tools/import_map.py --list     # every arrow, one per line

It also counts the arrows between stages, where a stage is a subpackage (cards, partners, pack) or a
top-level module: what a newcomer has to hold in mind to follow the data flow.
"""

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST, known: set[str], here: str, is_package: bool) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".") if is_package else here.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in known and name != here)
    return found


def arrows() -> set[tuple[str, str]]:
    files = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(path) for path in files}
    pairs = set()
    for path in files:
        here = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target in imported_modules(tree, known, here, path.name == "__init__.py"):
            pairs.add((here, target))
    return pairs


def stage(module: str) -> str:
    """generator.cards.draw -> generator.cards; generator.posts -> generator.posts."""
    parts = module.split(".")
    is_package = (PACKAGE.parent.joinpath(*parts[:2]) / "__init__.py").is_file()
    return ".".join(parts[:2]) if len(parts) > 2 or is_package else module


if __name__ == "__main__":
    found = arrows()
    if "--list" in sys.argv:
        for importer, imported in sorted(found):
            print(f"{importer} -> {imported}")
    modules = len(list(PACKAGE.rglob("*.py")))
    stages = {(stage(a), stage(b)) for a, b in found if stage(a) != stage(b)}
    print(f"{len(found)} import arrows between {modules} modules; "
          f"{len(stages)} between {len({stage(m) for pair in found for m in pair})} stages")
