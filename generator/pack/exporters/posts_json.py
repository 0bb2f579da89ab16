"""posts.json: every post of the pack, the one machine-readable record the other files are derived from.

Byte-identical for identical input: sorted keys, a fixed indent, no timestamps, posts in schedule order.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.pack.exporters.files import write_text

FILE = "posts.json"


def document(pack) -> dict:
    return {
        "pack": {"label": pack.period.label, "start": pack.period.start.isoformat(),
                 "end": pack.period.end.isoformat()},
        "posts": [post.as_dict() for post in pack.posts],
        "file_problems": [problem.as_dict() for problem in pack.file_problems],
        "pack_problems": [problem.as_dict() for problem in pack.pack_problems],
    }


def dumps(data) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(pack, folder: Path) -> None:
    write_text(folder / FILE, dumps(document(pack)))
