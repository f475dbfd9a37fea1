"""Every demo user, in Danish, on a tablet in portrait, through every page of the navigation.

No page may fail, show an internal code, show English from the interface's own catalogue,
or scroll sideways at 820 px.
"""

import re
from pathlib import Path

from babel.messages.pofile import read_po

import ankomst
from tests.browser.conftest import NARROW as WIDTH

CATALOGUE = Path(ankomst.__file__).parent / "locale" / "da" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[a-z_]*\}|<[^>]+>")
# snake_case words: a rule, status or reason code shown instead of its label
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def english_fragments() -> list[str]:
    """Phrases of the interface's English that a Danish page must not show.

    Only messages whose Danish differs, split at their placeholders, and only fragments of at
    least two words, so that a word shared by both languages ("Status") is not a finding.
    """
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    fragments = set()
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue
            for fragment in PLACEHOLDER.split(english):
                fragment = fragment.strip(" .,:;()“”\"'·-–")
                if len(fragment.split()) >= 2 and len(fragment) >= 8:
                    fragments.add(fragment)
    return sorted(fragments, key=len, reverse=True)


FRAGMENTS = english_fragments()


def english_on(text: str) -> list[str]:
    found = []
    for fragment in FRAGMENTS:
        if re.search(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])", text):
            found.append(fragment)
            text = text.replace(fragment, " ")
    return found


def links(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")


def test_every_demo_user_walks_every_page_in_danish(demo_committed, danish_tablet):
    problems = []
    visited = 0
    for username in dict.fromkeys(username for username, _r, _o in demo_committed.logins):
        page = danish_tablet(username)
        queue = links(page, "nav.main-nav a")
        seen = set()
        while queue:
            path = queue.pop(0)
            if not path or path in seen or not path.startswith("/"):
                continue
            seen.add(path)
            response = page.goto(path)
            visited += 1
            where = f"{username} {path}"
            if response is None or response.status >= 400:
                problems.append(f"{where}: status {response.status if response else 'none'}")
                continue
            # Text marked as English (the audit log's recorded summaries) is English on purpose.
            text = page.evaluate(
                """() => { const main = document.querySelector('main').cloneNode(true);
                main.querySelectorAll('[lang="en"]').forEach(e => e.remove());
                document.body.appendChild(main); const text = main.innerText; main.remove();
                return text; }"""
            )
            if english := english_on(text):
                problems.append(f"{where}: English {english[:5]}")
            if codes := sorted(set(RAW_CODE.findall(text)))[:5]:
                problems.append(f"{where}: codes {codes}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                problems.append(f"{where}: {width} px wide")
            # The page's own tabs belong to the navigation too.
            queue.extend(p for p in links(page, "main nav.subnav a") if p not in seen)
    assert visited >= len(demo_committed.logins) * 2
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems)
