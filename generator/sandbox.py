"""The limits that keep untrusted templates harmless, on top of Jinja2's immutable sandbox.

Partner kits come from outside the organisation. Jinja2's sandbox already refuses `__class__`,
`__subclasses__`, `__globals__` and mutation of the data; this module adds bounds on what a template can
build or spend: a render-time deadline checked on every attribute access, call and loop turn; a cap on the
output and on every string, list and number a template makes (checked *before* building where the growth
can be computed: repetition, `replace`, printf widths, padding); and a capped `range()`.
"""

from __future__ import annotations

import functools
import re
import signal
import string
import threading
import time

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_OUTPUT = 100_000  # characters; a post is at most a few thousand, a card text far less
MAX_SECONDS = 2.0  # per render; a post renders in well under a millisecond
MAX_RANGE = 1_000  # items of range(); Jinja's own sandbox allows 100 000
MAX_NUMBER_BITS = 4_096  # an integer bigger than this is never a figure in a post
# A printf conversion, `%(name)` key included: its width and precision are the numbers that build strings.
_PRINTF_WIDTH = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\d+)?(?:\.(\d+))?")
_NUMBER = re.compile(r"\d+")


class Budget:
    """The limits of one render: a deadline and a size cap, checked from every sandbox hook."""

    def __init__(self, max_output: int, max_seconds: float):
        self.max_output = max_output
        self.max_seconds = max_seconds
        self.deadline: float | None = None
        self._previous_alarm = None  # the SIGALRM handler to put back when the render ends

    def start(self) -> None:
        self.deadline = time.monotonic() + self.max_seconds
        self._previous_alarm = _arm_alarm(self.max_seconds, self._overtime)

    def stop(self) -> None:
        self.deadline = None
        _disarm_alarm(self._previous_alarm)
        self._previous_alarm = None

    def _overtime(self, signum, frame) -> None:
        if self.deadline is not None:
            self.tick()

    def tick(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SecurityError(f"the template took longer than {self.max_seconds:g} s to render (endless loop?)")

    def check_size(self, value, what: str = "a value"):
        if isinstance(value, (str, bytes, list, tuple)) and len(value) > self.max_output:
            raise SecurityError(f"{what} of {len(value)} characters exceeds the limit of {self.max_output}")
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_NUMBER_BITS:
            raise SecurityError("a number too large for a template")
        return value


def _arm_alarm(seconds: float, handler):
    """A timer that interrupts the render from outside: loops whose bodies are empty never reach a sandbox hook
    (`{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}`), but a signal handler runs between any two
    bytecodes. Only the main thread of a Unix process can take signals; elsewhere the hooks alone keep time
    (and a partner kit's own process has its operating-system limits, partners/isolation.py)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds + 0.05)  # just after the deadline, so tick() refuses
    return (previous,)


def _disarm_alarm(armed) -> None:
    if armed is not None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, armed[0])


class BudgetedTemplate(jinja2.Template):
    """A template whose render() runs within the environment's budget and caps the total output."""

    def render(self, *args, **kwargs) -> str:
        budget: Budget = self.environment.budget
        budget.start()
        try:
            size, chunks = 0, []
            for chunk in self.generate(*args, **kwargs):
                size += len(chunk)
                if size > budget.max_output:
                    raise SecurityError(f"the output exceeds the limit of {budget.max_output} characters")
                budget.tick()
                chunks.append(chunk)
            return "".join(chunks)
        finally:
            budget.stop()


class PostSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with our limits added to every attribute access, call and risky operator."""

    template_class = BudgetedTemplate
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, budget: Budget, **options):
        super().__init__(**options)
        self.budget = budget

    def getattr(self, obj, attribute):
        self.budget.tick()
        return self.budget.check_size(super().getattr(obj, attribute))

    def getitem(self, obj, argument):
        self.budget.tick()
        return self.budget.check_size(super().getitem(obj, argument))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        __self.budget.tick()
        for value in (*args, *kwargs.values()):
            __self.budget.check_size(value, "an argument")
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > __self.budget.max_output:
                raise SecurityError(f"the number {value} is too large for a template argument")
        _check_str_method(__obj, args, __self.budget)
        return __self.budget.check_size(super().call(__context, __obj, *args, **kwargs), "a result")

    def call_binop(self, context, operator, left, right):
        self.budget.tick()
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
                    size = len(sequence) * max(times, 0)  # checked before the string is built
                    if size > self.budget.max_output:
                        raise SecurityError(f"a repeated string of {size} characters exceeds the limit "
                                            f"of {self.budget.max_output}")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                if max(abs(left), 2).bit_length() * right > MAX_NUMBER_BITS:
                    raise SecurityError("a number too large for a template")
        elif operator == "%" and isinstance(left, str):
            _check_printf_widths(left, self.budget)
        return self.budget.check_size(super().call_binop(context, operator, left, right), "a result")


def _check_printf_widths(fmt: str, budget: Budget) -> None:
    """`"%999999999d" % 1` builds a gigabyte; refuse widths and precisions beyond the output limit."""
    for match in _PRINTF_WIDTH.finditer(fmt):
        for number in match.groups():
            if number and int(number) > budget.max_output:
                raise SecurityError(f"a format width of {number} exceeds the limit of {budget.max_output}")


def _check_format_spec_widths(fmt: str, budget: Budget) -> None:
    """`"{:>2000000000}".format(1)` builds gigabytes: refuse any number in a replacement field's format spec
    (width or precision, nested fields included) beyond the output limit."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # not a valid format string: str.format will refuse it itself
    for _, _, spec, _ in fields:
        for number in _NUMBER.findall(spec or ""):
            if int(number) > budget.max_output:
                raise SecurityError(f"a format width of {number} exceeds the limit of {budget.max_output}")
        if spec and "{" in spec:
            _check_format_spec_widths(spec, budget)


def _check_replace(text, old, new, count, budget: Budget) -> None:
    """`s|replace(a, b)` and `s.replace(a, b)` can multiply a string's size; refuse before building it."""
    if not all(isinstance(v, str) for v in (text, old, new)):
        return
    found = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    size = len(text) + found * (len(new) - len(old))
    if size > budget.max_output:
        raise SecurityError(f"a replaced string of {size} characters exceeds the limit of {budget.max_output}")


def _check_str_method(method, args, budget: Budget) -> None:
    """The growth of str methods that build a larger string than their arguments: checked before they run."""
    # Jinja hands templates `str.format` wrapped in its sandboxed formatter; the string is on the original.
    method = getattr(method, "__wrapped__", method)
    text = getattr(method, "__self__", None)
    if not isinstance(text, str):
        return
    name = getattr(method, "__name__", "")
    if name == "replace" and len(args) >= 2:
        _check_replace(text, args[0], args[1], args[2] if len(args) > 2 else -1, budget)
    elif name in ("format", "format_map"):
        _check_format_spec_widths(text, budget)
    elif name == "expandtabs":
        tabsize = args[0] if args and isinstance(args[0], int) else 8
        if len(text) * max(tabsize, 1) > budget.max_output and "\t" in text:
            raise SecurityError(f"expanding tabs would exceed the limit of {budget.max_output} characters")


def guard_filter(function, budget: Budget):
    """Wrap a built-in filter: filters are called directly by compiled templates, not through the
    sandbox's call(), so `"x"|center(10**9)` or `"%9999999999s"|format(1)` must be stopped here."""

    @functools.wraps(function)  # keeps jinja_pass_arg, so context-passing filters still work
    def guarded(*args, **kwargs):
        budget.tick()
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > budget.max_output:
                raise SecurityError(f"the number {value} is too large for a filter argument")
        if function is jinja2.filters.do_format and args and isinstance(args[0], str):
            _check_printf_widths(args[0], budget)
        if function is jinja2.filters.do_replace and len(args) >= 4:  # (eval_ctx, s, old, new[, count])
            _check_replace(str(args[1]), args[2], args[3], args[4] if len(args) > 4 else kwargs.get("count"),
                           budget)
        return budget.check_size(function(*args, **kwargs), "a filter result")

    return guarded


def capped_range(budget: Budget):
    def capped_range(*args):
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise SecurityError(f"range() of {len(numbers)} items exceeds the limit of {MAX_RANGE}")

        def items():
            for number in numbers:
                budget.tick()  # an empty nested loop still checks the clock on every turn
                yield number

        return items()

    return capped_range
