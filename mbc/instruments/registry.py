"""Finding definitions by code and version. Files are read once and cached."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from mbc.instruments.schema import Definition, DefinitionError, parse

if TYPE_CHECKING:
    from mbc.instruments.wording import ClientWording

DEFINITIONS = Path(__file__).parent / "definitions"


class UnknownInstrument(LookupError):
    pass


def load_file(path: Path) -> Definition:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{path}: not valid TOML: {exc}") from exc
    return parse(data, path)


@cache
def _all() -> dict[str, dict[str, Definition]]:
    found: dict[str, dict[str, Definition]] = {}
    for path in sorted(DEFINITIONS.glob("*/*.toml")):
        definition = load_file(path)
        found.setdefault(definition.code, {})[definition.version] = definition
    return found


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def codes() -> list[str]:
    return sorted(_all())


def versions(code: str) -> list[str]:
    """The versions of ``code``, oldest first."""
    if code not in _all():
        raise UnknownInstrument(f"no instrument {code!r}; known: {', '.join(codes())}")
    return sorted(_all()[code], key=_version_key)


def get(code: str, version: str | None = None) -> Definition:
    """The definition of ``code`` at ``version``, or its latest version when None."""
    chosen = version or versions(code)[-1]
    try:
        return _all()[code][chosen]
    except KeyError:
        raise UnknownInstrument(
            f"no version {chosen!r} of {code!r}; known: {', '.join(versions(code))}"
        ) from None


def client_wording(code: str) -> ClientWording:
    """The plain words a client reads about ``code``'s scores (``mbc.instruments.wording``),
    checked against every version's bands when first read."""
    from mbc.instruments import wording

    return wording.for_instrument(code)
