"""A griffe extension for the API pages: ``Example:`` sections as code, and only documented class members.

brickwork's docstrings write ``Example:`` followed by indented code, with or without ``>>>`` prompts.
The Google style that griffe reads knows ``Examples:`` only, and would print that code as a paragraph of
prose. This rewrites the section, for the documentation only, as ``Examples:`` holding one fenced block
(``pycon`` where the code has prompts, else ``python``). The docstrings in the code stay as they are.

A class's methods and attributes appear when they have a docstring of their own: the lifecycle methods
every layer overrides (``build``, ``call``, ``get_config``) and the attributes ``__init__`` stores would
otherwise repeat, bare, under every class. Every public name of a namespace appears, documented or not.
"""

from __future__ import annotations

import re
import textwrap

import griffe

_HEADER = re.compile(r"^(?P<indent>[ \t]*)Examples?:[ \t]*$")
# A line of code, then two or more spaces and a ``# comment`` (the value the docstrings give as a comment).
_TRAILING_COMMENT = re.compile(r"^(?P<code>.*?\S)\s{2,}#\s?(?P<comment>.*)$")
# Longer example lines put their comment on a line of its own: past this width it would sit beyond the
# code block's horizontal scroll, out of sight.
WIDTH = 88


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def _comment_on_own_line(lines: list[str]) -> list[str]:
    """``lines`` of example code with the trailing ``# comment`` of each line longer than ``WIDTH`` moved to
    a line of its own below it, as ``# -> comment``: under a ``>>>`` line, where its output would be (or as
    a ``...`` line when the statement goes on); under a ``...`` or plain line, at that line's indentation."""
    out: list[str] = []
    for index, line in enumerate(lines):
        match = _TRAILING_COMMENT.match(line)
        if len(line) <= WIDTH or not match or match.group("code").count('"') % 2 or match.group("code").count("'") % 2:
            out.append(line)  # short, no comment, or a "#" inside a string
            continue
        code, comment = match.group("code"), match.group("comment").strip()
        note = comment if comment.startswith("->") else f"-> {comment}"
        following = lines[index + 1].lstrip() if index + 1 < len(lines) else ""
        if code.lstrip().startswith(">>>"):
            below = f"... # {note}" if following.startswith("...") else f"# {note}"
            below = " " * (len(code) - len(code.lstrip())) + below
        else:
            prompt = "... " if code.lstrip().startswith("...") else ""
            body = code.lstrip()[len(prompt):]
            indent = code[:len(code) - len(code.lstrip())] + prompt + body[:len(body) - len(body.lstrip())]
            below = f"{indent}# {note}"
        out.extend([code, below])
    return out


def fence_examples(text: str) -> str:
    """``text`` with every ``Example:``/``Examples:`` section's body put in a fenced code block."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _HEADER.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        header_indent = len(match.group("indent"))
        j = i + 1
        if j < len(lines) and lines[j].lstrip().startswith(">>>") and _indent_of(lines[j]) == header_indent:
            while j < len(lines) and lines[j].strip():  # prompts written level with the header: up to a blank
                j += 1
        while j < len(lines) and (not lines[j].strip() or _indent_of(lines[j]) > header_indent):
            j += 1
        while j > i + 1 and not lines[j - 1].strip():  # trailing blank lines belong to what follows
            j -= 1
        body = textwrap.dedent("\n".join(lines[i + 1:j])).strip("\n")
        if not body or "```" in body:
            out.extend(lines[i:j])
        else:
            pad = " " * (header_indent + 4)
            language = "pycon" if any(line.lstrip().startswith(">>>") for line in body.split("\n")) else "python"
            out.append(f"{match.group('indent')}Examples:")
            out.append(f"{pad}```{language}")
            out.extend(pad + line if line.strip() else "" for line in _comment_on_own_line(body.split("\n")))
            out.append(f"{pad}```")
        i = j
    return "\n".join(out)


class FencedExamples(griffe.Extension):
    """Rewrite ``Example:`` sections as fenced code when griffe loads each object; drop the members of a
    class that have no docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:
        if obj.docstring is not None and "Example" in obj.docstring.value:
            obj.docstring.value = fence_examples(obj.docstring.value)

    def on_class_members(self, *, cls: griffe.Class, **kwargs) -> None:
        for name, member in list(cls.members.items()):
            if not member.is_alias and member.docstring is None:
                del cls.members[name]
        # A private base (``_BuiltinLoss``) means nothing to a reader; the public ones are what "Bases:" is for.
        cls.bases = [base for base in cls.bases if not str(base).rsplit(".", 1)[-1].startswith("_")]
