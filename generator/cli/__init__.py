"""The command line: a thin click layer over the library.

Each command parses its options, calls one library function and prints its result: base.py holds the group and
the entry point, and each module beside it a family of commands (content.py: list, validate, card, render, check;
partner.py: the partner group; build.py: the pack; merge.py: the shards of a network build put together;
workspace.py: init).
"""

from generator.cli.base import cli, main  # noqa: F401
from generator.errors import EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNUSABLE  # noqa: F401
from generator.cli import build, content, merge, partner  # noqa: F401, E402  (each registers its commands on `cli`)
from generator.cli import workspace  # noqa: F401, E402  (init)
from generator.cli import serve  # noqa: F401, E402  (serve: the pack in the browser, rebuilt on save)
