"""`campaign-gen build`: the weekly post pack."""

from __future__ import annotations

import contextlib
import sys

import click

from generator import console
from generator.cli.base import cli, pack_request_options
from generator.errors import UsageError
from generator.pack.exporters.hootsuite import DATE_FORMATS as HOOTSUITE_DATE_FORMATS, DEFAULT_DATE_FORMAT


@cli.command("build")
@pack_request_options
@click.option("--partner", "partners", multiple=True, metavar="NAME",
              help="Build for the partner kit in partners/NAME/ (repeatable: a network build, as --all-partners).")
@click.option("--all-partners", is_flag=True,
              help="Also build every partner kit's pack, into <pack>/partners/<kit>/, with an index of them all.")
@click.option("--shard", metavar="I/N",
              help="Build only shard I of N of a network build, into --out (default: out/<pack>.shard-I-of-N/); "
                   "then put the shards together with campaign-gen merge (docs/scale.md).")
@click.option("--out", "out_dir", type=click.Path(), help="The output folder (default: out/ in the workspace).")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--jobs", type=click.IntRange(1), default=None, help="Worker processes for cards (default: the cores).")
@click.option("--zip", "make_zip", is_flag=True, help="Also write the pack as <label>.zip beside its folder.")
@click.option("--hootsuite-dates", "hootsuite_dates", type=click.Choice(list(HOOTSUITE_DATE_FORMATS)),
              default=DEFAULT_DATE_FORMAT, show_default=True, help="Date format of the Hootsuite CSV, as chosen at upload.")
@click.option("--media-base-url", metavar="URL",
              help="Where out/ is published (https): the scheduler files then name each card by its URL.")
@click.pass_obj
def build_command(obj, week, start, end, campaign_ids, platform_names, languages, partners, all_partners, shard,
                  out_dir, strict, jobs, make_zip, hootsuite_dates, media_base_url):
    """Build the weekly post pack: posts, cards, scheduler files, calendar, preview page and reports.

    Writes out/<week>/ (atomically: a failed build leaves the previous pack as it was). Exit 0 when clean,
    1 when a post has problems (warnings too with --strict; the pack is still written so the preview
    shows them), 2 when the request or an input file cannot be used.

    One --partner builds that kit's pack alone, into out/<week>+partner-NAME/. Several, or --all-partners,
    build the workspace's pack and then each kit's into out/<week>/partners/<kit>/, with an index page of
    them all: a kit that cannot be built is reported and the others are built; the exit code is the worst.

    With --shard I/N, a network build does only its shard I of N of the work (split by kit, campaign and
    language) into its own folder, for a CI matrix; `campaign-gen merge` puts the N folders together, byte for
    byte the unsharded build, and gives its exit code. A shard exits 0 once its part is written.

    \b
    Example:
      campaign-gen build --week 2026-W48
      campaign-gen build --from 2026-11-25 --to 2026-12-10 --campaign sixteen-days --lang en --zip
      campaign-gen build --week 2026-W48 --all-partners
      campaign-gen build --week 2026-W48 --all-partners --shard 2/4 --out shards/2
    """
    from pathlib import Path

    from generator.pack.build import build_pack_for_kit
    from generator.pack.model import PackOptions
    from generator.pack.settings import check_media_base_url
    from datetime import date

    from generator.dates import choose_period, past_period_warning

    if all_partners and partners:
        raise UsageError("give either --all-partners or --partner NAME, not both")
    network = all_partners or len(set(partners)) > 1
    if shard is not None:
        from generator.pack.shards import parse_shard

        shard = parse_shard(shard)
        if not network:
            raise UsageError("--shard splits a network build: give it with --all-partners or several --partner")
    period = choose_period(week, start, end)
    options = PackOptions(period, tuple(campaign_ids), tuple(platform_names), tuple(languages),
                          partners[0] if partners and not network else None, Path(out_dir) if out_dir else None,
                          strict, jobs, make_zip, hootsuite_dates, check_media_base_url(media_base_url))
    if network:
        from generator.partners.kit import partner_ids
        from generator.pack.network import build_network

        def failure_lines(err):  # a kit's folder name is the kit's own: escaped, it cannot forge a line
            return [console.printable(line) for line in console.error_lines(err)]

        kits = partner_ids(obj.workspace) if all_partners else partners
        if shard is not None:
            exit_code = _build_shard(obj.workspace, options, kits, shard, failure_lines)
        else:
            with _progress(period.label) as advance:
                built = build_network(obj.workspace, options, kits, failure_lines, advance,
                                      on_own=lambda pack: _report_pack(obj.workspace.display, pack),
                                      on_kit=_report_kit)
            click.echo(f"partner packs listed in {obj.workspace.display(built.index)}")
            exit_code = built.exit_code
    else:
        with _progress(period.label) as advance:
            pack = build_pack_for_kit(obj.workspace, options, advance)
        _report_pack(obj.workspace.display, pack)
        exit_code = pack.exit_code
    if past := past_period_warning(period, date.today()):
        click.echo(f"warning: {past}", err=True)
    return exit_code


@contextlib.contextmanager
def _progress(label: str):
    """A progress callback drawing a bar on a terminal (on stderr, so piped output stays clean); None otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label=f"Building {label}", file=sys.stderr) as bar:
        def advance(steps, total):
            bar.length = total
            bar.update(steps)
        yield advance


def _report_pack(display, pack) -> None:
    """A pack just written; `display(path)` shows a path as the person reads it."""
    click.echo(f"pack written to {display(pack.folder)}/ (open index.html to review it)")
    if pack.zip_path:
        click.echo(f"zip written to {display(pack.zip_path)}")
    click.echo(console.pack_summary(pack))
    if pack.problems:
        click.echo(f"problems listed in {display(pack.folder / 'report.txt')}")


def _report_kit(outcome) -> None:
    """A kit of a network build, as soon as it is done: its summary, or why it could not be built (on stderr)."""
    if outcome.pack is not None:
        click.echo(console.pack_summary(outcome.pack))
        return
    for line in outcome.failure:
        click.echo(line, err=True)
    click.echo(f"partner kit '{console.printable(outcome.kit)}': not built (exit 2); the other kits are built")


def _build_shard(workspace, options, kits, shard, failure_lines) -> int:
    """`build --shard I/N`: the shard's parts, each reported as it is done; exit 0 once the shard is written."""
    from generator.errors import EXIT_CLEAN, plural
    from generator.pack.network import NETWORK_FOLDER
    from generator.pack.shards import build_shard

    label = options.folder_name

    def report(part):
        name = f"{label}/{NETWORK_FOLDER}/{console.printable(part.kit)}" if part.kit else label
        pairs = ", ".join(f"{campaign}/{language}" for campaign, language in part.pairs)
        if part.built is not None:
            click.echo(f"{name} ({pairs}): {plural(part.built['posts'], 'post')}, "
                       f"{plural(part.built['cards'], 'card')} ({part.built['drawn']} drawn)")
            return
        for line in part.failure:
            click.echo(line, err=True)
        click.echo(f"partner kit '{console.printable(part.kit)}': not built in this shard (exit 2 once merged); "
                   "the other kits are built")

    built = build_shard(workspace, options, kits, shard, failure_lines, options.out_dir, on_part=report)
    shown = str(built.folder) if options.out_dir is not None else workspace.display(built.folder)
    click.echo(f"shard {shard} written to {shown}/ ({built.share} of {built.units} parts of the work); "
               f"put the {shard.count} shards together with campaign-gen merge")
    return EXIT_CLEAN
