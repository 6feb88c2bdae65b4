"""Text material for generated creators, split by theme and language.

Each English niche entry (``NICHE_TEXT[label]``) has these keys:

``keywords``
    words that name the niche; a bio "names" its niche when it contains one of them
``platforms``
    platform -> weight, for creators whose main niche this is
``related``
    niches a creator of this niche plausibly covers as well
``handle``
    words that handles and persona names are built from
``tags``, ``emoji``
    niche hashtags (without ``#``) and emoji
``bio`` / ``soft``
    bio fragments that name the niche / that describe it without naming it
``hooks``
    title-like first lines (video titles, TikTok hooks)
``slots``
    pools for ``{slot}`` placeholders used in ``posts``, ``hooks`` and ``bio``
``posts``
    sentence templates a post is composed from
``products``, ``brands``
    what sponsored posts advertise; every brand name is invented
``sticky`` (optional)
    slots fixed per creator (a pet keeps its name across posts)

Each language entry (``LANGS[code]``) holds topic nouns per niche, per-niche sentences (may be
empty), topical templates, openers, closers, life posts, sponsored wording, bio pieces and tags.
"""

from __future__ import annotations

from .active import TEXT as _ACTIVE
from .culture import TEXT as _CULTURE
from .family import TEXT as _FAMILY
from .food import TEXT as _FOOD
from .home import TEXT as _HOME
from .lang_de import LANG as _DE
from .lang_es import LANG as _ES
from .lang_fr import LANG as _FR
from .lang_it import LANG as _IT
from .lang_misc import JA as _JA
from .lang_misc import PL as _PL
from .lang_misc import SV as _SV
from .lang_nl import LANG as _NL
from .lang_pt import LANG as _PT
from .media import TEXT as _MEDIA
from .outside import TEXT as _OUTSIDE
from .style import TEXT as _STYLE
from .world import TEXT as _WORLD

NICHE_TEXT: dict[str, dict] = {
    **_STYLE,
    **_ACTIVE,
    **_OUTSIDE,
    **_FOOD,
    **_WORLD,
    **_HOME,
    **_FAMILY,
    **_MEDIA,
    **_CULTURE,
}

LANGS: dict[str, dict] = {
    "es": _ES,
    "de": _DE,
    "fr": _FR,
    "it": _IT,
    "pt": _PT,
    "nl": _NL,
    "sv": _SV,
    "pl": _PL,
    "ja": _JA,
}

__all__ = ["LANGS", "NICHE_TEXT"]
