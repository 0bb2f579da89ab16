"""Commands that read and check content: list, validate, card, render, check."""

from __future__ import annotations

import sys

import click

from generator import console
from generator.cli.base import cli, parse_date
from generator.errors import EXIT_CLEAN, EXIT_PROBLEMS


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
@click.option("--layout", default=None, help="A layout in templates/cards/ (default: the campaign's for the message).")
@click.option("--debug", is_flag=True, help="Draw the layers' boxes and the safe area.")
@click.option("--jobs", type=click.IntRange(1), default=None, help="Worker processes (default: the number of cores).")
@click.option("-o", "--output", type=click.Path(dir_okay=True), help="The PNG file to write.")
@click.option("--explain", is_flag=True, help="Instead: print each text layer's lines, size and box as fitted.")
@click.option("--json", "as_json", is_flag=True, help="With --explain: print JSON.")
@click.pass_obj
def card_command(obj, campaign_id, message_id, card_format, language, layout, debug, jobs, output, explain, as_json):
    """Draw one image card (and its alt text, beside it as .alt.txt).

    Exit 0 when clean, 1 when the card has problems (text that does not fit, low contrast),
    2 when an input cannot be used.

    \b
    Example:
      campaign-gen card orange-day --message orange-the-world --format story --lang ar -o card.png
      campaign-gen card orange-day --message orange-the-world --format all --lang zh --explain
    """
    from generator.campaign import load_campaign_with_warnings
    from generator.cards import render_cards, requests_for_output

    if not output and not explain:
        raise click.UsageError("give -o FILE.png (the card to write), or --explain")
    if as_json and not explain:
        raise click.UsageError("--json goes with --explain")
    loaded = load_campaign_with_warnings(obj.workspace, campaign_id)
    if layout is None:  # as the pack draws it: the message's own layout, else its kind's (brand.layouts)
        known = {message.id: message for message in loaded.campaign.messages}
        layout = loaded.campaign.brand.layout_for(known[message_id]) if message_id in known else "statement"
    placeholder = "." if card_format == "all" else "card.png"  # --explain writes nothing
    requests, out_dir = requests_for_output(obj.workspace, loaded.campaign, message_id, card_format, language,
                                            layout, output or placeholder, debug=debug, source=loaded.source)
    if explain:
        import json

        from generator.cards.explain import explain_card
        from generator.cards.resolve import Resolver

        resolver = Resolver()
        explained = [explain_card(request, resolver) for request in requests]
        if as_json:
            click.echo(json.dumps(explained, ensure_ascii=False, indent=2))
        else:
            for explanation in explained:
                for line in console.card_explanation_lines(explanation):
                    click.echo(line)
        return EXIT_PROBLEMS if any(p["severity"] == "error" for e in explained for p in e["problems"]) \
            else EXIT_CLEAN
    results = render_cards(requests, out_dir, jobs=jobs)
    for line in console.card_lines(results):
        click.echo(line)
    return EXIT_CLEAN if all(result.ok for result in results) else EXIT_PROBLEMS



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
