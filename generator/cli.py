"""The command line: a thin click layer over the library.

Each command parses its options, calls one library function and prints its result. Library errors
(`CampaignGenError`) become one line on stderr and exit code 2 here, in one place (`main`); content
problems decide between exit 0 and 1. No traceback ever reaches a person for bad input.
"""

from __future__ import annotations

import signal
import sys

import click

from generator import console
from generator.errors import CampaignGenError
from generator.pack.exporters.hootsuite import DATE_FORMATS as HOOTSUITE_DATE_FORMATS, DEFAULT_DATE_FORMAT
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


@cli.command("list")
@click.option("--from", "start", callback=parse_date, metavar="DATE", help="First day (YYYY-MM-DD); default today.")
@click.option("--weeks", type=click.IntRange(1, 520), default=4, show_default=True, help="How many weeks to show.")
@click.option("--stats", is_flag=True,
              help="Instead: each message's share of the posts over the year of --from (default this year).")
@click.pass_obj
def list_command(obj, start, weeks, stats):
    """List upcoming observances with their dates and the year's theme.

    \b
    Example:
      campaign-gen list --from 2026-07-01 --weeks 5
      campaign-gen list --stats --from 2026-01-01
    """
    from datetime import date
    from generator.dates import upcoming
    from generator.campaign import load_campaigns

    start = start or date.today()
    if stats:
        from generator.schedule import message_counts

        for campaign in load_campaigns(obj.workspace):
            counts = message_counts(campaign, date(start.year, 1, 1), date(start.year, 12, 31))
            for line in console.message_share_lines(campaign, start.year, counts):
                click.echo(line)
        return EXIT_CLEAN
    for line in console.occurrence_lines(upcoming(load_campaigns(obj.workspace), start, weeks), start, weeks):
        click.echo(line)
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
    click.echo(console.validation_json(report) if output_format == "json" else console.validation_text(report))
    return report.exit_code


@cli.command("card")
@click.argument("campaign_id", metavar="CAMPAIGN")
@click.option("--message", "message_id", required=True, help="The message id.")
@click.option("--format", "card_format", default="square", show_default=True,
              help="square, portrait, landscape, linkedin, story, or all (then -o is a folder).")
@click.option("--lang", "language", default="en", show_default=True, help="The language of the card's text.")
@click.option("--layout", default="statement", show_default=True, help="A layout in templates/cards/.")
@click.option("--debug", is_flag=True, help="Draw the layers' boxes and the safe area.")
@click.option("--jobs", type=click.IntRange(1), default=None, help="Worker processes (default: the number of cores).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=True), help="The PNG file to write.")
@click.pass_obj
def card_command(obj, campaign_id, message_id, card_format, language, layout, debug, jobs, output):
    """Draw one image card (and its alt text, beside it as .alt.txt).

    Exit 0 when clean, 1 when the card has problems (text that does not fit, low contrast),
    2 when an input cannot be used.

    \b
    Example:
      campaign-gen card orange-day --message orange-the-world --format story --lang ar -o card.png
    """
    from generator.campaign import load_campaign_with_warnings
    from generator.cards import render_cards, requests_for_output

    loaded = load_campaign_with_warnings(obj.workspace, campaign_id)
    requests, out_dir = requests_for_output(obj.workspace, loaded.campaign, message_id, card_format, language,
                                            layout, output, debug=debug, source=loaded.source)
    results = render_cards(requests, out_dir, jobs=jobs)
    for line in console.card_lines(results):
        click.echo(line)
    return EXIT_CLEAN if all(result.ok for result in results) else EXIT_PROBLEMS


@cli.group("partner")
def partner_group():
    """Partner kits: partners/<name>/ with partner.yaml and template overrides (docs/partners.md).

    \b
    Example:
      campaign-gen partner init my-ngo --copy-template posts/base.j2
      campaign-gen partner check my-ngo
      campaign-gen build --partner my-ngo
    """


@partner_group.command("init")
@click.argument("name")
@click.option("--copy-template", "templates", multiple=True, metavar="PATH",
              help="A stock template to copy into the kit for editing, relative to templates/ (e.g. posts/x.j2).")
@click.pass_obj
def partner_init_command(obj, name, templates):
    """Create partners/NAME/ with a commented partner.yaml and copies of the chosen templates.

    \b
    Example:
      campaign-gen partner init my-ngo --copy-template posts/base.j2
    """
    from generator.partners.scaffold import init_partner

    kit, files = init_partner(obj.workspace, name, templates)
    for path in files:
        click.echo(f"created {path.as_posix()}")
    click.echo(f"next: edit partners/{kit}/partner.yaml, then run: campaign-gen partner check {kit}")
    return EXIT_CLEAN


@partner_group.command("list")
@click.pass_obj
def partner_list_command(obj):
    """List the partner kits with their names and languages; a kit that fails its checks is marked.

    \b
    Example:
      campaign-gen partner list
    """
    from generator.partners.kit import load_partner, partner_ids, workspace_campaigns

    names = partner_ids(obj.workspace)
    campaigns = workspace_campaigns(obj.workspace) if names else []
    for name in names:
        try:
            partner = load_partner(obj.workspace, name, campaigns)
            click.echo(f"{name}  {partner.name} ({', '.join(partner.languages)})")
        except CampaignGenError:
            click.echo(f"{name}  (does not pass its checks: campaign-gen partner check {name})")
    if not names:
        click.echo("no partner kits in partners/ (campaign-gen partner init NAME makes one)")
    return EXIT_CLEAN


@partner_group.command("check")
@click.argument("name")
@click.pass_obj
def partner_check_command(obj, name):
    """Check a partner kit: partner.yaml, logo, templates, card layouts, colour contrast and locked elements.

    Exit 0 when the kit is usable, 1 when its colours leave card text too faint (WCAG), 2 when it is unusable.

    \b
    Example:
      campaign-gen partner check example-ngo
    """
    from generator.pack.settings import load_settings
    from generator.partners.isolation import run_for_kit
    from generator.partners.kit import check_partner

    partner = run_for_kit(name, load_settings(obj.workspace).kit_limits, check_partner, obj.workspace, name)
    for problem in partner.warnings + partner.problems:
        click.echo(str(problem))
    click.echo(console.partner_line(partner))
    return EXIT_PROBLEMS if partner.problems else EXIT_CLEAN


@cli.command("render")
@click.argument("campaign_id", metavar="CAMPAIGN")
@click.option("--message", "message_ids", multiple=True, metavar="ID", help="Only this message (repeatable).")
@click.option("--platform", "platform_names", multiple=True, metavar="P", help="Only this platform (repeatable).")
@click.option("--lang", "language", default=None, help="Only this language (default: the campaign's languages).")
@click.option("--date", "day", callback=parse_date, metavar="DATE",
              help="The posting day (YYYY-MM-DD): its observance's name and theme go into the templates.")
@click.option("--partner", "partner_name", metavar="NAME", help="Render with the partner kit in partners/NAME/.")
@click.option("--json", "as_json", is_flag=True, help="Print the posts as JSON.")
@click.pass_obj
def render_command(obj, campaign_id, message_ids, platform_names, language, day, partner_name, as_json):
    """Render a campaign's posts and show each with its count, tags and problems.

    Exit 0 when clean, 1 when a post has problems (too long, wording to avoid, an unsourced figure),
    2 when a template or file cannot be used.

    \b
    Example:
      campaign-gen render orange-day --message orange-the-world --platform x --lang fr
    """
    from generator.campaign import load_campaign
    from generator.pack.settings import load_settings
    from generator.partners.isolation import run_for_kit
    from generator.partners.kit import posts_with_kit

    campaign = load_campaign(obj.workspace, campaign_id)
    posts = run_for_kit(partner_name, load_settings(obj.workspace).kit_limits, posts_with_kit, obj.workspace,
                        campaign, day, partner_name, messages=message_ids, platform_names=platform_names,
                        language=language)
    click.echo(console.posts_json(posts) if as_json else console.posts_text(posts))
    return EXIT_PROBLEMS if any(p.is_error for post in posts for p in post.problems) else EXIT_CLEAN


@cli.command("build")
@click.option("--week", metavar="YYYY-Www", help="An ISO week such as 2026-W48 (default: the coming week).")
@click.option("--from", "start", callback=parse_date, metavar="DATE", help="First day of a range (YYYY-MM-DD).")
@click.option("--to", "end", callback=parse_date, metavar="DATE", help="Last day of a range (YYYY-MM-DD).")
@click.option("--campaign", "campaign_ids", multiple=True, metavar="ID", help="Only this campaign (repeatable).")
@click.option("--platform", "platform_names", multiple=True, metavar="P", help="Only this platform (repeatable).")
@click.option("--lang", "languages", multiple=True, metavar="L", help="Only this language (repeatable).")
@click.option("--partner", metavar="NAME", help="Build for the partner kit in partners/NAME/.")
@click.option("--out", "out_dir", type=click.Path(), help="The output folder (default: out/ in the workspace).")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--jobs", type=click.IntRange(1), default=None, help="Worker processes for cards (default: the cores).")
@click.option("--zip", "make_zip", is_flag=True, help="Also write the pack as <label>.zip beside its folder.")
@click.option("--hootsuite-dates", "hootsuite_dates", type=click.Choice(list(HOOTSUITE_DATE_FORMATS)),
              default=DEFAULT_DATE_FORMAT, show_default=True, help="Date format of the Hootsuite CSV, as chosen at upload.")
@click.option("--media-base-url", metavar="URL",
              help="Where out/ is published (https): the scheduler files then name each card by its URL.")
@click.pass_obj
def build_command(obj, week, start, end, campaign_ids, platform_names, languages, partner, out_dir, strict, jobs,
                  make_zip, hootsuite_dates, media_base_url):
    """Build the weekly post pack: posts, cards, scheduler files, calendar, preview page and reports.

    Writes out/<week>/ (atomically: a failed build leaves the previous pack as it was). Exit 0 when clean,
    1 when a post has problems (warnings too with --strict; the pack is still written so the preview
    shows them), 2 when the request or an input file cannot be used.

    \b
    Example:
      campaign-gen build --week 2026-W48
      campaign-gen build --from 2026-11-25 --to 2026-12-10 --campaign sixteen-days --lang en --zip
    """
    from pathlib import Path

    from generator.pack.build import build_pack_for_kit
    from generator.pack.model import PackOptions
    from generator.pack.settings import check_media_base_url
    from datetime import date

    from generator.dates import choose_period, past_period_warning

    period = choose_period(week, start, end)
    options = PackOptions(period, tuple(campaign_ids), tuple(platform_names), tuple(languages), partner,
                          Path(out_dir) if out_dir else None, strict, jobs, make_zip, hootsuite_dates,
                          check_media_base_url(media_base_url))
    if sys.stderr.isatty():
        with click.progressbar(length=1, label=f"Building {period.label}", file=sys.stderr) as bar:
            def advance(steps, total):
                bar.length = total
                bar.update(steps)
            pack = build_pack_for_kit(obj.workspace, options, progress=advance)
    else:
        pack = build_pack_for_kit(obj.workspace, options)
    click.echo(f"pack written to {obj.workspace.display(pack.folder)}/ (open index.html to review it)")
    if pack.zip_path:
        click.echo(f"zip written to {obj.workspace.display(pack.zip_path)}")
    click.echo(console.pack_summary(pack))
    if pack.problems:
        click.echo(f"problems listed in {obj.workspace.display(pack.folder / 'report.txt')}")
    if past := past_period_warning(period, date.today()):
        click.echo(f"warning: {past}", err=True)
    return pack.exit_code


@cli.command("check")
@click.option("--platform", "platform_names", multiple=True, metavar="P",
              help="A platform to check for (repeatable; default: the campaign's platforms, else all).")
@click.option("--campaign", "campaign_id", default=None, metavar="ID",
              help="Also check the campaign's required, banned and CamelCase hashtags.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of text.")
@click.argument("text")
@click.pass_obj
def check_command(obj, platform_names, campaign_id, as_json, text):
    """Count TEXT as each platform does and check its links and hashtags (TEXT `-` reads stdin).

    Exit code 1 when any problem is an error.

    \b
    Example:
      campaign-gen check --platform x --platform bluesky "Orange the World #OrangeTheWorld"
      echo "Say no to violence #EndVAW" | campaign-gen check --campaign orange-day -
    """
    from generator import checks, platforms

    if text == "-":
        text = checks.read_stdin_text(sys.stdin.buffer.read())
    campaign = None
    if campaign_id:
        from generator.campaign import load_campaign

        campaign = load_campaign(obj.workspace, campaign_id)
    names = platform_names or (campaign.platforms if campaign else platforms.names())
    reports = [checks.report_post(text, platforms.get(name), campaign) for name in names]
    if as_json:
        click.echo(console.post_reports_json(reports))
    else:
        for report in reports:
            for line in console.post_report_lines(report):
                click.echo(line.encode("utf-8", "backslashreplace").decode("utf-8"))
    return EXIT_PROBLEMS if any(p.is_error for report in reports for p in report.problems) else EXIT_CLEAN
