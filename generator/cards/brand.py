"""Reading a campaign's `brand:` section and its messages' card choices: the colours, logo and font of its
cards, the layout for each kind of message, and the card formats each platform gets.

Everything here is checked with the campaign file's Checker, so a mistake is reported at its line with the
rest of the file's problems (campaign.py reads the other sections).
"""

from __future__ import annotations

from generator import platforms
from generator.cards import fonts
from generator.cards.layouts import unknown_layout
from generator.errors import CampaignGenError
from generator.fields import Checker
from generator.model import COLOUR_ROLES, Brand
from generator.workspace import Workspace

BRAND_KEYS = ("colours", "logo", "font", "layouts", "formats")
# brand.layouts: the layout for every message (default), and for a message that quotes a fact, carries a
# quotation (`quote_by`) or a photo (`image`); a message's own `layout:` comes before them all.
LAYOUT_KINDS = ("default", "fact", "quote", "photo")
DEFAULT_FONT = "Noto Sans"


def read_brand(check: Checker, workspace: Workspace, campaign_platforms: tuple) -> Brand:
    c = check
    c.mapping(("brand",), BRAND_KEYS, required=("colours", "logo"))
    c.mapping(("brand", "colours"), COLOUR_ROLES, required=("primary", "background", "text"))
    colours = {}
    for role in COLOUR_ROLES:
        colour = c.colour(("brand", "colours", role), required=role in ("primary", "background", "text"))
        if colour:
            colours[role] = colour
    # Card layouts use all five roles; the optional two fall back to the required ones they stand beside.
    colours.setdefault("secondary", colours.get("text", "#000000"))
    colours.setdefault("accent", colours.get("primary", "#000000"))
    logo = c.string(("brand", "logo")) or ""
    logo_path = read_asset(c, workspace, ("brand", "logo"), "logo") if logo else workspace.assets_dir
    font = c.string(("brand", "font"), required=False, default=DEFAULT_FONT)
    if font != DEFAULT_FONT:
        _check_font(c, workspace, font)
    c.mapping(("brand", "layouts"), LAYOUT_KINDS, optional=True)
    layouts = {"default": "statement"}
    for kind in LAYOUT_KINDS:
        layouts[kind] = c.identifier(("brand", "layouts", kind), required=False) or layouts.get(kind)
        check_layout_name(c, workspace, ("brand", "layouts", kind), layouts[kind])
    return Brand(colours=colours, logo=logo, logo_path=logo_path or workspace.assets_dir, font=font,
                 layouts={kind: name for kind, name in layouts.items() if name},
                 formats=_formats(c, campaign_platforms))


def _formats(check: Checker, campaign_platforms: tuple) -> dict:
    """`formats: {instagram: [portrait, story]}`: the card formats a platform's posts get, the first being the
    one attached to the post; each must be one the platform takes (generator/data/platforms.yaml). A platform
    not named gets its first format only, so a story (a separate upload) is drawn only when asked for."""
    at = ("brand", "formats")
    chosen = {}
    for name in check.mapping(at, campaign_platforms, optional=True):
        if name not in campaign_platforms:
            continue
        accepted = platforms.get(name).card_formats
        formats = check.string_list(at + (name,), choices=accepted)
        if check.get(at + (name,)) == []:
            check.error(at + (name,), f"is empty; give at least one of {', '.join(accepted)}", "empty")
        if len(set(formats)) != len(formats):
            check.error(at + (name,), "names a format twice", "duplicate")
        if formats:
            chosen[name] = tuple(dict.fromkeys(formats))
    return chosen


def read_asset(check: Checker, workspace: Workspace, key_path: tuple, what: str):
    """The file a key names inside assets/, or None after reporting why it cannot be used."""
    written = check.string(key_path)
    if not written:
        return None
    try:
        path = workspace.asset(written, check.document.source.location(key_path), what)
    except CampaignGenError as err:
        check.error(key_path, err.detail, "path")
        return None
    if not path.is_file():
        check.error(key_path, f"{what} file 'assets/{written}' not found", "path")
        return None
    return path


def read_message_layout(check: Checker, workspace: Workspace, key_path: tuple) -> str | None:
    name = check.identifier(key_path, required=False)
    check_layout_name(check, workspace, key_path, name)
    return name


def check_layout_name(check: Checker, workspace: Workspace, key_path: tuple, name: str | None) -> None:
    """A layout named by the campaign must be one the workspace has (templates/cards/<name>.yaml), or a stock one."""
    if name and check.has(key_path) and workspace.template_file(f"cards/{name}.yaml") is None:
        check.error(key_path, unknown_layout(name, workspace.template_folders), "reference")


def _check_font(check: Checker, workspace: Workspace, family: str) -> None:
    """Cards set Latin, Greek and Cyrillic text in the brand's family: it must be in the font folder the cards
    use (the workspace's assets/fonts/, else the stock fonts)."""
    folder = fonts.folder_for(workspace)
    library = fonts.library(folder)
    if library.family_key(family) is None:
        known = ", ".join(sorted(library.named_families()))
        check.error(("brand", "font"), f"the font family '{family}' is not in {workspace.display(folder)} with a "
                    f"regular and a bold file; families there: {known}", "font")
