"""The command line: a thin click layer over the library.

Each command parses its options, calls one library function and prints its result. Library errors
(`CampaignGenError`) become one line on stderr and exit code 2 here, in one place (`main`); content
problems decide between exit 0 and 1. No traceback ever reaches a person for bad input.
"""

from __future__ import annotations

import sys

import click

from generator.errors import CampaignGenError
from generator.workspace import find_workspace

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


class Context:
    """What every command needs: the workspace, found lazily so `--help` works anywhere."""

    def __init__(self, root):
        self._root = root
        self._workspace = None

    @property
    def workspace(self):
        if self._workspace is None:
            self._workspace = find_workspace(self._root)
        return self._workspace


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="The workspace folder (default: $CAMPAIGN_GEN_ROOT, else the nearest folder upward holding campaigns/).")
@click.version_option(package_name="campaign-gen")
@click.pass_context
def cli(ctx, root):
    """Turn campaign definitions into weekly, ready-to-publish social-media post packs.

    \b
    Example:
      campaign-gen validate
      campaign-gen list --from 2026-07-01 --weeks 5
    """
    ctx.obj = Context(root)


def main(argv=None):
    """Entry point of the console script: runs the CLI and turns input errors into exit code 2."""
    try:
        code = cli.main(args=argv, prog_name="campaign-gen", standalone_mode=False)
    except CampaignGenError as err:
        for line in str(err).splitlines():
            click.echo(f"error: {line}", err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.ClickException as err:
        err.show()
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.exit(EXIT_CLEAN)
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
