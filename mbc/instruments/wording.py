"""Client wording: the plain words a client reads about their own scores, one file per
instrument in ``client_wording/`` (ours, never the instrument's own text).

Released definition files are never edited (a checksum guards them), so these words sit beside
them and are checked against them when loaded: the file names a known instrument, is tagged
"ours", and names only bands some version of that instrument has. A band without words is not
an error (an instrument added later may have none yet): ``band_words`` returns None and the page
says something neutral instead, never the definition's clinical label.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mbc.instruments.schema import DefinitionError

WORDING = Path(__file__).parent / "client_wording"


@dataclass(frozen=True)
class ClientWording:
    code: str
    about: dict[str, str] = field(default_factory=dict)  # language -> what it asks about
    bands: dict[str, dict[str, str]] = field(default_factory=dict)  # band key -> language -> words

    def about_text(self, language: str) -> str | None:
        return self.about.get(language) or self.about.get("en")

    def band_words(self, key: str | None, language: str) -> str | None:
        words = self.bands.get(key or "", {})
        return words.get(language) or words.get("en")


def _texts(raw: Any, where: str, path: Path) -> dict[str, str]:
    if not isinstance(raw, dict) or not isinstance(raw.get("en"), str) or not raw["en"].strip():
        raise DefinitionError(f"{path}: {where}: needs English text (en)")
    for lang, text in raw.items():
        if not isinstance(text, str) or not text.strip():
            raise DefinitionError(f"{path}: {where}.{lang}: must be non-empty text")
    return dict(raw)


def parse(data: dict[str, Any], path: Path, band_keys: set[str]) -> ClientWording:
    """Check one wording file against the band keys of its instrument (every version's)."""
    code = data.get("code")
    if code != path.stem:
        raise DefinitionError(f"{path}: code: must match the file name ({path.stem})")
    source = data.get("source")
    if not isinstance(source, dict) or source.get("tag") != "ours" or not source.get("text"):
        raise DefinitionError(f'{path}: source: must be tagged "ours" with a text')
    about = _texts(data["about"], "about", path) if "about" in data else {}
    bands_raw = data.get("bands", {})
    if not isinstance(bands_raw, dict):
        raise DefinitionError(f"{path}: bands: must be a table")
    if unknown := set(bands_raw) - band_keys:
        raise DefinitionError(f"{path}: bands: {sorted(unknown)} are not bands of {code}")
    bands = {key: _texts(raw, f"bands.{key}", path) for key, raw in bands_raw.items()}
    return ClientWording(code=code, about=about, bands=bands)


@cache
def all_wording() -> dict[str, ClientWording]:
    """Every wording file, checked against the registry (read once)."""
    from mbc.instruments import registry

    found = {}
    for path in sorted(WORDING.glob("*.toml")):
        if path.stem not in registry.codes():
            raise DefinitionError(f"{path}: no instrument {path.stem!r}")
        keys = {
            band.key
            for version in registry.versions(path.stem)
            for band in registry.get(path.stem, version).scoring.bands
        }
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = parse(data, path, keys)
    return found


def for_instrument(code: str) -> ClientWording:
    """The instrument's client wording; an empty one (no words at all) when it has no file."""
    return all_wording().get(code) or ClientWording(code=code)
