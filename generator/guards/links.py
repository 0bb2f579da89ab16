"""Links (`link.insecure`, `link.malformed`): https only, well-formed; and UTM tagging of the links posts carry.

The links are found as the author wrote them, which is a different question from the one twittertext answers
(what a platform links): an `ftp://`, `http://` or broken address no platform links must be caught too."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from generator.errors import Problem, error
from generator.guards.text import TRAILING, URL

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)\Z")


def find_links(text: str) -> list[str]:
    """The links in a post, without the punctuation that ends the sentence around them."""
    links = []
    for match in URL.finditer(text):
        link = match.group(0)
        while link and link[-1] in TRAILING:
            closing = {")": "(", "]": "[", "}": "{"}.get(link[-1])
            if closing and link.count(closing) >= link.count(link[-1]):
                break  # a bracket the link opened itself: part of it (Wikipedia's Traite_(humaine))
            link = link[:-1]
        links.append(link)
    return links


def link_problem(link: str) -> tuple[str, str] | None:
    """(code, reason) when `link` is not a well-formed https link, else None."""
    scheme = link.split("://", 1)[0].lower() if "://" in link else ""
    if not scheme:
        return "link.malformed", f"'{link}' has no scheme: write https://{link}"
    if scheme == "http":
        return "link.insecure", f"'{link}' is not secure: use https://"
    if scheme != "https":
        return "link.malformed", f"'{link}' uses '{scheme}://': only https:// links are allowed"
    try:
        parts = urlsplit(link)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return "link.malformed", f"'{link}' is not a well-formed link"
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return "link.malformed", f"'{link}' has no valid host name"
    if re.search(r"[\\<>{}|^`\s]", link):
        return "link.malformed", f"'{link}' contains characters a link cannot hold"
    return None


def check_links(text: str, where: str = "") -> list[Problem]:
    """`link.insecure` for http://, `link.malformed` for anything else that is not a well-formed https link."""
    problems = []
    for link in dict.fromkeys(find_links(text)):
        found = link_problem(link)
        if found:
            problems.append(error(found[0], found[1], where))
    return problems


def add_utm(link: str, utm: dict, platform: str) -> str:
    """`link` with the campaign's UTM parameters (`{platform}` replaced); parameters already present win."""
    if not utm or not link:
        return link
    parts = urlsplit(link)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    query += [(key, str(value).replace("{platform}", platform)) for key, value in utm.items() if key not in present]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))
