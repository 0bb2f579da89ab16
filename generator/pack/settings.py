"""A workspace's own pack settings: `campaign-gen.yaml` at the workspace's root, optional.

    media_base_url: https://example.org/packs    # where out/ is published: image columns become URLs
    kit_limits:                                  # what a partner kit's build or check may use (docs/partners.md)
      cpu_seconds: 600
      memory_mb: 4096
      open_files: 1024
      wall_seconds: 900

Command-line options win over the file; the file wins over the defaults. Read with the same one-line errors,
naming file, line and key, as every other input.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from generator.errors import InvalidInput, UsageError
from generator.fields import HTTPS_LINK, Checker
from generator.partners.isolation import LIMIT_BOUNDS, KitLimits
from generator.workspace import Workspace
from generator.yamlfile import load_yaml

SETTINGS_FILE = "campaign-gen.yaml"
KEYS = ("media_base_url", "kit_limits")


@dataclass(frozen=True)
class Settings:
    media_base_url: str | None = None
    kit_limits: KitLimits = field(default_factory=KitLimits)
    warnings: tuple = ()  # unknown keys, with "did you mean"


def check_media_base_url(url: str | None) -> str | None:
    """`--media-base-url` as given, when it is an https address (schedulers fetch images over https). It is the
    address where the output folder is published: a card is at `<URL>/<pack folder>/cards/<file>`."""
    if url is not None and not HTTPS_LINK.match(url):
        raise UsageError(f"--media-base-url '{url}' is not an https address; expected e.g. "
                         "https://example.org/packs")
    return url


def load_settings(workspace: Workspace) -> Settings:
    path = workspace.root / SETTINGS_FILE
    if not path.exists():
        return Settings()
    document = load_yaml(path, workspace.display(path))
    check = Checker(document, "settings")
    check.mapping((), KEYS)
    url = check.string(("media_base_url",), required=False)
    check.https_link(("media_base_url",), url)
    limits = _kit_limits(check)
    if check.errors:
        raise InvalidInput(check.problems)
    return Settings(media_base_url=url or None, kit_limits=limits, warnings=tuple(check.problems))


def _kit_limits(check: Checker) -> KitLimits:
    """`kit_limits:`, each within its bounds; the defaults for what it leaves out."""
    names = [item.name for item in fields(KitLimits)]
    if not check.mapping(("kit_limits",), names, optional=True):
        return KitLimits()
    defaults = KitLimits()
    return KitLimits(**{name: check.integer(("kit_limits", name), required=False, low=LIMIT_BOUNDS[name][0],
                                            high=LIMIT_BOUNDS[name][1], default=getattr(defaults, name))
                        for name in names})
