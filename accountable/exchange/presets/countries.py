"""Country names as exports write them -> ISO codes (blank when unknown: never a rejection)."""

from __future__ import annotations

from functools import cache

from django_countries import countries

ALIASES = {
    "usa": "US",
    "us": "US",
    "united states": "US",
    "uk": "GB",
    "eire": "IE",
    "rsa": "ZA",
    "korea": "KR",
    "czech republic": "CZ",
}


@cache
def country_code(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        return ""
    if cleaned.lower() in ALIASES:
        return ALIASES[cleaned.lower()]
    if len(cleaned) == 2 and cleaned.upper() in dict(countries):
        return cleaned.upper()
    return countries.by_name(cleaned) or ""
