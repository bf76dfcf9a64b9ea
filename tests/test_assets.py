"""The style sheets and scripts the package ships are whole: a merge or an edit that drops a
brace silently unstyles everything after it (the docked player's buttons vanished once)."""

from __future__ import annotations

from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[1] / "plugins" / "notegraph" / "assets"
OURS = sorted(p for p in ASSETS.glob("*.css") if "vendor" not in p.parts)


def _without_comments_and_strings(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end == -1 else end + 2
        elif text[i] in "\"'":
            quote = text[i]
            i += 1
            while i < len(text) and text[i] != quote:
                i += 2 if text[i] == "\\" else 1
            i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@pytest.mark.parametrize("sheet", OURS, ids=[p.name for p in OURS])
def test_every_rule_of_our_style_sheets_is_closed(sheet: Path) -> None:
    """Each block closes, and a rule opens only at the top or inside an at-rule (@media...):
    our sheets use no CSS nesting, so a rule inside a rule is a lost brace."""
    text = _without_comments_and_strings(sheet.read_text(encoding="utf-8"))
    stack: list[bool] = []  # per open block: is it an at-rule?
    prelude = ""
    line = 1
    for ch in text:
        line += ch == "\n"
        if ch == "{":
            at_rule = prelude.strip().startswith("@")
            assert all(stack), f"{sheet.name}:{line}: a rule opens inside an unclosed rule"
            stack.append(at_rule)
            prelude = ""
        elif ch == "}":
            assert stack, f"{sheet.name}:{line}: a '}}' closes nothing"
            stack.pop()
            prelude = ""
        elif ch == ";":
            prelude = ""
        else:
            prelude += ch
    assert not stack, f"{sheet.name}: {len(stack)} block(s) never closed"
