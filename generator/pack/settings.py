"""A workspace's own pack settings: `campaign-gen.yaml` at the workspace's root, optional.

    media_base_url: https://example.org/packs    # where out/ is published: image columns become URLs

Command-line options win over the file; the file wins over the defaults. Read with the same one-line errors,
naming file, line and key, as every other input.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import InvalidInput, UsageError
from generator.fields import HTTPS_LINK, Checker
from generator.workspace import Workspace
from generator.yamlfile import load_yaml

SETTINGS_FILE = "campaign-gen.yaml"
KEYS = ("media_base_url",)


@dataclass(frozen=True)
class Settings:
    media_base_url: str | None = None
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
    if check.errors:
        raise InvalidInput(check.problems)
    return Settings(media_base_url=url or None, warnings=tuple(check.problems))
