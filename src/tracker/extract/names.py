"""Names in article text: people, institutions, countries, and when two spellings are one name.

Rules of thumb an analyst uses when reading English-language news on the region: a person
is two or three capitalised words none of which is a place, a month or an institution word
("Andrei Ravkov", "Khanlar Fatiyev"); an institution is a run of capitalised words ending in
a word such as Bank, Ministry or Committee ("the World Bank", "Minsk City Executive
Committee"), or a known acronym. Transliterations meet through a spelling key that drops the
differences Belarusian, Russian and Azerbaijani names show in English: Lukashenka/Lukashenko,
Aliyev/Aliev, Alexander/Aleksandr. The heads of state of Belarus's main partners, in office
throughout 2024–2026, are known by name and title, so "Alexander Lukashenko met …" is a person
and "the Belarusian leader" is someone even where the article gives no title or no name.
"""

from __future__ import annotations

import re
import unicodedata

NATIONALITIES = {
    "belarusian": "BY", "belarus'": "BY", "azerbaijani": "AZ", "russian": "RU", "iranian": "IR",
    "armenian": "AM", "turkish": "TR", "ukrainian": "UA", "kazakh": "KZ", "kazakhstani": "KZ",
    "uzbek": "UZ", "chinese": "CN", "hungarian": "HU", "georgian": "GE", "american": "US",
    "polish": "PL", "lithuanian": "LT", "french": "FR", "german": "DE", "british": "GB",
    "vietnamese": "VN", "omani": "OM", "zimbabwean": "ZW", "kyrgyz": "KG", "tajik": "TJ",
    "turkmen": "TM", "indian": "IN", "emirati": "AE", "serbian": "RS", "cuban": "CU",
    "venezuelan": "VE", "kenyan": "KE", "egyptian": "EG", "pakistani": "PK", "mongolian": "MN",
    "european": None,
}
COUNTRIES = {
    "belarus": "BY", "azerbaijan": "AZ", "russia": "RU", "iran": "IR", "armenia": "AM",
    "turkey": "TR", "türkiye": "TR", "ukraine": "UA", "kazakhstan": "KZ", "uzbekistan": "UZ",
    "china": "CN", "hungary": "HU", "georgia": "GE", "vietnam": "VN", "oman": "OM",
    "zimbabwe": "ZW", "kyrgyzstan": "KG", "tajikistan": "TJ", "turkmenistan": "TM", "india": "IN",
    "poland": "PL", "lithuania": "LT", "serbia": "RS", "cuba": "CU", "venezuela": "VE",
    "kenya": "KE", "egypt": "EG", "pakistan": "PK", "mongolia": "MN", "the united states": "US",
    "moldova": "MD", "bulgaria": "BG", "latvia": "LV", "estonia": "EE", "germany": "DE", "france": "FR",
    "italy": "IT", "japan": "JP", "korea": "KR", "america": "US", "usa": "US", "britain": "GB", "spain": "ES",
    "israel": "IL", "syria": "SY", "iraq": "IQ", "qatar": "QA", "uae": "AE", "nigeria": "NG", "ethiopia": "ET",
    "indonesia": "ID", "malaysia": "MY", "thailand": "TH", "cambodia": "KH", "laos": "LA", "myanmar": "MM",
    "brazil": "BR", "argentina": "AR", "nicaragua": "NI", "bolivia": "BO", "algeria": "DZ", "libya": "LY",
    "sudan": "SD", "tanzania": "TZ", "uganda": "UG", "zambia": "ZM", "mozambique": "MZ", "angola": "AO",
    "afghanistan": "AF", "bangladesh": "BD", "sri lanka": "LK", "nepal": "NP", "slovakia": "SK", "czechia": "CZ",
    "romania": "RO", "greece": "GR", "cyprus": "CY", "switzerland": "CH", "austria": "AT", "finland": "FI",
    "sweden": "SE", "norway": "NO", "denmark": "DK", "netherlands": "NL", "belgium": "BE", "canada": "CA",
    "mexico": "MX", "australia": "AU", "europe": None, "asia": None, "africa": None,
}
COUNTRY_NAMES = {
    "BY": "Belarus", "AZ": "Azerbaijan", "RU": "Russia", "IR": "Iran", "AM": "Armenia", "TR": "Türkiye",
    "UA": "Ukraine", "KZ": "Kazakhstan", "UZ": "Uzbekistan", "CN": "China", "HU": "Hungary", "GE": "Georgia",
    "VN": "Vietnam", "OM": "Oman", "ZW": "Zimbabwe", "KG": "Kyrgyzstan", "TJ": "Tajikistan",
    "TM": "Turkmenistan", "IN": "India", "PL": "Poland", "LT": "Lithuania", "RS": "Serbia", "CU": "Cuba",
    "VE": "Venezuela", "KE": "Kenya", "EG": "Egypt", "PK": "Pakistan", "MN": "Mongolia", "US": "the United States",
}
INSTITUTION_HEADS = (
    "Bank", "Fund", "Ministry", "Committee", "Administration", "Commission", "Council", "Agency",
    "Service", "Organization", "Organisation", "Office", "Government", "Chamber", "Institute",
    "Parliament", "Assembly", "Union", "Cabinet", "Corporation", "Company", "Plant", "Works",
    "Association", "Centre", "Center", "Secretariat", "Authority", "Authorities", "Statistics",
)
ACRONYMS = {"EBRD", "IMF", "EDB", "EAEU", "EEU", "CIS", "CSTO", "SCO", "OPEC", "WTO", "UN", "EU", "NATO",
            "BRICS", "MAZ", "MTZ", "BelAZ", "BELAZ", "SOCAR", "Belstat", "Belarusbank", "Gazprom"}
NOT_NAMES = {
    "the", "a", "an", "and", "of", "in", "on", "at", "by", "for", "to", "with", "from", "this", "that", "these",
    "president", "minister", "ambassador", "prime", "deputy", "head", "chairman", "director", "general",
    "leader", "state", "republic", "federation", "city", "region", "oblast", "district", "national",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "north", "south", "east", "west", "eastern", "western", "central", "free", "trade", "economic", "forum",
    "according", "meanwhile", "however", "moreover", "furthermore", "additionally", "currently", "today",
    "yesterday", "mr", "mrs", "ms", "dr", "professor", "candidate", "member", "chief", "extraordinary",
    "plenipotentiary", "supervisory", "board", "executive", "house", "representatives", "political",
    "science", "sciences", "our", "their", "his", "her", "its", "we", "they", "he", "she", "it", "i",
    "belarusians", "soviet", "union", "agreement", "roadmap", "road", "map", "treaty", "programme", "program",
    "project", "summit", "commission", "automobile", "tractor", "plant", "works", "park", "zone", "sea",
    "gulf", "ocean", "persian", "caspian", "karabakh", "zangezur", "telegram", "news", "reports", "text",
    "ministers", "cabinet", "government", "parliament", "council", "committee", "ministry", "cultural",
    "secretary", "envoy", "consul", "counselor", "counsellor", "spokesperson", "spokesman", "spokeswoman",
    "vice", "adviser", "advisor", "chairwoman", "ceo",
    # closed-class words that open sentences ("As noted by Mr. Turchin", "If we achieve it"): never a name
    "as", "if", "when", "while", "after", "before", "since", "although", "though", "because", "but", "so", "yet",
    "or", "nor", "not", "no", "all", "both", "each", "every", "some", "any", "many", "most", "such", "what", "which",
    "who", "whom", "whose", "where", "how", "why", "there", "here", "then", "thus", "also", "only", "even", "during",
    "over", "under", "despite", "following", "within", "without", "through", "against", "among", "between", "into",
    "about", "above", "below", "across", "towards", "toward", "like", "unlike", "via", "amid", "those", "you", "your",
    "my", "us", "them", "once", "now", "still", "just", "yes",
}
TITLE_NOUNS = {"analyst", "expert", "economist", "researcher", "journalist", "pundit", "observer", "scientist"}
LEADERS = (  # name, surname, title, country: in office throughout 2024–2026
    ("Alexander Lukashenko", "Lukashenko", "president", "BY"), ("Vladimir Putin", "Putin", "president", "RU"),
    ("Ilham Aliyev", "Aliyev", "president", "AZ"), ("Kassym-Jomart Tokayev", "Tokayev", "president", "KZ"),
    ("Shavkat Mirziyoyev", "Mirziyoyev", "president", "UZ"), ("Xi Jinping", "Xi", "president", "CN"),
    ("Emomali Rahmon", "Rahmon", "president", "TJ"), ("Sadyr Japarov", "Japarov", "president", "KG"),
    ("Emmerson Mnangagwa", "Mnangagwa", "president", "ZW"),
)
ACRONYM_NAMES = {  # an acronym and its full name are one institution
    "EBRD": "European Bank for Reconstruction and Development", "EDB": "Eurasian Development Bank",
    "IMF": "International Monetary Fund", "WTO": "World Trade Organization", "EAEU": "Eurasian Economic Union",
    "EEU": "Eurasian Economic Union", "CIS": "Commonwealth of Independent States",
    "CSTO": "Collective Security Treaty Organization", "SCO": "Shanghai Cooperation Organization",
    "UN": "United Nations", "EU": "European Union",
}
ACRONYM_HEADS = {  # what an acronym's institution is called later ("the bank")
    "EBRD": "bank", "EDB": "bank", "IMF": "fund", "WTO": "organization", "SCO": "organization",
    "CSTO": "organization", "OPEC": "organization", "UN": "organization", "EAEU": "union", "EEU": "union",
    "EU": "union", "Belstat": "committee", "Belarusbank": "bank", "MAZ": "plant", "MTZ": "plant",
    "BelAZ": "plant", "BELAZ": "plant", "SOCAR": "company", "Gazprom": "company",
}
_SCRIPT_FOLDS = (("kh", "h"), ("ks", "x"), ("yu", "u"), ("ya", "a"), ("yo", "o"), ("ye", "e"), ("iy", "i"),
                 ("y", "i"), ("j", "i"), ("w", "v"), ("ou", "u"), ("ck", "k"))


def ascii_lower(words: str) -> str:
    """Lowercase ASCII letters of `words` (accents dropped)."""
    decomposed = unicodedata.normalize("NFKD", words.lower())
    return decomposed.encode("ascii", "ignore").decode()


def slug(words: str) -> str:
    """A kebab-case id from words: `Alyaksandr Lukashenka` -> `alyaksandr-lukashenka`."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_lower(words)).strip("-") or "x"


def name_key(word: str) -> str:
    """A spelling key under which transliterations of one name meet.

    Lukashenka and Lukashenko -> `lukashenk`; Aliyev and Aliev -> `aliev`; Ravkov and
    Rawkow -> `ravkov`.
    """
    key = re.sub(r"[^a-z]", "", ascii_lower(word))
    for written, folded in _SCRIPT_FOLDS:
        key = key.replace(written, folded)
    key = re.sub(r"(.)\1+", r"\1", key)
    return re.sub(r"(?<=.{3})[aeiou]$", "", key)


def country_of(word: str | None) -> str | None:
    """The ISO code of a nationality adjective or a country name, if it is one."""
    if not word:
        return None
    lowered = word.lower().strip(" ,.’'")
    return NATIONALITIES.get(lowered) or COUNTRIES.get(lowered) or COUNTRIES.get(lowered.removeprefix("the "))


def is_place(word: str) -> bool:
    """A country, continent or nationality word (which is never part of a person's name)."""
    lowered = word.lower().strip(" ,.’'")
    return lowered in NATIONALITIES or lowered in COUNTRIES


def is_name_word(word: str) -> bool:
    """A capitalised word that can be part of a person's name."""
    bare = word.strip(",.;:’'\"“”()")
    return (len(bare) > 1 and bare[0].isupper() and bare[1:].replace("-", "").replace("'", "").isalpha()
            and not bare.isupper() and bare.lower() not in NOT_NAMES and not is_place(bare))


def person_tokens(raw: str, most: int = 3) -> list[str]:
    """The leading words of `raw` that form a person's name (up to `most`), else []."""
    tokens: list[str] = []
    words = raw.split()
    if len(words) > 1 and words[0].lower() in TITLE_NOUNS and is_name_word(words[1]):
        return []  # "Analyst Siarhei Chaly": a title opening the run, not a given name
    for word in words[:most]:
        bare = re.sub(r"(?:['’]s?)$", "", word.rstrip(",.;:!?\"”)"))
        if not is_name_word(bare):
            break
        tokens.append(bare)
        if word[-1] in ",.;:!?\"”)’" or re.search(r"['’]s?$", word):
            break
    return tokens


def is_institution(words: str) -> bool:
    """Whether capitalised words name an institution rather than a person."""
    last = words.split()[-1] if words.split() else ""
    return last in INSTITUTION_HEADS or last.rstrip("s") in INSTITUTION_HEADS or words in ACRONYMS


def leader(tokens: list[str]) -> tuple[str, str, str, str] | None:
    """The head of state (name, surname, title, country) a written name stands for, if any: by its
    surname, written alone or first or last ("Lukashenka", "Aleksandr Lukashenko", "Xi Jinping")."""
    if not tokens:
        return None
    return _LEADER_KEYS.get(name_key(tokens[-1])) or _LEADER_KEYS.get(name_key(tokens[0]))


_LEADER_KEYS = {name_key(entry[1]): entry for entry in LEADERS}


def leader_of(country: str) -> tuple[str, str, str, str] | None:
    """The head of state of a country (ISO code), if the list has one."""
    return next((entry for entry in LEADERS if entry[3] == country), None)
