"""The command group, its entry point and what every command shares: the workspace, the exit codes, dates.

Library errors (`CampaignGenError`) become one line on stderr and exit code 2 here, in one place (`main`);
content problems decide between exit 0 and 1. No traceback ever reaches a person for bad input.
"""

from __future__ import annotations

import signal
import sys

import click

from generator import console
from generator.errors import EXIT_CLEAN, EXIT_UNUSABLE, CampaignGenError
from generator.workspace import find_workspace



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


def _stop_on_terminate(signum, frame):
    """SIGTERM (a cancelled CI job, `kill`) stops a build the way Ctrl-C does: its staging folder and card
    workers are cleaned up and the previous pack stays as it was."""
    raise KeyboardInterrupt


def main(argv=None):
    """Entry point of the console script: runs the CLI and turns input errors into exit code 2."""
    previous = signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        code = cli.main(args=argv, prog_name="campaign-gen", standalone_mode=False)
    except CampaignGenError as err:
        for line in console.error_lines(err):
            click.echo(line, err=True)
        sys.exit(EXIT_UNUSABLE)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("aborted", err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.ClickException as err:
        err.show()
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.exit(EXIT_CLEAN)
    except OSError as err:  # a full disk, a file where a folder should be: the system's words, with the file
        click.echo(console.error_line(str(err.filename or ""), str(err.strerror or err)), err=True)
        sys.exit(EXIT_UNUSABLE)
    finally:
        signal.signal(signal.SIGTERM, previous)
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)


def pack_request_options(command):
    """The options saying which pack to make, shared by `build` and `serve`: the period (--week, or --from and
    --to) and the filters (--campaign, --platform, --lang)."""
    for option in reversed((
        click.option("--week", metavar="YYYY-Www", help="An ISO week such as 2026-W48 (default: the coming week)."),
        click.option("--from", "start", callback=parse_date, metavar="DATE", help="First day of a range (YYYY-MM-DD)."),
        click.option("--to", "end", callback=parse_date, metavar="DATE", help="Last day of a range (YYYY-MM-DD)."),
        click.option("--campaign", "campaign_ids", multiple=True, metavar="ID",
                     help="Only this campaign (repeatable)."),
        click.option("--platform", "platform_names", multiple=True, metavar="P",
                     help="Only this platform (repeatable)."),
        click.option("--lang", "languages", multiple=True, metavar="L", help="Only this language (repeatable)."),
    )):
        command = option(command)
    return command


def parse_date(ctx, param, value):
    """A click callback: YYYY-MM-DD to a date, with a plain-words error."""
    if value is None:
        return None
    from datetime import date
    from generator.dates import check_supported
    try:
        return check_supported(date.fromisoformat(value))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; expected YYYY-MM-DD such as 2026-07-01") from None
    except CampaignGenError as err:
        raise click.BadParameter(str(err)) from None
