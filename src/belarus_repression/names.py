"""Names of people and organisations across Cyrillic (Belarusian, Russian) and Latin spellings.

One normalisation, used everywhere a name is matched: transliterate to ASCII (anyascii), then
fold the spelling variants that Belarusian, Russian, English and Swedish-style
transliterations produce for the same letters (kh/h/g, ia/ya/ja, -au/-ov, dz/d, tj/ch ...).
The folded key is for comparing names only; it is never shown as a name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")

# Applied in order to lower-case ASCII; each pair is (pattern, replacement). Hand knowledge,
# kept as data so a reviewer can read the whole of it here.
FOLDS: list[tuple[str, str]] = [
    (r"['`\u2019\u02bc]", ""),  # soft signs and apostrophes
    (r"shch|sch|szcz", "shch"),
    (r"tch", "ch"),  # French-style (Petrovitch)
    (r"c(?=t)", "k"),  # Victoria / Viktoria
    (r"tj", "ch"),  # Swedish-style transliteration in the EU texts (Uladzimiravitj)
    (r"sj", "sh"),  # ... (SJEJMAN)
    (r"zh|zj", "zh"),
    (r"kh|ch(?=r)", "h"),  # Khrypach / Hrypach; Russian g and Belarusian h:
    (r"g", "h"),  # Grigorievich / Ryhoravich, Grodno / Hrodna
    (r"(?<=[a-z])dz", "d"),  # Uladzimir / Vladimir
    (r"^dz", "d"),  # Dzmitry / Dmitry
    (r"ts|tz", "c"),
    (r"w", "v"),
    (r"x", "ks"),
    (r"[yj]", "i"),  # Dmitriy / Dmitrij / Dzmitry ; ia, ya, ja ; iu, yu, ju
    (r"ie", "e"),
    (r"ei", "e"),
    (r"au$", "ov"),  # surname endings -au / -ov, -eu / -ev
    (r"eu$", "ev"),
    (r"auna$", "ovna"),  # patronymics -auna / -ovna, -euna / -evna
    (r"euna$", "evna"),
    (r"enka$", "enko"),  # Lukashenka / Lukashenko
    (r"([a-z])\1+", r"\1"),  # doubled letters: Alla / Ala
    (r"ii", "i"),
]
_COMPILED = [(re.compile(p), r) for p, r in FOLDS]


def script(text: str | None) -> str | None:
    """'cyrillic', 'latin', 'mixed' (Cyrillic letters inside Latin words), or None."""
    if not text:
        return None
    cyr, lat = bool(CYRILLIC.search(text)), bool(LATIN.search(text))
    if cyr and lat:
        return "mixed"
    return "cyrillic" if cyr else "latin" if lat else None


def ascii_name(text: str) -> str:
    """Transliterate to ASCII letters and spaces, lower case (no folding)."""
    text = unicodedata.normalize("NFKC", text)
    text = anyascii(text).lower()
    text = re.sub(r"[^a-z' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    for pattern, replacement in _COMPILED:
        token = pattern.sub(replacement, token)
    return token


def tokens(text: str | None) -> list[str]:
    """Folded tokens of a name, in their order."""
    if not text:
        return []
    return [fold_token(t) for t in ascii_name(text).split() if t]


def key(text: str | None) -> str:
    """Order-free key of a full name: folded tokens, sorted, joined by spaces.

    "LUKASHENKA, Alyaksandr Ryhorovich", "Александр Григорьевич Лукашенко" and
    "Аляксандр Рыгоравіч ЛУКАШЭНКА" give keys that differ in at most a letter or two,
    which the fuzzy score absorbs.
    """
    return " ".join(sorted(tokens(text)))


PATRONYMIC = re.compile(r"(ovich|evich|avich|ich|ovna|evna|avna|euna|auna|ichna)$")


def _word_parts(text: str) -> list[tuple[str, bool, bool]]:
    """(folded token, written in capitals, before a comma) for every word of a name."""
    parts = []
    head, comma, _ = text.partition(",")
    words_before_comma = len(head.split()) if comma else 0
    for position, word in enumerate(text.replace(",", " ").split()):
        letters = re.sub(r"[^\w]", "", word)
        capitals = len(letters) > 1 and letters.isupper()
        parts += [
            (fold_token(t), capitals, position < words_before_comma)
            for t in ascii_name(word).split()
        ]
    return parts


def name_parts(text: str | None) -> tuple[list[str], list[str]]:
    """(surname and given names, patronymics) as folded tokens; initials are dropped.

    The surname is what stands before a comma ("LUKASHENKA, Alyaksandr") or the one word in
    capitals ("Viktar SHEIMAN"); a patronymic is another word with a patronymic ending.
    Belarusian surnames often end like patronymics (Bedunkevich, Miklashevich), so where the
    surname cannot be told, a patronymic is only taken from a name of three or more words
    with a single such ending.
    """
    if not text:
        return [], []
    parts = [p for p in _word_parts(text) if len(p[0]) > 1]
    if any(p[2] for p in parts):
        marked = [p[2] for p in parts]
    else:
        marked = [p[1] for p in parts]
        if sum(marked) != 1:  # only a single word in capitals marks the surname
            marked = [False] * len(parts)
    candidates = [
        i
        for i, (token, _, _) in enumerate(parts)
        if not marked[i] and len(token) > 5 and PATRONYMIC.search(token)
    ]
    if not any(marked) and (len(candidates) > 1 or len(parts) < 3):
        candidates = []  # "Alena Zhukovich": two words are a given name and a surname
    names = [p[0] for i, p in enumerate(parts) if i not in candidates]
    return names, [parts[i][0] for i in candidates]


def short_key(text: str | None) -> str:
    """Surname and given name only, sorted: patronymics (often missing, initialled or in
    another language) and initials are left out."""
    return " ".join(sorted(name_parts(text)[0]))


def aligned_similarity(a: list[str], b: list[str]) -> float:
    """How well two names agree token by token: the best pairing of their tokens, scored by
    its weakest pair (0-100). "Aleksandr VASILIUK" and "Aleksandr YUZHIK" share a first name
    but score low, which a whole-string score would not show. Needs two tokens on each side."""
    from itertools import permutations

    from rapidfuzz.fuzz import ratio

    if len(a) < 2 or len(b) < 2:
        return 0.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    best = 0.0
    for chosen in permutations(long_, len(short)):
        best = max(best, min(ratio(x, y) for x, y in zip(short, chosen, strict=True)))
    return best


def given_name_map(maps: dict[str, dict[str, str]]) -> dict[str, str]:
    """Folded Belarusian given names and patronymics -> their folded Russian forms, from
    ZUBR's name maps (Siarhei -> Sergei, Aliaksandr -> Aleksandr), so that a name spelt in
    one language meets its other-language form token by token."""
    pairs = {**maps.get("first_name", {}), **maps.get("patronymic", {})}
    folded = {}
    for be, ru in pairs.items():
        b, r = tokens(be), tokens(ru)
        if len(b) == 1 and len(r) == 1 and b[0] != r[0]:
            folded[b[0]] = r[0]
    return folded


def canonical_parts(text: str | None, given: dict[str, str]) -> tuple[list[str], list[str]]:
    """`name_parts` with Belarusian given names and patronymics put in their Russian form."""
    names, patronymics = name_parts(text)
    return [given.get(t, t) for t in names], [given.get(t, t) for t in patronymics]


def person_similarity(
    a: str, b: str, given: dict[str, str] | None = None
) -> tuple[float, float | None]:
    """(name score, patronymic score or None) of two person names: surname and given names
    compared token by token (`aligned_similarity`), patronymics apart, given names and
    patronymics first put in their Russian form when `given` maps them."""
    from rapidfuzz.fuzz import ratio

    names_a, patr_a = canonical_parts(a, given or {})
    names_b, patr_b = canonical_parts(b, given or {})
    patronymic = ratio(patr_a[0], patr_b[0]) if patr_a and patr_b else None
    return aligned_similarity(names_a, names_b), patronymic
