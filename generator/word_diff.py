"""Word-level differences between two texts, and the changed words with a little context.

A change is shown as the words deleted and the words inserted, in place, with the unchanged
words around them; a long unchanged stretch is cut to a few words on each side, so a change
at the end of a long definition shows there instead of being lost in a truncated prefix:

    word_diff("Insults a person for who they are", "Insults or threatens a person")
    -> [same "Insults", ins "or threatens", same "a person", del "for who they are"]

Whitespace is not a change (YAML folding re-wraps text); the texts are compared word by word.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT_WORDS = 6  # unchanged words kept on each side of a change


@dataclass(frozen=True)
class Segment:
    kind: str  # same | del | ins | gap (unchanged words left out)
    text: str


def word_diff(before: str, after: str) -> list[Segment]:
    """The words of after against before: unchanged, deleted and inserted runs, in reading
    order (a replacement is its deleted words, then its inserted ones)."""
    old, new = before.split(), after.split()
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment("del", " ".join(old[i1:i2])))
        if j2 > j1:
            out.append(Segment("ins", " ".join(new[j1:j2])))
    return out


def in_context(segments: list[Segment], words: int = CONTEXT_WORDS) -> list[Segment]:
    """The changes with at most `words` unchanged words on each side; a longer unchanged
    stretch becomes a gap ("…")."""
    out: list[Segment] = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment.kind != "same":
            out.append(segment)
            continue
        tokens = segment.text.split()
        keep_head = words if index > 0 else 0  # words after the change before this run
        keep_tail = words if index < last else 0  # words before the change after this run
        if len(tokens) <= keep_head + keep_tail:
            out.append(segment)
            continue
        if keep_head:
            out.append(Segment("same", " ".join(tokens[:keep_head])))
        out.append(Segment("gap", "…"))
        if keep_tail:
            out.append(Segment("same", " ".join(tokens[-keep_tail:])))
    return out


def changed_words(before: str | None, after: str | None, words: int = CONTEXT_WORDS) -> list[Segment] | None:
    """The changed words in context when both texts exist and differ, else None."""
    if before is None or after is None or before.split() == after.split():
        return None
    return in_context(word_diff(before, after), words)
