"""Prompt templates as data: ``prompts/<name>.md``, rendered in one place.

Templates use ``string.Template`` placeholders (``$question``, ``${clauses}``), so the braces and
percent signs of policy text need no escaping. A missing variable is an error, never a silent gap::

    >>> from prompts import render
    >>> "<question>" in render("answer", clauses="[1] …", question="小微企业有什么补贴？")
    True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template

PROMPTS_DIR = Path(__file__).resolve().parent


class PromptError(KeyError):
    """A prompt that does not exist, or a variable it needs that was not given."""


def names() -> list[str]:
    """The names of all prompt templates, e.g. ``["answer", "rewrite", ...]``."""
    return sorted(p.stem for p in PROMPTS_DIR.glob("*.md"))


def render(name: str, **variables: object) -> str:
    """The prompt ``prompts/<name>.md`` with ``$variables`` filled in.

    Args:
        name: The file name without ``.md``.
        **variables: Values for the template's placeholders; each is passed through ``str()``.

    Returns:
        The rendered text, stripped of leading and trailing blank lines.

    Raises:
        PromptError: If the template does not exist or a placeholder has no value.
    """
    template = _load(name)
    try:
        return template.substitute({k: str(v) for k, v in variables.items()}).strip("\n")
    except KeyError as exc:
        raise PromptError(f"prompt {name!r} needs the variable {exc.args[0]!r}") from None
    except ValueError as exc:  # a stray '$' in the template itself
        raise PromptError(f"prompt {name!r} is malformed: {exc}") from None


@cache
def _load(name: str) -> Template:
    path = PROMPTS_DIR / f"{name}.md"
    if not name.isidentifier() or not path.is_file():
        raise PromptError(f"no prompt named {name!r} in {PROMPTS_DIR}")
    return Template(path.read_text(encoding="utf-8"))
