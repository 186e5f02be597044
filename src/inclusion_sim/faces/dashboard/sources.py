"""Parameter sources in words a principal can follow: authors and years, not row codes.

The library's parameter table cites the project's literature notes by row ("lit. B16",
"lit. C F2", "F3"), which helps whoever maintains the defaults and means nothing to a reader
of the dashboard. `plain_source` replaces each code by the studies that row reports (author,
year) or, where the row found no study, by nothing, since the rest of the text already says
so; a code next to its own study's name is simply dropped.
"""

from __future__ import annotations

import re
import unicodedata

#: What each literature row cites, as a reader would look it up. ``""``: the row found no
#: measurement (the source text says so in words).
REFERENCES: dict[str, str] = {
    "A9": "ASHA 2022 Schools Survey",
    "A14": "CT SERC 2016 co-teaching survey",
    "A15": "Deno, Fuchs, Marston & Shin 2001",
    "A26": "Hill, Bloom, Black & Lipsey 2008",
    "A27": "Krueger 1999; Finn & Achilles 1999",
    "B16": "",
    "B17": "Elbaum 2002; Krämer, Möller & Zimmermann 2021",
    "B18": "Jenkins & Heinen 1989; Klingner et al. 1998",
    "B19": "",
    "B20": "Joyce & Showers 2002",
    "B21": "Wilcox, Kouri & Caswell 1991",
    "B24": "Zhang & Wheeler 2011",
    "F2": "Joyce & Showers 2002",
    "F3": "Krämer, Möller & Zimmermann 2021; Szumski et al. 2017",
    "F4": "Case-Smith, Weaver & Holland 2014",
    "F5": "Wilcox, Kouri & Caswell 1991",
}

#: A code: "lit. B16", "lit. C F2", "lit. B20 / C F2", or a bare "F3".
_CODE = re.compile(r"\blit\.\s+(?:C\s+)?([AB]\d+|F\d)(?:\s*/\s*(?:C\s+)?([AB]\d+|F\d))?"
                   r"|\b(F\d)\b")


def _folded(text: str) -> str:
    """Text without accents, so "Kramer" in a source matches "Krämer"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _first_author(reference: str) -> str:
    return _folded(re.split(r"[ ,;&]", reference, maxsplit=1)[0])


def _cited(codes: list[str], text: str) -> list[str]:
    """The references of `codes`; none when the text already names one of them."""
    refs: list[str] = []
    for code in codes:
        for ref in filter(None, REFERENCES.get(code, "").split("; ")):
            if ref not in refs:
                refs.append(ref)
    if any(_first_author(ref) in _folded(text) for ref in refs):
        return []
    return refs


def plain_source(text: str) -> str:
    """A source text with every literature code replaced by authors and years.

    Args:
        text: A parameter's ``source`` (or any text citing the literature notes by code).

    Returns:
        The same text without codes: "lit. A14: CT SERC 2016 co-teaching survey" reads
        "CT SERC 2016 co-teaching survey"; "lit. C F3: peers' d = -0.14" reads
        "Krämer, Möller & Zimmermann 2021; Szumski et al. 2017: peers' d = -0.14".
    """
    def replace(match: re.Match) -> str:
        codes = [c for c in match.groups() if c]
        refs = _cited(codes, text[:match.start()] + text[match.end():])
        if len(refs) > 1 and re.match(r" [a-z]+s\b", text[match.end():]):
            # mid-sentence with two studies: "X and Y find", not "X and Y finds"
            return " and ".join(refs) + "\x00"
        return "; ".join(refs)

    out = _CODE.sub(replace, text)
    out = re.sub(r"\x00 ([a-z]+)s\b", r" \1", out)
    out = re.sub(r"(?i)anchored to\s*:\s*", "", out)
    # tidy what a removed code leaves behind: "( )", "(, x)", leading ": ", doubled spaces
    out = re.sub(r"\(\s*\)", "", out)
    out = re.sub(r"\(\s*[;,:]\s*", "(", out)
    out = re.sub(r"\s*[;,]\s*\)", ")", out)
    out = re.sub(r"^\s*[:;,]\s*", "", out)
    out = re.sub(r"(anchored to|see)\s*([;,.)]|$)", r"\2", out)
    out = re.sub(r"\s+([;,.:)])", r"\1", out)
    out = re.sub(r"\s{2,}", " ", out).strip()
    out = re.sub(r"[:;,]\s*$", "", out)
    if out.startswith("(") and out.endswith(")") and out.count("(") == 1:
        out = out[1:-1]
    return out[:1].upper() + out[1:]
