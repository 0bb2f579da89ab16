"""The reports CI reads: report.json (machine), report.txt (people), junit.xml (one test case per post).

All three say the same thing: how many posts, cards, errors and warnings, the exit code the build returns,
and every problem with the post or file it belongs to. A warning fails a post only with --strict.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from generator.errors import plural
from generator.pack.exporters.files import write_text
from generator.pack.exporters.posts_json import dumps

JSON_FILE, TEXT_FILE, JUNIT_FILE = "report.json", "report.txt", "junit.xml"


def summary(pack) -> dict:
    errors, warnings = pack.counts()
    return {"posts": len(pack.posts), "cards": pack.cards_total, "errors": errors, "warnings": warnings,
            "posts_with_errors": pack.posts_with_errors, "posts_with_warnings": pack.posts_with_warnings,
            "strict": pack.options.strict, "exit_code": pack.exit_code}


def report_json(pack) -> str:
    strict = pack.options.strict
    return dumps({
        "pack": pack.period.label,
        "summary": summary(pack),
        "file_problems": [p.as_dict() for p in pack.file_problems],
        "pack_problems": [p.as_dict() for p in pack.pack_problems],
        "posts": [{"id": post.where, "local_time": post.slot.local_time, "status": post.status(strict),
                   "problems": [p.as_dict() for p in post.problems]} for post in pack.posts],
    })


def report_text(pack) -> str:
    lines = [f"Post pack {pack.period.label} ({pack.period.start} to {pack.period.end})"]
    lines.extend(str(p) for p in pack.file_problems + pack.pack_problems)
    for post in pack.posts:
        for problem in post.problems:
            lines.append(f"{post.slot.local_time} {post.where}: {problem.severity.value}: {problem.message} "
                         f"[{problem.code}]")
    data = summary(pack)
    lines.append(f"{plural(data['posts'], 'post')}, {plural(data['cards'], 'card')}: {pack.tally()}"
                 f"{' (strict: warnings fail)' if data['strict'] else ''}; exit code {data['exit_code']}")
    return "\n".join(lines) + "\n"


def junit_xml(pack) -> str:
    """JUnit XML as CI servers read it: a suite per campaign, a test case per post, failures per problem."""
    strict = pack.options.strict
    root = ET.Element("testsuites", name=f"campaign-gen {pack.period.label}")
    suites: dict = {}
    for post in pack.posts:
        suite = suites.get(post.post.campaign)
        if suite is None:
            suite = suites[post.post.campaign] = ET.SubElement(root, "testsuite", name=post.post.campaign)
        case = ET.SubElement(suite, "testcase", classname=f"{post.post.campaign}.{post.post.platform}."
                             f"{post.post.language}", name=f"{post.slot.local_time} {post.post.message}")
        failing = [p for p in post.problems if p.is_error or strict]
        if failing:
            failure = ET.SubElement(case, "failure", message="; ".join(p.message for p in failing),
                                    type=failing[0].code)
            failure.text = "\n".join(str(p) for p in failing)
        notes = [p for p in post.problems if p not in failing]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(str(p) for p in notes)
    total_failures = 0
    for suite in suites.values():
        cases = suite.findall("testcase")
        failures = sum(case.find("failure") is not None for case in cases)
        total_failures += failures
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
    root.set("tests", str(len(pack.posts)))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write(pack, folder: Path) -> None:
    write_text(folder / JSON_FILE, report_json(pack))
    write_text(folder / TEXT_FILE, report_text(pack))
    write_text(folder / JUNIT_FILE, junit_xml(pack))
