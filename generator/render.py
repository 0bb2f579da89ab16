"""The one Jinja2 environment every template is rendered in, and the errors it reports.

Post templates and card text come from communications staff and from partner organisations outside the
organisation, so they are treated as untrusted code:

- the environment is Jinja2's (immutable) sandbox: no `__class__`, `__subclasses__`, `__globals__`, no
  mutating the data handed to the template;
- the data handed to templates is plain (strings, numbers, mappings, tuples): never model objects that
  carry paths or documents whose methods could read or write files (see posts.py);
- output size, string size, number size and render time are bounded (`Budget`, in sandbox.py), so a template cannot
  build an enormous string or loop for ever; `range()` is capped;
- every failure is a `TemplateError` naming the template file (relative to the workspace) and line,
  e.g. `templates/posts/x.j2:3: 'foo' is undefined`.

Lookup: the partner's templates/ first, then the workspace's templates/, then the stock templates shipped with
campaign-gen (generator/stock). The prefix `!default/` skips the partner's folder (the workspace's template,
else the stock one), so a partner override can `{% extends "!default/posts/x.j2" %}` and change a single
block; `!stock/` loads the stock template only, for a workspace's own override to extend.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import emoji
import jinja2
from jinja2.sandbox import SecurityError

from generator import stock
from generator.errors import Location, TemplateError
from generator.model import colon as language_colon
from generator.sandbox import MAX_OUTPUT, MAX_SECONDS, Budget, PostSandbox, capped_range, guard_filter
from generator.workspace import Workspace, display_path

DEFAULT_PREFIX = "!default"
STOCK_PREFIX = "!stock"
# Languages whose emoji names the emoji package knows (emoji.LANGUAGES); `alias` adds GitHub/Slack names.
_EMOJI_LANGUAGES = frozenset(emoji.LANGUAGES)


class _ContainedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses a template whose real path (links followed) leaves the workspace:
    a partner kit could otherwise link `posts/x.j2` to any file on the machine and publish it."""

    def __init__(self, folder: Path, root: Path):
        super().__init__(str(folder), encoding="utf-8")
        self.root = root

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        try:
            Path(filename).resolve().relative_to(self.root)
        except ValueError:
            shown = display_path(filename, self.root)  # the link itself, not where it leads
            raise SecurityError(f"'{shown}' leads outside the workspace") from None
        return source, filename, uptodate


class _PrefixedLoader(jinja2.PrefixLoader):
    """`!default/posts/x.j2` -> `posts/x.j2` from the workspace's templates or the stock ones (never a partner's);
    `!stock/posts/x.j2` -> the stock one only."""

    def __init__(self, workspace_loader: jinja2.BaseLoader, stock_loader: jinja2.BaseLoader):
        super().__init__({DEFAULT_PREFIX: jinja2.ChoiceLoader([workspace_loader, stock_loader]),
                          STOCK_PREFIX: stock_loader}, delimiter="/")


def create_environment(workspace: Workspace | Path | str, partner_dir: Path | str | None = None, *,
                       max_output: int = MAX_OUTPUT, max_seconds: float = MAX_SECONDS) -> PostSandbox:
    """The sandboxed environment for posts and card text.

    `partner_dir` is a partner's folder (holding templates/); its templates come first. Globals and filters:
    `hashtags(tags)`, `emojize`, `fact(id)` and `cite(id)` read the post's context (posts.py provides it).
    """
    root = (workspace.root if isinstance(workspace, Workspace) else Path(workspace)).resolve()
    workspace_loader = _ContainedLoader(root / "templates", root)
    # The stock templates are campaign-gen's own files, outside every workspace: trusted, so not contained.
    stock_loader = jinja2.FileSystemLoader(str(stock.TEMPLATES), encoding="utf-8")
    loaders: list[jinja2.BaseLoader] = [_PrefixedLoader(workspace_loader, stock_loader)]
    if partner_dir is not None:
        loaders.append(_ContainedLoader(Path(partner_dir).resolve() / "templates", root))
    loaders += [workspace_loader, stock_loader]
    budget = Budget(max_output, max_seconds)
    env = PostSandbox(
        budget,
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        # Posts and card text are plain text, not HTML: escaping would publish `&amp;` and `&#39;` in posts.
        # The preview page escapes posts itself when it puts them into HTML.
        autoescape=False,
        # What you see is what you get: a blank line between blocks is a blank line in the post (posts.py
        # then removes the blank lines that empty blocks leave behind). lstrip_blocks lets `{% if %}`
        # lines be indented without indenting the post.
        keep_trailing_newline=False,
        trim_blocks=False,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.workspace_root = root
    env.filters = {name: guard_filter(function, budget) for name, function in env.filters.items()}
    env.globals["range"] = capped_range(budget)
    env.globals.update(hashtags=format_hashtags, fact=fact, cite=cite, language_base=language_base, colon=colon)
    env.filters.update(emojize=emojize, hashtags=format_hashtags)
    return env


# --- globals and filters that read the post's context ---------------------------------------------------


@dataclass(frozen=True)
class FactInfo:
    """A fact as templates see it (plain strings only): prints as its statement."""

    id: str
    statement: str
    figures: tuple[str, ...]
    citation: str
    url: str

    def __str__(self) -> str:
        return self.statement


@jinja2.pass_context
def format_hashtags(context, tags=None) -> str:
    """`#Tag #Tag` within the platform's caps: required tags first, duplicates (any case) and tags the
    message already carries in its text left out; suggested tags only while the platform's cap allows."""
    platform = context.get("platform") or {}
    campaign = context.get("campaign") or {}
    message = context.get("message") or {}
    required = list((campaign.get("hashtags") or {}).get("required") or ())
    if tags is None:
        tags = context.get("tags") or ()
    if isinstance(tags, str):
        tags = tags.split()
    wanted = [str(t).lstrip("#") for t in tags]
    present = {t.lower() for t in message.get("inline_tags") or ()}
    required_lower = {t.lower() for t in required}
    ordered = [t for t in wanted if t.lower() in required_lower] + [t for t in wanted if t.lower() not in required_lower]
    cap = platform.get("hashtag_cap")
    chosen, seen = [], set(present)
    for tag in ordered:
        key = tag.lower()
        if not tag or key in seen:
            continue
        is_required = key in required_lower
        if not is_required and cap is not None and len(seen) >= cap:
            continue
        seen.add(key)
        chosen.append(tag)
    return " ".join(f"#{tag}" for tag in chosen)


@jinja2.pass_context
def emojize(context, text) -> str:
    """The `emojize` filter: expand_shortcodes in the post's language."""
    return expand_shortcodes(str(text), str(context.get("language") or "en"))


# `:name:` as people write emoji shortcodes: letters, digits, _ + -, with at least one letter (not `10:30:00`).
_SHORTCODE = re.compile(r"(?<![\w:/]):[a-z0-9_+\-]*[a-z][a-z0-9_+\-]*:(?![\w/])", re.IGNORECASE)


def expand_shortcodes(text: str, language: str = "en") -> str:
    """`:orange_heart:` -> the emoji. Names in the text's language are tried first (`:cœur_orange:` in French,
    where the emoji package knows the language), then English names and their GitHub/Slack aliases."""
    if language in _EMOJI_LANGUAGES and language != "en":
        text = emoji.emojize(text, language=language)
    return emoji.emojize(text, language="alias")


def unknown_shortcodes(text: str) -> list[str]:
    """The `:name:` shortcodes left in `text` after expansion: names the emoji package does not know."""
    return _SHORTCODE.findall(text)


@lru_cache(maxsize=1)
def _shortcode_names() -> tuple[str, ...]:
    names = {entry.get(key) for entry in emoji.EMOJI_DATA.values() for key in ("en",)} | {
        alias for entry in emoji.EMOJI_DATA.values() for alias in entry.get("alias", ())}
    return tuple(sorted(name for name in names if name))


def shortcode_hint(name: str) -> str:
    """`; did you mean ':orange_heart:'?` for a misspelt shortcode, else an empty string."""
    import difflib

    close = difflib.get_close_matches(name, _shortcode_names(), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


@jinja2.pass_context
def colon(context) -> str:
    """`{{ colon() }}`: `: ` as the post's language writes it (` : ` in French, `：` in Chinese)."""
    return language_colon(str(context.get("language") or "en"))


@jinja2.pass_context
def language_base(context) -> str:
    """`{% extends language_base() %}`: `posts/base.<language>.j2` where it exists (a partner's wording for one
    language, in every platform's post), else `posts/base.j2`."""
    wanted = f"posts/base.{context.get('language')}.j2"
    try:
        context.environment.get_template(wanted)
    except jinja2.TemplateNotFound:
        return "posts/base.j2"
    return wanted


def _fact(context, fact_id):
    facts = (context.get("campaign") or {}).get("facts") or {}
    if fact_id not in facts:
        known = ", ".join(sorted(facts)) or "none"
        raise jinja2.TemplateRuntimeError(f"unknown fact '{fact_id}'; the campaign's facts are: {known}")
    return facts[fact_id]


@jinja2.pass_context
def fact(context, fact_id):
    """The campaign's fact `fact_id`: prints as its statement; `.figures`, `.source`, `.citation` inside."""
    return _fact(context, fact_id)


@jinja2.pass_context
def cite(context, fact_id) -> str:
    """`UNODC, Global Report on Trafficking in Persons 2020 (2021)`: the source of fact `fact_id`."""
    return _fact(context, fact_id).citation


# --- rendering and error reporting ----------------------------------------------------------------------


def render_template(env: PostSandbox, name: str, context: Mapping) -> str:
    """Render template `name` (e.g. `posts/x.j2`); any failure becomes a TemplateError with file:line."""
    template = None
    try:
        template = env.get_template(name)
        return template.render(dict(context))
    except Exception as err:  # noqa: BLE001 - every template failure is reported in one form
        # An output-size error is raised outside the template's code: name the file it came from
        # (a partner's override, say), not the name it was asked by.
        loaded_from = template.filename if template is not None and template.filename else name
        raise template_error(env, err, loaded_from) from err


def render_string(env: PostSandbox, source: str, context: Mapping, origin: str) -> str:
    """Render template text held in a data file (a card layer's text); `origin` names its place
    (`templates/cards/square.yaml:12:9: layers[2].text`) and prefixes every error."""
    try:
        template = env.from_string(source)
        return template.render(dict(context))
    except Exception as err:  # noqa: BLE001
        raise template_error(env, err, None, origin) from err


def template_error(env, err: Exception, name: str | None, origin: str | None = None) -> TemplateError:
    """`templates/posts/x.j2:3: 'foo' is undefined`: the template's file (relative to the workspace) and line."""
    if isinstance(err, TemplateError):
        return err
    filename, line = _template_position(err)
    if isinstance(err, jinja2.TemplateNotFound):
        wanted = err.name or name
        detail = f"template '{wanted}' not found" + (f" (searched {_searched(env)})" if wanted == name else "")
    elif isinstance(err, jinja2.TemplateSyntaxError):
        detail = f"syntax error: {err.message}"
    elif isinstance(err, SecurityError):
        detail = f"refused by the sandbox: {err}"
    elif isinstance(err, RecursionError):
        detail = "refused by the sandbox: the template recurses too deeply"
    elif isinstance(err, MemoryError):
        detail = "refused by the sandbox: the template needs too much memory"
    elif isinstance(err, jinja2.TemplateError):
        detail = str(err.message or err)
    else:
        detail = f"{type(err).__name__}: {err}"
    if origin is not None:  # a string template: its lines count from the origin's line
        return TemplateError(f"line {line}: {detail}" if line else detail, None, origin)
    if filename is None and name is not None and not isinstance(err, jinja2.TemplateNotFound):
        filename = name
    if filename is None:
        return TemplateError(detail)
    shown = display_path(filename, env.workspace_root) if Path(filename).is_absolute() else f"templates/{filename}"
    return TemplateError(detail, Location(shown, line or 0))


def _template_position(err: Exception) -> tuple[str | None, int | None]:
    """The innermost template frame of the error: Jinja rewrites tracebacks so that template code shows
    with the template's own file name and line number."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return err.filename or err.name, err.lineno
    filename, line = None, None
    tb = err.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name in ("template", "top-level template code") or code.co_filename.endswith(".j2") \
                or code.co_filename == "<template>":
            filename, line = code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if filename == "<template>":
        filename = None
    return filename, line


def _searched(env) -> str:
    folders = []
    for loader in env.loader.loaders:
        if isinstance(loader, jinja2.FileSystemLoader):
            for path in loader.searchpath:
                shown = display_path(path, env.workspace_root) + "/"
                if shown not in folders:
                    folders.append(shown)
    return ", ".join(folders)
