"""The characters the generated texts are made of: the spellings the matcher must see through,
and the noise it must stay exact in."""

from __future__ import annotations

#: Hyphens and dashes (U+2010..U+2015, minus sign, small and full-width hyphen-minus, soft hyphen).
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad"
#: Apostrophes and their look-alikes (the modifier letter U+02BC is a letter, not punctuation).
APOSTROPHES = "'\u2019\u2018\u02bc\u2032\uff07`\u00b4"
#: Quotation marks around a name.
QUOTES = "\"«»„“”‘’‹›「」"
#: One white-space character: no-break, em, thin and ideographic spaces and the rest.
SPACES = " \t\u00a0\u1680\u2000\u2002\u2003\u2007\u2009\u200a\u202f\u205f\u3000\v\f"
#: Line and paragraph ends: CRLF, a lone CR, U+2028/U+2029, NEL, and blank lines.
BREAKS = ("\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\n\n", "\r\n\r\n", "\n \t\n", "\n\u00a0\n")
#: Characters of no width: ZWSP, ZWNJ, ZWJ, word joiner, BOM, LRM/RLM, and the soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u00ad\u061c"
#: Combining marks: acute and grave stress, diaeresis, breve (й decomposed), macron, dot above.
COMBINING = "\u0301\u0300\u0308\u0306\u0304\u0307\u0327\u20dd"
#: Letters drawn alike in Cyrillic and Latin, pairwise (Cyrillic first).
LOOKALIKES = dict(zip("АаВЕеКкМНОоРрСсТУуХхІіЈјЅѕ", "AaBEeKkMHOoPpCcTYyXxIiJjSs"))
LOOKALIKES.update({v: k for k, v in list(LOOKALIKES.items())})
#: Astral and multi-code-point sequences: emoji with ZWJ and skin tone, a flag, CJK extension B,
#: mathematical letters, a keycap, a variation selector.
ASTRAL = (
    "\U0001f4a3", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f44d\U0001f3fd", "\U0001f1fa\U0001f1e6",
    "\U00020000", "\U0001d400\U0001d401", "1\ufe0f\u20e3", "\u2764\ufe0f", "\U0001f600", "\U000e0041",
)
#: Letters whose case mapping is special: dotted capital I (lower case is two code points),
#: final sigma, German sharp s, the ligature ﬁ, Turkish dotless i, Georgian, title-case Dž.
TRICKY_CASE = "\u0130\u03c2\u03a3\u00df\ufb01\u0131\u10d0\u01c5\u1e9e"
#: Lone surrogates: Python strings may hold them, UTF-8 cannot encode them.
SURROGATES = "\ud800\udbff\udc00\udfff\ud83d\ude00"
#: Punctuation that ends or splits sentences and words.
PUNCTUATION = ".,;:!?…()[]{}/\\|*&%$#@+=<>~^_\"'"
ASCII_WORDS = ("the", "mine", "mines", "field", "a", "of", "ISO", "rifle", "M", "S", "s", "1", "50", "no", "cluster", "munition")
CYRILLIC_WORDS = ("и", "в", "мина", "мины", "поле", "на", "з", "міна", "кислая", "разминирование", "боеприпас", "ПФМ", "МОН", "ТМ")
