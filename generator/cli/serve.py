"""`campaign-gen serve`: the pack in the browser, rebuilt and updated on every save (generator/serve/)."""

from __future__ import annotations

import signal

import click

from generator import console
from generator.cli.base import cli, pack_request_options
from generator.errors import EXIT_CLEAN


@cli.command("serve")
@pack_request_options
@click.option("--partner", metavar="NAME",
              help="The pack of the partner kit in partners/NAME/ (its folder is watched too).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; anything but loopback makes the pack readable from other machines.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--jobs", type=click.IntRange(1), default=None, help="Worker processes for cards (default: the cores).")
@click.pass_obj
def serve_command(obj, week, start, end, campaign_ids, platform_names, languages, partner, host, port, jobs):
    """Serve the week's pack on this machine and rebuild it on every save.

    The pack is built into a temporary folder (never into the workspace) and served at http://HOST:PORT/.
    campaigns/, templates/, assets/, facts/, campaign-gen.yaml and the kit's folder are watched: a save
    rebuilds the pack and the open pages update by themselves, keeping their scroll position and filters.
    An input error does not stop the server: its lines are printed here and shown on the page in place of the
    pack until a save fixes it. Ctrl-C (or SIGTERM) stops it and removes the temporary folder; exit 0.

    \b
    Example:
      campaign-gen serve
      campaign-gen serve --week 2026-W48 --partner example-ngo --port 8001
    """
    from generator.dates import choose_period
    from generator.pack.model import PackOptions
    from generator.serve import ServeSession, is_loopback

    options = PackOptions(choose_period(week, start, end), tuple(campaign_ids), tuple(platform_names),
                          tuple(languages), partner, jobs=jobs)
    workspace = obj.workspace
    if not is_loopback(host):
        click.echo(f"warning: serving on {host}, not on loopback: anyone who can reach this machine can read the "
                   "pack (there is no password); leave out --host to serve on 127.0.0.1 only", err=True)

    def report(outcome):
        if outcome.changed:
            click.echo(f"changed: {', '.join(console.printable(name) for name in outcome.changed)}")
        if outcome.error is not None:
            for line in outcome.error:
                click.echo(line, err=True)
            click.echo(f"not built ({outcome.seconds:.2f} s): the page shows the error until a save fixes it",
                       err=True)
        else:
            click.echo(f"{console.pack_summary(outcome.pack)} (built in {outcome.seconds:.2f} s)")

    session = ServeSession(workspace, options, host, port, report)
    try:
        session.open()
        click.echo(f"serving {options.folder_name} at {session.url} (Ctrl-C to stop)")
        click.echo(f"watching {', '.join(session.watched)} in {workspace.root}")
        session.run()
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (base.main turns it into the same)
        pass
    finally:
        _close_unhurried(session)
    click.echo("stopped")
    return EXIT_CLEAN


def _close_unhurried(session) -> None:
    """Close the session with Ctrl-C and SIGTERM held off, so a second one cannot cut the clean-up short."""
    held = {signum: signal.signal(signum, signal.SIG_IGN) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        session.close()
    finally:
        for signum, handler in held.items():
            signal.signal(signum, handler)
