"""Just enough JavaScript lexing to cut chart calls out of inline scripts.

Regular expressions alone cannot find where ``Highcharts.chart(...)`` ends when
the config holds nested brackets and strings with commas; a small scanner that
respects quotes and nesting can, and stops cleanly at the end of a truncated page.
"""

from __future__ import annotations

import json
import re

_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = set(_OPEN.values())
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'|`((?:[^`\\]|\\.)*)`', re.S)


def balanced_block(text: str, start: int) -> str | None:
    """The text between the bracket at ``start`` and its partner (exclusive); None if unclosed."""
    if start >= len(text) or text[start] not in _OPEN:
        return None
    depth, i, quote = 0, start, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return text[start + 1 : i]
        i += 1
    return None


def split_top_level(args: str) -> list[str]:
    """Split an argument list on commas that are not inside brackets or strings."""
    parts, depth, quote, current, i = [], 0, None, [], 0
    while i < len(args):
        ch = args[i]
        if quote:
            current.append(ch)
            if ch == "\\" and i + 1 < len(args):
                current.append(args[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
            current.append(ch)
        elif ch in _OPEN:
            depth += 1
            current.append(ch)
        elif ch in _CLOSE:
            depth -= 1
            current.append(ch)
        elif ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current).strip())
    return parts


def decode_js_string(body: str) -> str:
    """The value of a JS string literal's body (``\\n``, ``\\u00e9``, ``\\'`` ...)."""
    try:
        return json.loads('"' + body.replace('"', '\\"').replace("\\'", "'").replace('\\\\"', '\\"') + '"')
    except ValueError:
        return body.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t").replace("\\'", "'").replace('\\"', '"')


def string_literals(text: str) -> list[str]:
    """Decoded values of every string literal in a piece of script, in order."""
    return [decode_js_string(next(g for g in m.groups() if g is not None)) for m in _STRING.finditer(text)]


def property_block(text: str, name: str) -> str | None:
    """The bracketed value of ``name: {...}`` / ``name: [...]`` at the first occurrence."""
    match = re.search(r"[\"']?\b" + re.escape(name) + r"\b[\"']?\s*:\s*([\[{])", text)
    return balanced_block(text, match.start(1)) if match else None


def property_string(text: str, name: str) -> str | None:
    """The string value of ``name: '...'`` at the first occurrence."""
    match = re.search(r"[\"']?\b" + re.escape(name) + r"\b[\"']?\s*:\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')", text)
    return decode_js_string(match.group(1)[1:-1]) if match else None
