"""Field validators for hand-edited YAML (campaigns, partners, card layouts).

Each validator reads one value at a key path of a `Document`, records a Problem naming `path:line:col`
and the key path when the value is wrong, and returns the value it could make sense of (or a default), so
a whole file is checked in one pass and every mistake in it is reported together.
Unknown keys are warnings with a "did you mean" suggestion: a typo must not silently drop a setting.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any, Iterable

from generator.errors import Problem, error, warning
from generator.yamlfile import Document, KeyPath

_MISSING = object()

# `\Z`, never `$`: `$` also matches before a final newline, so "#FFF\n" or a partner named "zz\n" would pass.
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
HTTPS_LINK = re.compile(r"^https://[^\s/$.?#][^\s]*\Z")
_HASHTAG_TEXT = re.compile(r"^\w+\Z")  # a hashtag as campaign and partner files write it: without '#'
TERM_KEYS = ("avoid", "prefer", "reason", "language")
MIN_WORDING_LETTERS = 3  # in each `avoid` wording: `*` alone, or `a*`, would flag nearly every word
MIN_WORDING_HAN = 2  # Chinese says in two characters what takes a word (小三, 妓女)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TERM_TEXT_CHARS = 300  # a wording's `prefer` and `reason`, quoted in every problem it finds


def describe(value: Any) -> str:
    """How a value's type reads in a message: 'a list', 'a number', 'nothing'."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        # YAML 1.1 reads yes/no/on/off unquoted as true/false: `languages: [en, no]` means Norwegian to a person.
        return f"{str(value).lower()} (YAML reads yes, no, on and off as true/false: put the word in quotes)"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


class Checker:
    """Collects the problems of one document while its values are read."""

    def __init__(self, document: Document, code_prefix: str):
        self.document = document
        self.source = document.source
        self.code_prefix = code_prefix
        self.problems: list[Problem] = []
        self._misspelt: set = set()  # required keys already reported at their misspelt spelling

    # -- reporting ---------------------------------------------------------------------------------------------
    def error(self, key_path: KeyPath, message: str, code: str = "invalid", *, of_key: bool = False) -> None:
        if code == "missing" and tuple(key_path) in self._misspelt:
            return  # said once, on the line of the misspelt key
        problem = error(f"{self.code_prefix}.{code}", message, self.source.where(key_path, of_key=of_key))
        # A missing required key is found both by its mapping and by the field's own reader: say it once.
        if not any(p.where == problem.where and p.code == problem.code for p in self.problems):
            self.problems.append(problem)

    def warn(self, key_path: KeyPath, message: str, code: str = "warning", *, of_key: bool = False) -> None:
        self.problems.append(
            warning(f"{self.code_prefix}.{code}", message, self.source.where(key_path, of_key=of_key))
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    # -- reading -----------------------------------------------------------------------------------------------
    def get(self, key_path: KeyPath, default: Any = None) -> Any:
        """The value at `key_path`, or `default` when any step of the path is absent."""
        value = self.document.data
        for part in key_path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return default
        return value

    def has(self, key_path: KeyPath) -> bool:
        return self.get(key_path, _MISSING) is not _MISSING

    def mapping(
        self, key_path: KeyPath, allowed: Iterable[str], required: Iterable[str] = (), *, optional: bool = False
    ) -> dict:
        """A mapping with known keys: missing required keys are errors, unknown ones warnings."""
        value = self.get(key_path, _MISSING)
        if value is _MISSING or value is None:
            if not optional:
                self.error(key_path, "missing; expected a mapping", "missing")
            return {}
        if not isinstance(value, dict):
            self.error(key_path, f"expected a mapping, got {describe(value)}", "type")
            return {}
        allowed = list(allowed)
        missing = [key for key in required if key not in value]
        for key in value:
            if str(key) in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            if close and close[0] in missing:  # `sumary:` for the required `summary:`: one error, on its line
                self.error(key_path + (key,), f"unknown key '{key}'; did you mean '{close[0]}'? ('{close[0]}' is "
                           "required)", "missing", of_key=True)
                missing.remove(close[0])
                self._misspelt.add(tuple(key_path) + (close[0],))
                continue
            hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(allowed)}"
            self.warn(key_path + (key,), f"unknown key '{key}'{hint}", "unknown-key", of_key=True)
        for key in missing:
            self.error(key_path + (key,), "missing; this key is required", "missing")
        return value

    def string(self, key_path: KeyPath, *, required: bool = True, default: str | None = None) -> str | None:
        value = self.get(key_path, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(key_path, "missing; expected a string", "missing")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # YAML reads `2023` or `1.0` as numbers; in a text field they are text
        if not isinstance(value, str):
            self.error(key_path, f"expected a string, got {describe(value)}", "type")
            return default
        if required and not value.strip():
            self.error(key_path, "is empty; expected some text", "empty")
        return value

    def integer(self, key_path: KeyPath, *, required: bool = True, low: int | None = None, high: int | None = None,
                default: int | None = None) -> int | None:
        value = self.get(key_path, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(key_path, "missing; expected a whole number", "missing")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key_path, f"expected a whole number, got {describe(value)}", "type")
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(key_path, f"expected a whole number from {low} to {high}, got {value}", "range")
            return default
        return value

    def number(self, key_path: KeyPath, *, required: bool = True, low: float | None = None,
               high: float | None = None, default: float | None = None) -> float | None:
        value = self.get(key_path, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(key_path, "missing; expected a number", "missing")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key_path, f"expected a number, got {describe(value)}", "type")
            return default
        if not math.isfinite(value):  # YAML's .nan and .inf pass every comparison with a bound
            self.error(key_path, f"expected a finite number, got {value}", "type")
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(key_path, f"expected a number from {low} to {high}, got {value}", "range")
            return default
        return value

    def boolean(self, key_path: KeyPath, default: bool = False) -> bool:
        value = self.get(key_path, _MISSING)
        if value is _MISSING or value is None:
            return default
        if not isinstance(value, bool):
            self.error(key_path, f"expected true or false, got {describe(value)}", "type")
            return default
        return value

    def items(self, key_path: KeyPath, *, required: bool = True) -> list:
        """A list; each item is then read by key path `key_path + (index,)`."""
        return self._list(key_path, self.get(key_path, _MISSING), required, "a list")

    def _list(self, key_path: KeyPath, value, required: bool, what: str) -> list:
        """`value` when it is a list; [] with a `missing` (when required) or `type` error otherwise."""
        if value is _MISSING or value is None:
            if required:
                self.error(key_path, "missing; expected a list", "missing")
            return []
        if not isinstance(value, list):
            self.error(key_path, f"expected {what}, got {describe(value)}", "type")
            return []
        return value

    def keyed_by_data(self, key_path: KeyPath, what: str) -> dict:
        """A mapping whose keys are data (years, links, UTM names) rather than field names, each then checked by
        the caller: {} when absent; a `type` error saying it should be `what` when it is not a mapping."""
        value = self.get(key_path)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key_path, f"expected {what}, got {describe(value)}", "type")
            return {}
        return value

    def string_list(self, key_path: KeyPath, *, required: bool = False, choices: Iterable[str] | None = None) -> list[str]:
        """A list of strings; a single string is accepted as a list of one (people write `platforms: x`)."""
        value = self.get(key_path, _MISSING)
        value = self._list(key_path, [value] if isinstance(value, str) else value, required, "a list of strings")
        choices = list(choices) if choices is not None else None
        result = []
        for index, item in enumerate(value):
            path = key_path + (index,)
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str):
                self.error(path, f"expected a string, got {describe(item)}", "type")
                continue
            if choices is not None and item not in choices:
                close = difflib.get_close_matches(item, choices, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.error(path, f"unknown value '{item}'; expected one of {', '.join(choices)}{hint}", "choice")
                continue
            result.append(item)
        return result

    def choice(self, key_path: KeyPath, choices: Iterable[str], *, required: bool = True,
               default: str | None = None) -> str | None:
        value = self.string(key_path, required=required, default=default)
        choices = list(choices)
        if value is not None and value not in choices and self.has(key_path):
            close = difflib.get_close_matches(value, choices, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.error(key_path, f"unknown value '{value}'; expected one of {', '.join(choices)}{hint}", "choice")
            return default
        return value

    def colour(self, key_path: KeyPath, *, required: bool = True) -> str | None:
        value = self.string(key_path, required=required)
        if value is not None and not HEX_COLOUR.match(value):
            self.error(key_path, f"{value!r} is not a colour; expected a hex colour such as '#F58220'", "colour")
            return None
        return value.upper() if value else None

    def identifier(self, key_path: KeyPath, *, required: bool = True) -> str | None:
        value = self.string(key_path, required=required)
        if value is not None and value and not IDENTIFIER.match(value):
            self.error(
                key_path, f"'{value}' is not a usable id; use lower-case letters, digits and hyphens", "identifier"
            )
        return value

    def unique_id(self, key_path: KeyPath, value: str | None, seen: dict, what: str) -> None:
        """Records an error when `value` was already used as an id in `seen` (id -> line of first use)."""
        if value is None:
            return
        if value in seen:
            self.error(key_path, f"duplicate {what} id '{value}' (first used at line {seen[value]})", "duplicate")
        else:
            seen[value] = self.source.location(key_path).line

    # -- sections shared by campaign and partner files ---------------------------------------------------------
    def https_link(self, key_path: KeyPath, url: str | None) -> bool:
        """Records an error unless `url` (when given) is a well-formed https link."""
        if url and not HTTPS_LINK.match(url):
            self.error(key_path, f"'{url}' is not an https link; expected https://...", "link")
            return False
        return True

    def localised(self, key_path: KeyPath, *, required: bool = True, check=None) -> tuple[str | None, dict]:
        """A text given once (`name: Orange Day`) or per language (`name: {en: Orange Day, fr: Journée
        orange}`): (the default, English where given, else the first; language -> text). `check(key_path,
        text)` is run on each text (a link's https check, for instance)."""
        value = self.get(key_path)
        if isinstance(value, dict):
            texts = {}
            for language in value:
                if self.language(key_path + (language,), language, of_key=True):
                    text = self.string(key_path + (language,))
                    if text:
                        texts[str(language)] = text.strip()
                        if check:
                            check(key_path + (language,), text.strip())
            default = texts.get("en") or next(iter(texts.values()), None)
            if required and default is None:
                self.error(key_path, "is empty; expected a text, or texts per language", "empty")
            return default, texts
        text = self.string(key_path, required=required)
        if text and check:
            check(key_path, text.strip())
        return (text.strip() if text else text), {}

    def referrals(self, key_path: KeyPath) -> dict:
        """`referral: {en: {text: ..., link: https://...}, fr: ...}`: where readers who need help can turn."""
        from generator.model import Referral

        value = self.get(key_path)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key_path, f"expected texts per language (e.g. 'en: {{text: ..., link: ...}}'), got "
                                 f"{describe(value)}", "type")
            return {}
        found = {}
        for language in value:
            at = key_path + (language,)
            if not self.language(at, language, of_key=True):
                continue
            self.mapping(at, ("text", "link"), required=("text",))
            text = self.string(at + ("text",))
            link = self.string(at + ("link",), required=False)
            if text and self.https_link(at + ("link",), link):
                found[str(language)] = Referral(" ".join(text.split()), link)
        return found

    def hashtag(self, key_path: KeyPath, tag: str, example: str) -> bool:
        """Records an error unless `tag` is a hashtag as files write it: letters and digits, no '#'."""
        if tag.startswith("#") or not _HASHTAG_TEXT.match(tag) or tag.isdigit():
            self.error(key_path, f"'{tag}' is not a hashtag as written here; give letters and digits without '#' "
                                 f"(e.g. '{example}')", "hashtag")
            return False
        return True

    def language(self, key_path: KeyPath, code: str | None, *, of_key: bool = False) -> bool:
        """Records an error unless `code` looks like a language code (`en`, `fr`, `pt-BR`)."""
        if code is not None and not LANGUAGE_CODE.match(str(code)):
            self.error(key_path, f"'{code}' is not a language code such as 'en' or 'fr'", "language", of_key=of_key)
            return False
        return True

    def utm_parameters(self, key_path: KeyPath) -> dict:
        """`utm_source: "{platform}"`, ...: UTM parameters added to links."""
        value = self.keyed_by_data(key_path, "a mapping of UTM parameters")
        utm = {}
        for key in value:
            if not str(key).startswith("utm_"):
                self.error(key_path + (key,), f"'{key}' is not a UTM parameter; expected utm_source, utm_medium, ...",
                           "utm", of_key=True)
                continue
            text = self.string(key_path + (key,))
            if text:
                utm[str(key)] = text
        return utm

    def _bounded(self, key_path: KeyPath, limit: int) -> str:
        """A required text of at most `limit` characters: it is repeated in every problem that quotes it."""
        value = self.string(key_path) or ""
        if len(value) > limit:
            self.error(key_path, f"is {len(value)} characters; at most {limit}", "too-long")
            return value[:limit]
        return value

    def glossary_entries(self, key_path: KeyPath, default_language: str = "en") -> tuple:
        """Extra terminology entries (`avoid`, `prefer`, `reason`, `language`), each remembering its place."""
        entries = []
        for index, _ in enumerate(self.items(key_path, required=False)):
            at = key_path + (index,)
            self.mapping(at, TERM_KEYS, required=("avoid", "prefer", "reason"))
            language = self.string(at + ("language",), required=False, default=default_language)
            self.language(at + ("language",), language)
            entry = {
                # one wording or several (`["crime* passionnel*"]`: `*` is any letters, for plurals)
                "avoid": tuple(self.string_list(at + ("avoid",), required=True)),
                "prefer": self._bounded(at + ("prefer",), TERM_TEXT_CHARS),
                "reason": self._bounded(at + ("reason",), TERM_TEXT_CHARS),
                "language": language,
                "origin": self.source.where(at),
            }
            for form_index, form in enumerate(entry["avoid"]):
                if sum(ch.isalpha() for ch in form) < (MIN_WORDING_HAN if _HAN.search(form) else MIN_WORDING_LETTERS):
                    self.error(at + ("avoid", form_index) if isinstance(self.get(at + ("avoid",)), list)
                               else at + ("avoid",),
                               f"'{form[:40]}' has fewer than {MIN_WORDING_LETTERS} letters; a wording of stars "
                               "alone would flag every word", "invalid")
            if entry["avoid"]:
                entries.append(entry)
        return tuple(entries)
