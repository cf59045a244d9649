"""A small stop-list of everyday English, Russian and Ukrainian words.

An alias that folds to one of these must be marked ``ambiguous`` (lint code G034): as a bare
word it would be tagged in ordinary prose. The list holds frequent function words plus everyday
nouns known to double as weapon nicknames (butterfly, frog, petal, witch, ...).
"""

_ENGLISH = """
a an and are as at be but by for from has have he her his i in is it its me mine my no not of on
or our she so that the their them they this to up us was we were what when which who will with you
adam apple bat bear bee bird black widow bouncing betty butterfly cat claymore dog eagle fox frog
gator horse jumping lion mark medallion model mouse petal pineapple rabbit snake spider type volcano
widow witch wolf
"""
_RUSSIAN = """
а в во да для до же за и из или к как мы на не но о об он она они от по с со так то ты у что это я
бабочка ведьма жаба кукуруза лепесток лягушка медальон ромашка цветок
"""
_UKRAINIAN = """
а в від да для до же за і й з із або як ми на не але о об він вона вони по с так те ти у що це я
відьма жаба квітка медальйон метелик пелюстка ромашка
"""

STOPWORDS: frozenset[str] = frozenset((_ENGLISH + _RUSSIAN + _UKRAINIAN).split()) | {"black widow", "bouncing betty"}
