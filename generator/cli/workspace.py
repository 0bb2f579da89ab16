"""`campaign-gen init [DIR]`: start a new workspace (generator/stock/scaffold.py)."""

from __future__ import annotations

import shlex

import click

from generator.cli.base import cli
from generator.errors import EXIT_CLEAN


@cli.command("init")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.pass_context
def init_command(ctx, folder):
    """Start a new workspace: an example campaign, an empty partners/ folder, a .gitignore and a GitHub Actions
    workflow, in FOLDER (default: --root, else the current folder). Existing files are never overwritten.

    \b
    Example:
      campaign-gen init my-campaigns
      cd my-campaigns && campaign-gen validate && campaign-gen build
    """
    from generator.stock.scaffold import init_workspace

    folder = folder or ctx.parent.params.get("root") or "."
    for path in init_workspace(folder):
        click.echo(f"created {path}")
    enter = "" if folder == "." else f"cd {shlex.quote(folder)} && "
    click.echo(f"next: {enter}campaign-gen validate && campaign-gen build")
    return EXIT_CLEAN
