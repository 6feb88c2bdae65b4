"""Display names, unique handles and e-mail addresses for generated creators.

Handles are built from the person's name, the niche's handle words, a city or a persona phrase
("thetinyoven"), folded to lowercase ASCII. Uniqueness is kept with a set of taken handles.
"""

from __future__ import annotations

from random import Random

from .compose import fold, pick
from .people import NAMES
from .text import NICHE_TEXT
from .text.life import GENERIC_EMOJI

_ADJ = "tiny little slow wild happy sunday northern urban hungry lazy honest daily quiet messy"
HANDLE_ADJ = (*_ADJ.split(), "golden", "salty", "cosy", "rainy", "weekend", "midnight", "modern")
HANDLE_TAIL = ("", "", "", "", "club", "diaries", "daily", "co", "hq", "life", "lab", "notes")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
MAX_HANDLE = 26


class Identity:
    """Who a creator is: first and family name, display name and handle (with ``@``)."""

    __slots__ = ("first", "handle", "last", "name")

    first: str
    last: str
    handle: str
    name: str


def _handle(rng: Random, a: str, b: str, word: str, city: str) -> tuple[str, str]:
    """A handle (without ``@``) and, for persona-style handles, the persona's display name."""
    r = rng.random()
    if r < 0.26:
        return a + pick(rng, ("", ".", "_")) + b, ""
    if r < 0.42:
        return pick(rng, (a + word, a + "." + word, word + "with" + a, a + "_" + word)), ""
    if r < 0.58:
        adj, tail = pick(rng, HANDLE_ADJ), pick(rng, HANDLE_TAIL)
        persona = " ".join(w.capitalize() for w in (adj, word, tail) if w)
        return pick(rng, ("", "the")) + adj + word + tail, persona
    if r < 0.70:
        number = rng.randint(80, 99) if rng.random() < 0.5 else rng.randint(1, 30)
        return f"{a}.{b[:1]}{number}", ""
    if r < 0.80:
        return fold(city) + word, f"{city} {word.capitalize()}"
    if r < 0.90:
        return a[:1] + b + pick(rng, ("", "_", ".")) + word, ""
    prefix = pick(rng, ("its", "hey", "just", "simply"))
    return prefix + a + pick(rng, ("", "", "x", "official", "xo")), ""


def make_identity(
    rng: Random, culture: str, gender: str, primary: str, city: str, taken: set[str]
) -> Identity:
    """Draw a name from ``culture`` and a handle not in ``taken`` (which is updated)."""
    fem, masc, families = NAMES[culture]
    pool = fem if gender == "f" else masc if gender == "m" else pick(rng, (fem, masc))
    ident = Identity()
    ident.first, ident.last = pick(rng, pool), pick(rng, families)
    word = pick(rng, NICHE_TEXT[primary]["handle"])
    handle, persona = _handle(rng, fold(ident.first), fold(ident.last), word, city)
    handle = handle.strip("._")[:MAX_HANDLE]
    while handle in taken:
        handle = f"{handle[: MAX_HANDLE - 2]}{pick(rng, ('', '_', '.'))}{rng.randint(1, 99)}"
    taken.add(handle)
    ident.handle = "@" + handle
    r = rng.random()
    if persona and r < 0.5:
        ident.name = persona
    elif persona and r < 0.8:
        ident.name = f"{ident.first} | {persona}"
    elif r < 0.62:
        ident.name = f"{ident.first} {ident.last}"
    elif r < 0.74:
        ident.name = ident.first
    elif r < 0.84:
        ident.name = f"{ident.first} {ident.last[:1]}."
    else:
        ident.name = f"{ident.first} {ident.last} {pick(rng, GENERIC_EMOJI)}"
    return ident


def make_email(rng: Random, ident: Identity) -> str:
    """A contact address on one of the reserved example domains."""
    bare = ident.handle[1:].replace("_", "").replace(".", "")
    local = pick(
        rng,
        (
            ident.handle[1:].replace("_", "."),
            f"{fold(ident.first)}.{fold(ident.last)}",
            "hello." + bare,
            "collabs." + bare,
        ),
    )
    return f"{local}@{pick(rng, EMAIL_DOMAINS)}"
