"""The one prompt loader: prompt files in ``prompts/``, rendered into chat messages.

A prompt file is split into messages by lines that hold only a role in brackets::

    [system]
    You write ...
    [user]
    <a worked example>
    [assistant]
    <its answer>
    [user]
    {post_data}

Placeholders use ``str.format`` syntax (``{{`` and ``}}`` for literal braces). Rendering fails
loudly when a placeholder gets no value or a value has no placeholder. A placeholder whose name
ends in ``_data`` holds untrusted text (creator bios and posts): its value is fenced as data
with :func:`fence`, so a prompt cannot forget to.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from app.errors import ConfigError

PROMPTS_DIR = Path(__file__).resolve().parent.parent.parent / "prompts"
UNTRUSTED_SUFFIX = "_data"
_ROLE_LINE = re.compile(r"^\[(system|user|assistant)\]\s*$", re.MULTILINE)
_ROLES = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


def fence(text: str, label: str = "data") -> str:
    """Untrusted text wrapped as data; angle brackets inside it cannot close the fence."""
    clean = text.replace("<", "‹").replace(">", "›")
    return f'<data source="{label}">\n{clean}\n</data>'


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt: named messages with placeholders."""

    name: str
    parts: tuple[tuple[str, str], ...]

    @property
    def variables(self) -> frozenset[str]:
        """Every placeholder name in the prompt."""
        names: set[str] = set()
        for _, template in self.parts:
            for _, field, _, _ in string.Formatter().parse(template):
                if field is not None:
                    names.add(field)
        return frozenset(names)

    def literal_text(self) -> list[str]:
        """The prompt's own wording, without placeholders (to detect a reply that leaks it)."""
        return [
            literal
            for _, template in self.parts
            for literal, _, _, _ in string.Formatter().parse(template)
            if literal.strip()
        ]

    def render(self, **values: str) -> list[BaseMessage]:
        """The prompt's messages with ``values`` filled in; ``*_data`` values are fenced."""
        missing = self.variables - values.keys()
        unused = values.keys() - self.variables
        if missing or unused:
            raise ConfigError(
                f"Prompt {self.name!r} ({PROMPTS_DIR / (self.name + '.md')}): "
                + "; ".join(
                    filter(
                        None,
                        [
                            f"no value for {sorted(missing)}" if missing else "",
                            f"values without a placeholder: {sorted(unused)}" if unused else "",
                        ],
                    )
                )
                + ". The caller and the prompt file must name the same variables."
            )
        filled = {
            key: fence(value, key.removesuffix(UNTRUSTED_SUFFIX).replace("_", " "))
            if key.endswith(UNTRUSTED_SUFFIX)
            else value
            for key, value in values.items()
        }
        return [_ROLES[role](template.format(**filled)) for role, template in self.parts]


def parse_prompt(name: str, text: str) -> Prompt:
    """A prompt from a file's text (see the module docstring for the format)."""
    marks = list(_ROLE_LINE.finditer(text))
    if not marks or text[: marks[0].start()].strip():
        raise ConfigError(
            f"Prompt {name!r} must start with a role line such as [system] or [user]."
        )
    parts: list[tuple[str, str]] = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        body = text[mark.end() : end].strip("\n")
        if not body.strip():
            raise ConfigError(f"Prompt {name!r} has an empty [{mark.group(1)}] part.")
        parts.append((mark.group(1), body))
    prompt = Prompt(name, tuple(parts))
    try:
        _ = prompt.variables
        for _, template in parts:
            template.format(**{key: "" for key in prompt.variables})
    except (ValueError, IndexError, KeyError) as error:
        raise ConfigError(
            f"Prompt {name!r} has a malformed placeholder ({error}); write literal braces "
            "as {{ and }}."
        ) from None
    return prompt


@cache
def load_prompt(name: str) -> Prompt:
    """The prompt ``prompts/<name>.md``."""
    path = PROMPTS_DIR / f"{name}.md"
    if not path.is_file():
        raise ConfigError(f"Prompt file {path} is missing; it ships with the project.")
    return parse_prompt(name, path.read_text(encoding="utf-8"))


def prompt_names() -> list[str]:
    """Every prompt file's name."""
    return sorted(path.stem for path in PROMPTS_DIR.glob("*.md"))
