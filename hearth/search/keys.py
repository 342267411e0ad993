"""Name keys for search and duplicate checks: plain Python, no Django.

Normalising: lower case, accents stripped ("Zoë" -> "zoe"), apostrophes dropped so that
"O'Neil" and "ONeil" agree ("oneil"), every other punctuation mark (hyphen, full stop, comma)
splits tokens: "O'Neil-Smith" -> ["oneil", "smith"]. Digits are kept (they are rare in names and
people do not type them by accident).

Phonetic codes are jellyfish's Metaphone, chosen over NYSIIS and Soundex by testing British and
Irish names (see tests/search/test_keys.py), with four adjustments that fix the misses we found:
Gaelic "bh"/"mh" sound as "v" (Niamh/Neve, Siobhan/Shivaun), "mps" as "ms" (Thompson/Thomson),
"th" codes as "t" (Thomas/Tomas), any opening vowel codes as "A" and later H, W and Y are
dropped (Aisha/Ayesha, Eoin/Owen, Rhys/Reece).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish

# Letters NFKD does not decompose into a base letter plus an accent.
_SPECIAL_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                                  "þ": "th", "\u0131": "i"})  # the last is Turkish dotless i
_APOSTROPHES = re.compile("['`\u2018\u2019\u00b4]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_VOWELS = "AEIOU"


def normalise_name(text: str) -> str:
    """Lower case, no accents, apostrophes removed, other punctuation as spaces, spaces collapsed."""
    text = (text or "").lower().translate(_SPECIAL_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text)
    return _NOT_ALNUM.sub(" ", text).strip()


def name_tokens(text: str) -> list[str]:
    """The words of a name, normalised: "Mary-Jane O'Neil" -> ["mary", "jane", "oneil"]."""
    return list(_tokens(text))


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    # Names repeat a great deal across a council, so scoring thousands of candidates hits this cache.
    return tuple(normalise_name(text).split())


@lru_cache(maxsize=65536)
def phonetic_key(token: str) -> str:
    """How a name token sounds, as a short code: Catherine, Katherine and Kathryn all give "KTRN".

    Empty for a token with no letters (e.g. digits only).
    """
    word = normalise_name(token).replace(" ", "")
    word = re.sub(r"[0-9]", "", word)
    if not word:
        return ""
    word = word.replace("bh", "v").replace("mh", "v").replace("mps", "ms")
    code = jellyfish.metaphone(word).upper().replace("0", "T")
    if not code:
        return ""
    head, tail = code[0], code[1:]
    if head in _VOWELS:
        head = "A"
    tail = re.sub(r"[HWY]", "", tail)
    return (head + tail)[:40]


# Common British short forms and their full names. Each line is one family of names that people
# use for the same person; a name may sit in more than one family (Sam, Alex, Charlie...).
_NICKNAME_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("william", "bill", "billy", "will", "willie", "liam"),
    ("catherine", "katherine", "kathryn", "katharine", "cathryn", "kate", "katie", "katy", "kath", "cath",
     "cathy", "kathy", "kat", "kitty"),
    ("thomas", "tom", "tommy", "tam"),
    ("mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mo", "moe"),
    ("alexander", "alex", "alec", "alastair", "alistair", "sandy", "xander"),
    ("alexandra", "alex", "lexi", "lexie", "alexa", "sandra", "sandy"),
    ("james", "jim", "jimmy", "jamie", "jamey"),
    ("elizabeth", "liz", "lizzie", "lizzy", "beth", "betty", "bethany", "eliza", "libby", "elsie", "lisa"),
    ("daniel", "dan", "danny"),
    ("samuel", "sam", "sammy"),
    ("samantha", "sam", "sammie", "sammy"),
    ("charles", "charlie", "chas", "chaz", "chuck"),
    ("charlotte", "charlie", "lottie", "lotte"),
    ("robert", "rob", "robbie", "bob", "bobby", "bert"),
    ("richard", "rich", "richie", "rick", "ricky", "dick"),
    ("michael", "mike", "mikey", "mick", "mickey"),
    ("matthew", "matt", "matty"),
    ("christopher", "chris", "kit"),
    ("christine", "chris", "christina", "tina", "chrissie"),
    ("nicholas", "nick", "nicky", "nico"),
    ("nicola", "nicky", "nikki", "nic"),
    ("joseph", "joe", "joey", "jo"),
    ("josephine", "jo", "josie"),
    ("joanne", "jo", "joanna"),
    ("benjamin", "ben", "benji", "benny"),
    ("edward", "ed", "eddie", "ted", "teddy", "ned"),
    ("anthony", "tony", "ant", "antony"),
    ("andrew", "andy", "drew"),
    ("jonathan", "jon", "jonny", "johnny"),
    ("john", "jon", "johnny", "jack"),
    ("sean", "shaun", "shawn", "shane"),
    ("stephen", "steven", "steve", "stevie"),
    ("timothy", "tim", "timmy"),
    ("peter", "pete"),
    ("david", "dave", "davey", "dai", "dafydd"),
    ("gareth", "gaz", "gary"),
    ("jacob", "jake", "jakey"),
    ("joshua", "josh"),
    ("oliver", "ollie", "olly"),
    ("olivia", "liv", "livvy", "ollie", "livia"),
    ("harry", "harold", "henry", "hal"),
    ("frederick", "fred", "freddie", "freddy"),
    ("alfred", "alfie", "alf", "fred"),
    ("theodore", "theo", "ted", "teddy"),
    ("archibald", "archie"),
    ("zachary", "zach", "zack", "zac"),
    ("nathan", "nathaniel", "nate", "nat"),
    ("patrick", "pat", "paddy"),
    ("patricia", "pat", "patsy", "trish", "tricia"),
    ("margaret", "maggie", "meg", "peggy", "maisie", "marge", "molly"),
    ("mary", "molly", "polly", "maria", "marie", "mari"),
    ("rebecca", "becky", "becca", "bex"),
    ("jennifer", "jen", "jenny", "jenni"),
    ("jessica", "jess", "jessie"),
    ("victoria", "vicky", "vikki", "tori", "tory"),
    ("abigail", "abi", "abbie", "abby", "gail"),
    ("amelia", "millie", "milly", "emilia"),
    ("emily", "em", "emmy", "millie", "emilia"),
    ("emma", "em", "emmy"),
    ("isabella", "isabel", "isabelle", "izzy", "bella", "issy"),
    ("eleanor", "ellie", "nell", "nellie", "elle", "elena", "ella"),
    ("susan", "sue", "susie", "suzanne"),
    ("deborah", "debbie", "deb", "debra"),
    ("kimberley", "kimberly", "kim"),
    ("gabriel", "gabe", "gabby"),
    ("gabrielle", "gabby", "gabi", "ella"),
    ("francesca", "fran", "frankie", "chesca"),
    ("francis", "frank", "frankie", "fran"),
    ("kenneth", "ken", "kenny"),
    ("leonard", "leo", "len", "lenny"),
    ("dominic", "dom"),
    ("lawrence", "laurence", "larry", "laurie"),
    ("raymond", "ray"),
    ("ronald", "ron", "ronnie"),
    ("donald", "don", "donnie"),
    ("terence", "terry", "tel"),
    ("geoffrey", "jeffrey", "geoff", "jeff"),
    ("gregory", "greg"),
    ("philip", "phillip", "phil", "pip"),
    ("kieran", "kieron", "ciaran", "ciaron"),
    ("niamh", "neve", "neave", "niam"),
    ("aoife", "eefa", "ifa"),
    ("siobhan", "shivaun", "shevaun"),
    ("sinead", "shinead"),
    ("aisha", "ayesha", "aysha", "ayisha"),
    ("fatima", "fatimah", "fatma"),
    ("yusuf", "yousef", "yusef", "yousuf"),
    ("ibrahim", "ebrahim", "ibraheem"),
    ("sulaiman", "suleman", "sulayman", "suleiman"),
    ("dylan", "dillon"),
    ("rhys", "reece", "reese", "rees"),
    ("evan", "ifan", "ieuan", "iwan"),
    ("owen", "eoin", "owain"),
    ("lewis", "louis", "luis", "lou"),
    ("louise", "lou", "louisa", "lulu"),
    ("caitlin", "kaitlyn", "katelyn", "caitlyn", "cait", "kate"),
)


def _build_nicknames() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for family in _NICKNAME_FAMILIES:
        for name in family:
            table.setdefault(name, set()).update(family)
    return {name: frozenset(names - {name}) for name, names in table.items()}


_NICKNAMES = _build_nicknames()


def nickname_variants(token: str) -> set[str]:
    """Other names the same person may be recorded under: "kate" -> {"catherine", "katherine", ...}.

    Excludes the token itself; empty when the name is not in the table.
    """
    return set(_NICKNAMES.get(normalise_name(token).replace(" ", ""), ()))


def nickname_set(token: str) -> frozenset[str]:
    """As nickname_variants, for an already normalised token, without copying."""
    return _NICKNAMES.get(token, frozenset())


def name_keys_for(names: list[str]) -> tuple[set[str], set[str]]:
    """Exact and phonetic keys for a person's names (each string a whole name part, e.g. a surname).

    Tokens of one letter (initials) are not indexed. A name of several words is also indexed
    joined up, so "Smith-Jones" is found by "smithjones" and "Mc Donald" by "mcdonald".
    """
    exact: set[str] = set()
    for name in names:
        tokens = name_tokens(name)
        exact.update(t for t in tokens if len(t) > 1)
        if len(tokens) > 1:
            exact.add("".join(tokens))
    exact = {t[:40] for t in exact}
    phonetic = {code for code in (phonetic_key(t) for t in exact) if code}
    return exact, phonetic


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=4096)
def typo_variants(token: str) -> frozenset[str]:
    """Every spelling one keystroke away (a letter dropped, added, changed, or two swapped).

    Looked up as exact keys, this finds "Jordan" from "Hordan" or "Jrodan" by index, where a
    fuzzy comparison would have to read every name in the council. Tokens under 3 letters have
    too many neighbours to be useful, so get none.
    """
    if len(token) < 3 or not token.isalpha():
        return frozenset()
    splits = [(token[:i], token[i:]) for i in range(len(token) + 1)]
    variants = {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    variants |= {a + c + b for a, b in splits for c in _LETTERS}
    variants.discard(token)
    return frozenset(v for v in variants if len(v) > 1)
