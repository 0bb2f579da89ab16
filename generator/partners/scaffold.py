"""`campaign-gen partner init NAME`: a new partner kit, ready to edit.

Writes partners/NAME/partner.yaml with every key explained (French and English example values) and copies of
the chosen templates (the workspace's own, else the stock ones) into partners/NAME/templates/, at the same
relative paths so they override them. Everything is checked before anything is written, and the kit is built
in a temporary folder that is renamed into place, so a refused request leaves nothing behind.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

from generator.workspace import temporary_folder
from generator.errors import CampaignGenError, UsageError
from generator.partners.kit import PARTNER_FILE
from generator.fields import IDENTIFIER
from generator.workspace import Workspace

MAX_NAME = 64

PARTNER_YAML = """\
# Partner kit: {name}
# A partner republishes the campaigns in its own name, colours, logo and language. Everything here is optional
# except `name` and `languages`. Check the kit with:   campaign-gen partner check {name}
# and build a pack with it:                           campaign-gen build --partner {name}
# What a partner cannot change (the campaign locks it): the required hashtags, the facts and their sources, the
# campaign logo layer and any card layer marked `locked: true`. See docs/partners.md.

# The organisation's name as it should appear in posts (templates see it as {{{{ partner.name }}}}).
name: "{title}"   # as posts name the organisation, e.g. "Association Voix Solidaires"

# Languages the pack is built in; the first one is the default (`--lang` picks another). A message the
# campaign has not translated falls back to English, with a warning in the report.
languages: [en]   # e.g. [fr] for French, [fr, en] for both

# The organisation's account on each platform (x, bluesky, mastodon, threads, linkedin, instagram, facebook).
handles: {{}}
#   x: "@MyOrganisation"
#   mastodon: "@myorg@social.example"
#   bluesky: "@myorg.bsky.social"

# The organisation's logo, a file inside this folder (PNG with a transparent background works best,
# at most 40 megapixels). It is drawn in the card's logo box.
# logo: logo.png

# Brand colour overrides, by role (primary, secondary, background, text, accent). Roles left out keep the
# campaign's colours. `partner check` reports colours that make card text hard to read (WCAG 2.x contrast).
colours: {{}}
#   primary: "#5B2A86"

# Hashtags the organisation adds after the campaign's (letters and digits, without '#').
hashtags: []      # e.g. [VoixSolidaires]

# Links to replace: the campaign's link -> the organisation's page (https only). Fact sources cannot be replaced.
links: {{}}
#   "https://www.unwomen.org/en/what-we-do/ending-violence-against-women": "https://example.org/fr/agir"

# UTM parameters added to links, over the campaign's own; "{{platform}}" becomes the post's platform.
utm: {{}}
#   utm_source: "{name}"
#   utm_medium: "{{platform}}"

# Extra wording to avoid in this organisation's posts, with the preferred wording and the reason.
terminology: []
#   - avoid: "prostituée mineure"
#     prefer: "enfant victime d'exploitation sexuelle"
#     reason: "Un enfant ne peut consentir à sa propre exploitation ; le terme en fait la responsable."
#     language: fr
"""


def kit_id(name: str) -> str:
    """The kit's folder name for what a person typed: `my-ngo` as it is; a display name such as `My NGO` or
    `Égalité Maintenant!` as lower-case ASCII words joined by hyphens (`my-ngo`, `egalite-maintenant`)."""
    if IDENTIFIER.fullmatch(name or ""):
        return name
    ascii_text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def check_partner_name(name: str) -> str:
    """The kit id for `name`, or a UsageError saying how to give one."""
    if any(mark in name for mark in ("/", "\\")) or name.startswith("."):
        raise UsageError(f"'{name}' is a path; give the organisation's name or an id such as my-ngo")
    slug = kit_id(name)
    if not slug:
        raise UsageError(f"'{name}' gives no folder name in letters a-z and digits; give an id such as my-ngo "
                         "and write the organisation's name in partner.yaml")
    if len(slug) > MAX_NAME:
        raise UsageError(f"'{name}' is too long for a folder name (at most {MAX_NAME} characters)")
    return slug


def init_partner(workspace: Workspace, name: str, copy_templates=()) -> tuple[str, list[Path]]:
    """Create partners/<id>/ for `name` (an id, or the organisation's name, from which the id is made) and
    return the id and the files written (relative to the workspace), sorted."""
    given = " ".join(str(name).split())
    name = check_partner_name(given)
    display = given if given != name else name
    target = workspace.partners_dir / name
    if target.exists() or target.is_symlink():
        raise UsageError(f"partners/{name} already exists; edit it, or choose another name")
    sources = [_template_source(workspace, wanted) for wanted in copy_templates]
    workspace.partners_dir.mkdir(parents=True, exist_ok=True)
    staging = temporary_folder(workspace.partners_dir, f".{name}-")
    try:
        (staging / PARTNER_FILE).write_text(PARTNER_YAML.format(name=name, title=yaml_text(display)),
                                            encoding="utf-8")
        for relative, source in sources:
            copy = staging / "templates" / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
        staging.rename(target)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"cannot create partners/{name}: {err.strerror or err}") from err
    return name, sorted(path.relative_to(workspace.root) for path in target.rglob("*") if path.is_file())


def yaml_text(text: str) -> str:
    """`text` inside a double-quoted YAML scalar."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _template_source(workspace: Workspace, wanted: str) -> tuple[str, Path]:
    """A template to copy, given relative to templates/ (`posts/x.j2`): the workspace's own, checked to stay
    inside its templates/, else the stock one of that name."""
    text = str(wanted).replace("\\", "/")
    if text.startswith("templates/"):
        text = text[len("templates/"):]  # people paste the path as the repository shows it
    try:
        source = workspace.resolve_inside(text, workspace.templates_dir, None, "template")
        relative = source.relative_to(workspace.templates_dir.resolve()).as_posix()
    except (CampaignGenError, ValueError) as err:
        detail = err.detail if isinstance(err, CampaignGenError) else f"template '{wanted}' is not under templates/"
        raise UsageError(detail) from err
    source = source if source.is_file() else workspace.template_file(relative)
    if source is None:
        known = sorted({p.relative_to(folder).as_posix() for folder in workspace.template_folders
                        for p in folder.rglob("*") if p.is_file()})
        raise UsageError(f"no template 'templates/{text}'; templates you can copy: {', '.join(known) or 'none'}")
    return relative, source
