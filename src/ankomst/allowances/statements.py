"""A household's statement in the household's language: texts as data (statements.json).

The language is the head's native language; a language without texts falls back
to English, and a text missing in a language to the English text, so adding a
language is adding a block to the JSON file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TEXTS_PATH = Path(__file__).parent / "data" / "statements.json"
FALLBACK = "en"


@cache
def statement_texts() -> dict[str, dict[str, Any]]:
    data = json.loads(TEXTS_PATH.read_text(encoding="utf-8"))
    return {code: texts for code, texts in data.items() if not code.startswith("_")}


@dataclass(frozen=True)
class StatementLanguage:
    code: str
    dir: str
    texts: dict[str, Any]

    def component(self, rule: str) -> str:
        return self.texts["components"].get(rule) or statement_texts()[FALLBACK]["components"].get(
            rule, rule
        )


def statement_language(code: str | None) -> StatementLanguage:
    """The texts for ``code`` ("fa-AF", "ar", ...), else for its base language, else English."""
    texts = statement_texts()
    chosen = FALLBACK
    if code:
        for candidate in (code, code.split("-")[0]):
            if candidate in texts:
                chosen = candidate
                break
    english = texts[FALLBACK]
    merged = {
        **english,
        **texts[chosen],
        "components": {**english["components"], **texts[chosen].get("components", {})},
    }
    return StatementLanguage(chosen, merged.get("dir", "ltr"), merged)
