"""`campaign-gen partner`: start, list and check partner kits."""

from __future__ import annotations

import click

from generator import console
from generator.cli.base import cli
from generator.errors import EXIT_CLEAN, EXIT_PROBLEMS, CampaignGenError


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
        shown = console.printable(name)
        try:
            partner = load_partner(obj.workspace, name, campaigns)
            click.echo(f"{shown}  {partner.name} ({', '.join(partner.languages)})")
        except (CampaignGenError, OSError):  # OSError: a name or path the system refuses (too long)
            click.echo(f"{shown}  (does not pass its checks: campaign-gen partner check {shown})")
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
