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


def parse_date(ctx, param, value):
    """A click callback: YYYY-MM-DD to a date, with a plain-words error."""
    if value is None:
        return None
    from datetime import date
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; expected YYYY-MM-DD such as 2026-07-01") from None


@cli.command("list")
@click.option("--from", "start", callback=parse_date, metavar="DATE", help="First day (YYYY-MM-DD); default today.")
@click.option("--weeks", type=click.IntRange(1, 520), default=4, show_default=True, help="How many weeks to show.")
@click.pass_obj
def list_command(obj, start, weeks):
    """List upcoming observances with their dates and the year's theme.

    \b
    Example:
      campaign-gen list --from 2026-07-01 --weeks 5
    """
    from datetime import date
    from generator.calendar import upcoming
    from generator.campaign import load_campaigns

    start = start or date.today()
    found = upcoming(load_campaigns(obj.workspace), start, weeks)
    for occurrence in found:
        when = occurrence.start.strftime("%Y-%m-%d %a")
        if occurrence.is_period:
            when += f" to {occurrence.end.strftime('%Y-%m-%d %a')}"
        theme = f" (theme {occurrence.start.year}: {occurrence.theme})" if occurrence.theme else ""
        click.echo(f"{when}  {occurrence.campaign_id}: {occurrence.name}{theme}")
    if not found:
        click.echo(f"no observances from {start} over {weeks} weeks")
    return EXIT_CLEAN


@cli.command("validate")
@click.argument("campaign_ids", nargs=-1, metavar="[CAMPAIGN]...")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for CI.")
@click.pass_obj
def validate_command(obj, campaign_ids, strict, output_format):
    """Check campaigns: their files, and every message rendered on every platform and language.

    Exit 0 when clean, 1 when content problems are found (warnings too with --strict),
    2 when a file cannot be used.

    \b
    Example:
      campaign-gen validate
      campaign-gen validate orange-day --strict --format json
    """
    from generator.validate import validate_campaigns

    report = validate_campaigns(obj.workspace, campaign_ids, strict=strict)
    click.echo(report.as_json() if output_format == "json" else report.as_text())
    return report.exit_code
