"""The two ways things go wrong: unusable input (exceptions) and content problems (data).

Input errors stop the work: the YAML does not parse, a key has the wrong type, a template has a syntax
error. They form one exception family whose message always starts with the place, `path:line:col:`,
so a person can jump straight to it. The CLI turns any of them into one line on stderr and exit code 2.

Content problems do not stop the work: a post is too long, a hashtag is banned, a card lacks contrast.
Checks return them as `Problem` values so that reports, the preview page and CI can show and filter them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

# Every command's exit codes: clean, content problems (the output is written), unusable input or request.
EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file. `line` and `col` are 1-based; 0 means unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """A content problem found by a check.

    `code` is stable (e.g. `length.over`, `hashtag.banned`) so CI and reports can filter on it;
    `message` is for people and carries the numbers (`x: 291/280 (11 over)`);
    `where` names the place: a file location, or a post such as `orange-day/solidarity/x/en`.
    """

    severity: Severity
    code: str
    message: str
    where: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.severity.value}: {self.message} [{self.code}]"

    def as_dict(self) -> dict:
        return {"severity": self.severity.value, "code": self.code, "message": self.message, "where": self.where}


def error(code: str, message: str, where: str = "") -> Problem:
    return Problem(Severity.ERROR, code, message, where)


def warning(code: str, message: str, where: str = "") -> Problem:
    return Problem(Severity.WARNING, code, message, where)


def plural(count: int, noun: str) -> str:
    """`1 error`, `2 errors`: counts in messages read as English."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def count_problems(problems) -> tuple[int, int]:
    """(errors, warnings) among `problems`."""
    problems = list(problems)
    errors = sum(p.is_error for p in problems)
    return errors, len(problems) - errors


def tally(problems, errors_on: int = 0, warnings_on: int = 0) -> str:
    """`1 error, 2 warnings`: the closing count of every report. A problem shared by several posts (a card's,
    used on four platforms) counts once; `errors_on` and `warnings_on` say on how many posts they stand, so a
    summary agrees with report.txt's lines and junit.xml's failing cases: `1 error on 4 posts, 2 warnings`."""
    errors, warnings = count_problems(problems)
    on = {"error": errors_on, "warning": warnings_on}
    return ", ".join(plural(count, noun) + (f" on {plural(on[noun], 'post')}" if count and on[noun] else "")
                     for count, noun in ((errors, "error"), (warnings, "warning")))


def has_errors(problems, strict: bool = False) -> bool:
    """True when any problem must fail the run; with `strict`, warnings count too."""
    return any(p.is_error or strict for p in problems)


class CampaignGenError(Exception):
    """Raised when input is unusable; the base of every error cli.py reports with exit code 2.

    The message is one line that starts with the place it names, e.g.
    `campaigns/orange-day.yaml:14:5: messages[2].text.fr: expected a string, got a list`.
    """

    def __init__(self, message: str, location: Location | None = None, key_path: str = ""):
        self.location = location
        self.key_path = key_path
        self.detail = message
        super().__init__(self._format())

    def __reduce__(self):
        """Pickled as it is (a kit's job raises its errors in a child process, partners/isolation.py): the
        subclasses' own __init__ arguments differ, so rebuild from the attributes, not from `args`."""
        return _rebuild_error, (type(self), self.args, self.__dict__)

    def _format(self) -> str:
        parts = [str(self.location)] if self.location else []
        if self.key_path:
            parts.append(self.key_path)
        parts.append(self.detail)
        return ": ".join(parts)


def _rebuild_error(kind: type, args: tuple, attributes: dict) -> CampaignGenError:
    err = Exception.__new__(kind)
    err.args = args
    err.__dict__.update(attributes)
    return err


class UsageError(CampaignGenError):
    """Raised when the request itself is unusable: an unknown campaign id, platform or language,
    a week that does not exist, a date range that ends before it starts."""


class WorkspaceNotFound(CampaignGenError):
    """Raised when no workspace (a folder holding campaigns/) can be found."""


class InputFileError(CampaignGenError):
    """Raised when an input file is missing, unreadable, not UTF-8, empty, not valid YAML or not a mapping."""


class InvalidInput(CampaignGenError):
    """Raised when a file parses but breaks the format: wrong types, bad references, impossible dates.

    Carries every error found in the file (`problems`), one line each, so a person fixes them all in
    one go rather than one per run.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.is_error]
        first = self.problems[0]
        super().__init__(first.message, None, "")
        self.args = ("\n".join(f"{p.where}: {p.message}" if p.where else p.message for p in self.problems),)

    def __str__(self) -> str:
        return self.args[0]


class TemplateError(CampaignGenError):
    """Raised when a template cannot be used: syntax error, undefined variable, a sandbox violation,
    or a render that exceeds the output size or time limit. The location is the template's file and line."""


class PathOutsideWorkspace(CampaignGenError):
    """Raised when an asset path is absolute, climbs out with `..`, or is a link that leads outside the workspace."""


class OutputError(CampaignGenError):
    """Raised when the output folder cannot be written (it is a file, or not writable)."""
