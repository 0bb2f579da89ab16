"""`campaign-gen merge`: the shards of a sharded network build put together."""

from __future__ import annotations

import click

from generator import console
from generator.cli.base import cli
from generator.cli.build import _report_kit, _report_pack


@cli.command("merge")
@click.argument("shard_dirs", nargs=-1, required=True, metavar="SHARD_DIR...", type=click.Path())
@click.option("--out", "out_dir", required=True, type=click.Path(), metavar="DIR",
              help="The output folder: the merged pack goes into DIR/<pack>/, as `build --out DIR` writes it.")
def merge_command(shard_dirs, out_dir):
    """Put the shards of `build --all-partners --shard I/N` together into one pack, byte for byte the pack the
    unsharded build writes: the workspace's own pack, every kit's in partners/<kit>/, and their index.

    Every shard 1 to N must be given once, built by the same campaign-gen from the same inputs and options;
    anything else is refused before a byte is written. The pack is swapped into place whole. Exit codes as
    `build --all-partners`: 0 clean, 1 when a pack has errors, 2 when a kit could not be built.

    \b
    Example:
      campaign-gen merge shards/1 shards/2 shards/3 shards/4 --out out
    """
    from pathlib import Path

    from generator.pack.merge import merge_shards

    def failure_lines(err):  # a kit's folder name is the kit's own: escaped, it cannot forge a line
        return [console.printable(line) for line in console.error_lines(err)]

    built = merge_shards([Path(folder) for folder in shard_dirs], Path(out_dir), failure_lines,
                         on_own=lambda pack: _report_pack(str, pack), on_kit=_report_kit)
    click.echo(f"partner packs listed in {built.index}")
    return built.exit_code
