"""The facts campaigns quote, each a statement with its figures and source: read from a campaign file's `facts:`
and from the workspace's shared facts (facts/*.yaml), which several campaigns reference by id so that one
figure has one home and can never drift between files."""

from __future__ import annotations

import functools
from pathlib import Path

from generator.errors import InvalidInput
from generator.fields import Checker
from generator.guards.subjects import subject_names
from generator.model import Fact, Source
from generator.workspace import Workspace
from generator.yamlfile import load_yaml

FACT_KEYS = ("id", "statement", "figures", "source", "subjects")
REQUIRED_FACT_KEYS = ("id", "statement", "figures", "source")
SOURCE_KEYS = ("publisher", "title", "year", "url")


def read_facts(c: Checker) -> dict:
    """`facts:` of a campaign file or of a shared facts file: each with its figures and source."""
    facts, seen = {}, {}
    for index, _ in enumerate(c.items(("facts",), required=False)):
        path = ("facts", index)
        c.mapping(path, FACT_KEYS, required=REQUIRED_FACT_KEYS)
        fact_id = c.identifier(path + ("id",))
        c.unique_id(path + ("id",), fact_id, seen, "fact")
        c.mapping(path + ("source",), SOURCE_KEYS, required=("publisher", "title", "url"))
        source_url = c.string(path + ("source", "url"))
        c.https_link(path + ("source", "url"), source_url)
        year = c.integer(path + ("source", "year"), required=False, low=1900, high=2100)
        figures = tuple(c.string_list(path + ("figures",), required=True))
        # the publisher's name in each language (ONU Femmes, ООН-Женщины); the title stays as published
        publisher, publishers = c.localised(path + ("source", "publisher"))
        if c.has(path + ("figures",)) and not figures:
            c.error(path + ("figures",), "is empty; list the figures the statement contains", "empty")
        subjects = _subjects(c, path + ("subjects",), figures)
        if fact_id:
            facts[fact_id] = Fact(
                id=fact_id,
                statement=(c.string(path + ("statement",)) or "").strip(),
                figures=figures,
                source=Source(
                    publisher=publisher or "",
                    title=c.string(path + ("source", "title")) or "",
                    year=year,
                    url=source_url or "",
                    publishers=publishers,
                ),
                subjects=subjects,
            )
    return facts


def _subjects(c: Checker, key_path: tuple, figures: tuple) -> tuple:
    """`subjects: {"5": women, "2": girls}`: what each figure is said of, a noun of generator/data/subjects.yaml."""
    pairs = []
    for figure in c.keyed_by_data(key_path, "a mapping of figures to what each is said of"):
        figure_text = str(figure)
        if figure_text not in figures:
            c.error(key_path + (figure,), f"'{figure_text}' is not one of the fact's figures ({', '.join(figures)})",
                    "unknown", of_key=True)
            continue
        noun = c.choice(key_path + (figure,), subject_names())
        if noun:
            pairs.append((figure_text, noun))
    return tuple(pairs)




def shared_facts(workspace: Workspace) -> dict:
    """id -> (Fact, the file it is in) for the workspace's shared facts (facts/*.yaml, each with a `facts:` list),
    which several campaigns reference by id. Read once while the files stay as they are; an error in them is an
    error of every campaign that loads them."""
    folder = workspace.facts_dir
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return _shared_facts(workspace.root, tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files))


@functools.lru_cache(maxsize=8)
def _shared_facts(root: Path, files: tuple) -> dict:
    workspace = Workspace(root)
    found, problems = {}, []
    for name, _, _ in files:
        path = workspace.facts_dir / name
        document = load_yaml(path, workspace.display(path))
        check = Checker(document, "facts")
        check.mapping((), ("facts",), required=("facts",))
        for fact_id, fact in read_facts(check).items():
            if fact_id in found:
                check.error(("facts",), f"fact '{fact_id}' is also in {found[fact_id][1]}", "duplicate")
            found[fact_id] = (fact, workspace.display(path))
        problems += check.errors
    if problems:
        raise InvalidInput(problems)
    return found
