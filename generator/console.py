"""What the command line prints: the library's results turned into text (and JSON) for people and CI.

The library returns data (posts, reports, packs, partners, card results); only the CLI decides how they read
on a terminal. Kept apart from cli.py so that the click layer stays a few lines per command, and with no
click here, so the text can be tested as plain strings.
"""

from __future__ import annotations

import json

from generator.errors import CampaignGenError, InvalidInput, count_problems, plural, tally


# -- errors --------------------------------------------------------------------------------------------------------
# One format for every line about a place, in every command: `place: severity: message`, as compilers write
# them (and as Problem prints itself, with its stable code). Unusable input has no code: it is not filtered on.
def printable(name: str) -> str:
    """A name from the file system (a kit's folder) as one line: control characters escaped (`nl\\nfake`), so a
    crafted folder name cannot forge a line of the report."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)


def error_line(place: str, message: str) -> str:
    return f"{place}: error: {message}" if place else f"error: {message}"


def error_lines(err: CampaignGenError) -> list[str]:
    """Unusable input as every command prints it: one line per problem, e.g.
    `campaigns/orange-day.yaml:14:5: messages[2].text.fr: error: expected a string, got a list`."""
    if isinstance(err, InvalidInput):
        return [error_line(problem.where, problem.message) for problem in err.problems]
    place = ": ".join(part for part in (str(err.location or ""), err.key_path) if part)
    return [error_line(place, line) for line in err.detail.splitlines() or [""]]


# -- validate ------------------------------------------------------------------------------------------------------
def validation_text(report) -> str:
    """`campaign-gen validate`: each problem, a line per campaign, and the closing count."""
    lines = []
    for campaign in report.campaigns:
        lines.extend(error_line(p.where, p.message) for p in campaign.input_errors)
        lines.extend(str(p) for p in campaign.problems)
        if campaign.input_errors:
            lines.append(f"{campaign.campaign_id}: unusable")
        else:
            state = tally(campaign.problems) if campaign.problems else "ok"
            lines.append(f"{campaign.campaign_id}: {plural(campaign.messages, 'message')}, "
                         f"{plural(campaign.observances, 'observance')}: {state}")
    errors, warnings = report.counts()
    lines.append(f"{plural(len(report.campaigns), 'campaign')} checked: {plural(errors, 'error')}, "
                 f"{plural(warnings, 'warning')}")
    return "\n".join(lines)


def validation_json(report) -> str:
    """`campaign-gen validate --format json`: the same report for CI."""
    errors, warnings = report.counts()
    data = {
        "campaigns": [
            {
                "id": campaign.campaign_id,
                "usable": not campaign.input_errors,
                "input_errors": [p.as_dict() for p in campaign.input_errors],
                "messages": campaign.messages,
                "observances": campaign.observances,
                "problems": [p.as_dict() for p in campaign.problems],
            }
            for campaign in report.campaigns
        ],
        "errors": errors,
        "warnings": warnings,
        "exit_code": report.exit_code,
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


# -- list ----------------------------------------------------------------------------------------------------------
def occurrence_lines(found, start, weeks: int) -> list[str]:
    """`campaign-gen list`: one line per observance, with its dates and the year's theme."""
    lines = []
    for occurrence in found:
        when = occurrence.start.strftime("%Y-%m-%d %a")
        if occurrence.is_period:
            when += f" to {occurrence.end.strftime('%Y-%m-%d %a')}"
        theme = f" (theme {occurrence.start.year}: {occurrence.theme})" if occurrence.theme else ""
        lines.append(f"{when}  {occurrence.campaign_id}: {occurrence.name}{theme}")
    return lines or [f"no observances from {start} over {weeks} weeks"]


# -- list --stats --------------------------------------------------------------------------------------------------
def message_share_lines(campaign, year: int, counts: dict) -> list[str]:
    """`campaign-gen list --stats`: a campaign's posts in a year, then each message's count and share."""
    total = sum(counts.values())
    accounts = len(campaign.platforms) * len(campaign.languages)
    lines = [f"{campaign.id}: {plural(total, 'post')} in {year} on {plural(accounts, 'account')}"]
    width = max(len(message_id) for message_id in counts)
    for message_id, count in counts.items():
        share = f"{100 * count / total:5.1f}%" if count else "never posted"
        lines.append(f"  {message_id:<{width}}  {count:>6}  {share}")
    return lines


# -- render --------------------------------------------------------------------------------------------------------
def posts_text(posts) -> str:
    """`campaign-gen render`: each post with a header (where, count, fitting), its text, tags and problems."""
    blocks = []
    for post in posts:
        kind = f"thread of {len(post.parts)}" if post.is_thread else post.fitting
        lines = [f"== {post.where}  {post.count}/{post.limit}  {kind}", post.text]
        lines.append("tags: " + (" ".join(f"#{t}" for t in post.tags) if post.tags else "(none)"))
        lines.extend(f"{p.severity.value}: {p.message} [{p.code}]" for p in post.problems)
        blocks.append("\n".join(lines))
    blocks.append(f"{plural(len(posts), 'post')}: {tally(p for post in posts for p in post.problems)}")
    return "\n\n".join(blocks)


def posts_json(posts) -> str:
    """`campaign-gen render --json`."""
    errors, warnings = count_problems(p for post in posts for p in post.problems)
    data = {"posts": [post.as_dict() for post in posts], "errors": errors, "warnings": warnings}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


# -- check ---------------------------------------------------------------------------------------------------------
def post_report_lines(report) -> list[str]:
    """`campaign-gen check`, one platform: `x: 291/280 (11 over); tags: #OrangeTheWorld`, then one indented line
    per problem."""
    if report.remaining >= 0:
        numbers = f"{report.count}/{report.limit} ({report.remaining} left)"
    else:
        numbers = f"{report.count}/{report.limit} ({-report.remaining} over)"
    tags = " ".join(f"#{tag}" for tag in report.tags) or "none"
    lines = [f"{report.platform}: {numbers}; tags: {tags}"]
    lines.extend(f"  {problem}" for problem in report.problems)
    return lines


def post_reports_json(reports) -> str:
    """`campaign-gen check --json`."""
    return json.dumps({"platforms": [report.as_dict() for report in reports]}, indent=2, sort_keys=True)


# -- card ----------------------------------------------------------------------------------------------------------
def card_lines(results) -> list[str]:
    """`campaign-gen card`: one line per card written, then one per problem."""
    lines = [f"wrote {result.path.as_posix()} and {result.name}.alt.txt" for result in results
             if result.path is not None]
    return lines + [str(problem) for result in results for problem in result.problems]


def card_explanation_lines(explanation: dict) -> list[str]:
    """`campaign-gen card --explain`: each text layer's size, box and lines as fitted, then the alt text."""
    width, height = explanation["size"]
    lines = [f"{explanation['card']}: {explanation['format']} {width}x{height}, layout {explanation['layout']}, "
             f"{explanation['language']}"]
    for layer in explanation["layers"]:
        x, y, w, h = layer["box"]
        if layer.get("overflow"):
            lines.append(f"  {layer['layer']} ({layer['type']}): does not fit even at {layer['min_size']} px: "
                         f"{layer['overflow']}; box {w}x{h} at {x},{y}")
            continue
        lines.append(f"  {layer['layer']} ({layer['type']}): {layer['size']} px (from {layer['min_size']} to "
                     f"{layer['max_size']}), {len(layer['lines'])} of at most {layer['max_lines']} lines, "
                     f"{layer['wrap']}, box {w}x{h} at {x},{y}")
        lines += [f"    | {text}" for text in layer["lines"]]
    lines.append(f"  alt text: {explanation['alt_text']}")
    lines += [f"  {problem['severity']}: {problem['message']} [{problem['code']}]"
              for problem in explanation["problems"]]
    return lines


# -- partner -------------------------------------------------------------------------------------------------------
def partner_line(partner) -> str:
    """`partner check`: one line saying what a checked kit changes."""
    overrides = []
    if partner.templates_dir is not None:
        overrides = sorted(p.relative_to(partner.templates_dir).as_posix()
                           for p in partner.templates_dir.rglob("*") if p.is_file())
    parts = [f"languages {', '.join(partner.languages)}"]
    if partner.logo:
        parts.append(f"logo {partner.logo}")
    if partner.colours:
        parts.append("colours " + ", ".join(f"{role} {value}" for role, value in sorted(partner.colours.items())))
    if partner.hashtags:
        parts.append("hashtags " + " ".join(f"#{tag}" for tag in partner.hashtags))
    if overrides:
        parts.append("overrides " + ", ".join(overrides))
    verdict = "usable, with problems" if partner.problems else "ok"
    return f"partners/{partner.id}: {verdict} ({partner.name}; {'; '.join(parts)})"


# -- build ---------------------------------------------------------------------------------------------------------
def pack_summary(pack) -> str:
    """`campaign-gen build`: `2026-W48: 630 posts on 7 days, 360 cards (12 drawn), 0 errors, 0 warnings`."""
    days = len({post.slot.day for post in pack.posts})
    return (f"{pack.options.folder_name}: {plural(len(pack.posts), 'post')} on {plural(days, 'day')}, "
            f"{plural(pack.cards_total, 'card')} ({pack.cards_drawn} drawn), {pack.tally()}")
