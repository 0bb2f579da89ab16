"""Content guards (generator/guards/), case by case from tests/data/lint/*.yaml: terminology, facts, links and UTM tagging."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.guards import facts, links, terminology
from generator.model import Fact, Message, Source

DATA = Path(__file__).parent / "data" / "lint"


def load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


TERMS = load("terminology.yaml")["cases"]
FACTS = load("facts.yaml")
LINKS = load("links.yaml")


@pytest.mark.parametrize("case", TERMS, ids=[f"{c['language']}:{c['text'][:40]}" for c in TERMS])
def test_terminology(case):
    problems = terminology.check_terminology(case["text"], case["language"], case.get("extra", ()))
    assert {p.code for p in problems} <= {"terms.avoid"}
    assert [p.message.split('"')[1] for p in problems] == case["found"]


def test_terminology_message_names_the_preferred_wording_and_reason():
    [problem] = terminology.check_terminology("an illegal migrant", "en")
    assert str(problem) == (
        'error: "illegal migrant": use "migrant in an irregular situation (or undocumented migrant)" instead; '
        "no person is illegal; everyone has human rights regardless of migration status (UN GA res. 3449) "
        "[terms.avoid]")


def test_every_glossary_entry_has_a_case_it_must_catch():
    """The glossary is a reviewed resource: each entry is proved by at least one sentence of terminology.yaml."""
    caught = [case for case in TERMS if case["found"] and not case.get("extra")]
    unproved = [term.prefer for term in terminology.glossary()
                if not any(case["language"] == term.language and term.pattern.spans(case["text"]) for case in caught)]
    assert unproved == []


def test_every_preferred_wording_passes_its_own_glossary():
    for term in terminology.glossary():
        assert terminology.check_terminology(term.prefer, term.language) == [], term.prefer


class Campaign:
    """Only what check_facts reads."""

    def __init__(self, facts):
        self.facts = facts


def _fact(fact_id, figures) -> Fact:
    """A fact of facts.yaml: its figures, or a mapping of its figures and what each is said of."""
    subjects = figures.get("subjects", {}) if isinstance(figures, dict) else {}
    figures = figures["figures"] if isinstance(figures, dict) else figures
    return Fact(fact_id, f"statement {fact_id}", tuple(figures), Source("UNODC", "Report", 2021, "https://unodc.org"),
                tuple(subjects.items()))


FACT_CAMPAIGN = Campaign({fact_id: _fact(fact_id, figures) for fact_id, figures in FACTS["facts"].items()})


@pytest.mark.parametrize("case", FACTS["cases"], ids=[c["text"][:40] for c in FACTS["cases"]])
def test_facts(case):
    message = Message("m", {"en": case["text"]}, facts=tuple(case["facts"]))
    problems = facts.check_facts(case["text"], message, FACT_CAMPAIGN, language=case.get("language", "en"))
    assert [f"{p.code}: {p.message}" for p in problems] == case["problems"]
    assert all(p.is_error for p in problems)


@pytest.mark.parametrize("case", LINKS["cases"], ids=[c["text"][:40] for c in LINKS["cases"]])
def test_links(case):
    assert [f"{p.code}: {p.message}" for p in links.check_links(case["text"])] == case["problems"]


@pytest.mark.parametrize("case", LINKS["utm"], ids=[c["expected"] for c in LINKS["utm"]])
def test_utm_tagging(case):
    assert links.add_utm(case["link"], case["utm"], case["platform"]) == case["expected"]


def test_an_extra_entry_may_list_wordings_with_stars_for_plurals():
    entry = {"avoid": ("crime* passionnel*",), "prefer": "féminicide", "reason": "r", "language": "fr"}
    found = terminology.check_terminology("Ni crime passionnel, ni crimes passionnels.", "fr", [entry])
    assert [p.code for p in found] == ["terms.avoid", "terms.avoid"]


@pytest.mark.parametrize("pattern, word, expected", [
    ("victim*", "victims", True), ("*victim", "Victim", True), ("vi*im", "victim", True), ("vi*im", "vim", False),
    ("*a*a*a*q", "aaaaq", True), ("*a*a*a*q", "aaq", False), ("*", "anything", True), ("a*", "b", False),
    ("******************************q", "aaaaq", True),
])
def test_wildcards_match_as_globs(pattern, word, expected):
    assert terminology._glob(pattern, word) is expected


def test_a_hostile_partner_wildcard_is_matched_word_by_word_not_by_backtracking():
    """`*a*a*a*a*q` against a long run of a's would make a regex with one \\w* per star backtrack polynomially
    (a 50 kB word takes hours); as a glob per word it is one pass. benchmarks/guards.py measures it."""
    hostile = {"avoid": ["*a*a*a*a*a*q", "******************************q"], "prefer": "x", "reason": "y",
               "language": "en"}
    text = "a" * 20_000 + " aaaq"
    assert [p.message.split('"')[1] for p in terminology.check_terminology(text, "en", [hostile])] == ["aaaq"]
