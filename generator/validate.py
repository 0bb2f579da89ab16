"""`validate`: every campaign loaded, every message checked, one report.

Input errors in one campaign do not hide the others: each file is loaded on its own and its errors are
kept, so a single run shows everything that needs fixing. The exit code follows DESIGN.md: 2 when any
file is unusable, else 1 when content problems fail the run (warnings too with --strict), else 0.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field, replace

from generator import campaign as campaigns
from generator.errors import CampaignGenError, InvalidInput, Problem, error, has_errors, warning
from generator.workspace import Workspace


@dataclass
class CampaignReport:
    campaign_id: str
    problems: list[Problem] = field(default_factory=list)  # content problems and file warnings
    input_errors: list[Problem] = field(default_factory=list)  # the file is unusable
    messages: int = 0
    observances: int = 0


@dataclass
class ValidationReport:
    campaigns: list[CampaignReport]
    strict: bool = False

    @property
    def problems(self) -> list[Problem]:
        return [p for report in self.campaigns for p in report.problems]

    @property
    def input_errors(self) -> list[Problem]:
        return [line for report in self.campaigns for line in report.input_errors]

    @property
    def exit_code(self) -> int:
        if self.input_errors:
            return 2
        return 1 if has_errors(self.problems, self.strict) else 0

    def counts(self) -> tuple[int, int]:
        errors = sum(p.is_error for p in self.problems) + len(self.input_errors)
        return errors, sum(not p.is_error for p in self.problems)


def validate_campaigns(workspace: Workspace, ids=None, *, strict: bool = False,
                       content_checks=None) -> ValidationReport:
    """Load and check each campaign. `content_checks(loaded, workspace) -> list[Problem]` adds the content
    checks (by default `check_content`) to a LoadedCampaign."""
    content_checks = content_checks or check_content
    ids = sorted(set(ids)) if ids else campaigns.campaign_ids(workspace)
    if not ids:
        raise CampaignGenError(f"no campaigns found in {workspace.display(workspace.campaigns_dir)}/")
    known = set(campaigns.campaign_ids(workspace))
    for campaign_id in ids:
        if campaign_id not in known:
            campaigns.load_campaign(workspace, campaign_id)  # raises the "unknown campaign; known: ..." error
    reports = []
    for campaign_id in ids:
        report = CampaignReport(campaign_id)
        try:
            loaded = campaigns.load_campaign_with_warnings(workspace, campaign_id)
        except InvalidInput as err:
            report.input_errors = list(err.problems)
        except CampaignGenError as err:
            report.input_errors = [error("input.file", err.detail, str(err.location or ""))]
        else:
            report.problems = list(loaded.warnings) + list(content_checks(loaded, workspace))
            report.messages = len(loaded.campaign.messages)
            report.observances = len(loaded.campaign.observances)
        reports.append(report)
    return ValidationReport(reports, strict)


def check_content(loaded, workspace: Workspace) -> list[Problem]:
    """Each message's own texts against every platform it targets (pointing at their lines in the campaign
    file), then every message rendered on every platform and language with all the post checks."""
    from generator.checks import check_campaign_messages
    from generator.guards.published import check_published_texts
    from generator.posts import check_campaign

    return (check_campaign_messages(loaded.campaign, loaded.source) + check_published_texts(loaded, workspace)
            + placed_at_their_message(check_campaign(loaded.campaign, workspace), loaded) + check_schedule(loaded))


def placed_at_their_message(problems, loaded) -> list[Problem]:
    """Problems of rendered posts (`where` = campaign/message/platform/language) placed at the message's text in
    the campaign file, with the platform: `campaigns/x.yaml:40:11: messages[0].text.fr (mastodon)`."""
    campaign, index = loaded.campaign, {m.id: i for i, m in enumerate(loaded.campaign.messages)}
    placed = []
    for problem in problems:
        parts = problem.where.split("/")
        if len(parts) == 4 and parts[0] == campaign.id and parts[1] in index:
            _, message_id, platform, language = parts
            field = _field_quoted(problem.message, campaign.messages[index[message_id]], language)
            where = f"{loaded.source.where(('messages', index[message_id], field, language))} ({platform})"
            problem = replace(problem, where=where)
        placed.append(problem)
    return placed


_QUOTED = re.compile(r"^\"([^\"]+)\"|^'([^']+)'")  # what a terms.* or facts.* message quotes first
POST_FIELDS = ("text", "short", "call_to_action", "headline")


def _field_quoted(message_text: str, message, language: str) -> str:
    """The message's field that holds what the problem quotes (a wording, a figure): a post is its text, short
    variant or call to action; `text` when none holds it (the problem is the whole post's, or the template's)."""
    quoted = _QUOTED.match(message_text)
    if quoted:
        fragment = (quoted.group(1) or quoted.group(2)).casefold()
        for field in POST_FIELDS:
            if fragment in (getattr(message, field).get(language) or "").casefold():
                return field
    return "text"


def check_schedule(loaded) -> list[Problem]:
    """`schedule.never-posted` for each message the schedule never reaches, at the message's id."""
    from generator.schedule import REFERENCE_YEARS, never_scheduled

    campaign, problems = loaded.campaign, []
    for message in never_scheduled(campaign):
        index = campaign.messages.index(message)
        problems.append(warning("schedule.never-posted", f"message '{message.id}' is never posted in "
                                f"{REFERENCE_YEARS[0]}-{REFERENCE_YEARS[1]}: feature it on an observance, or widen "
                                "the campaign's season (see `campaign-gen list --stats`)",
                                loaded.source.where(("messages", index, "id"))))
    return problems
