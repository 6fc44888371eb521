"""Finding definitions by code and version: the built-in ones, and a practice's own from the
folder ``MBC_INSTRUMENTS_DIR`` names.

Files are read once per process. ``configure`` (called by ``create_app``, so by the web and the
scheduler processes alike) reads the practice's folder at start: a definition added there is
seen after a restart. A practice's file is loaded only when it is released (its checksum is in
the folder's ``RELEASED.sha256``, and matches) and valid in every field; otherwise it is refused
whole, never half-loaded, and ``problems()`` says why.
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from mbc.instruments.schema import Definition, DefinitionError, parse

if TYPE_CHECKING:
    from mbc.instruments.wording import ClientWording

DEFINITIONS = Path(__file__).parent / "definitions"
RELEASED_FILE = "RELEASED.sha256"
log = logging.getLogger(__name__)

_clinic_dir: Path | None = None
_clinic: dict[str, dict[str, Definition]] = {}
_merged: dict[str, dict[str, Definition]] | None = None  # built-ins and the practice's, once
_problems: list[str] = []


class UnknownInstrument(LookupError):
    pass


def load_file(path: Path, *, strict: bool = False) -> Definition:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{path}: not valid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(f"{path}: cannot be read: {exc}") from exc
    return parse(data, path, strict=strict)


@cache
def _builtin() -> dict[str, dict[str, Definition]]:
    found: dict[str, dict[str, Definition]] = {}
    for path in sorted(DEFINITIONS.glob("*/*.toml")):
        definition = load_file(path)
        found.setdefault(definition.code, {})[definition.version] = definition
    return found


def configure(folder: str | Path | None) -> None:
    """Load the practice's definitions from ``folder`` (None: built-ins only), replacing any
    loaded before: what a restart does. Each refused file is logged and kept in ``problems``."""
    global _clinic_dir, _clinic, _merged, _problems
    _clinic_dir = Path(folder) if folder else None
    _clinic, _problems = ({}, []) if _clinic_dir is None else load_clinic(_clinic_dir)
    _merged = {**_builtin(), **_clinic} if _clinic else None
    for problem in _problems:
        log.error("instrument definition refused: %s", problem)


def load_clinic(folder: Path) -> tuple[dict[str, dict[str, Definition]], list[str]]:
    """The released, valid definitions in ``folder``, and a problem for every file refused."""
    if not folder.is_dir():
        return {}, [f"{folder}: MBC_INSTRUMENTS_DIR is not a folder"]
    released, problems = read_released(folder)
    found: dict[str, dict[str, Definition]] = {}
    files = sorted(folder.glob("*/*.toml"))
    for path in files:
        name = path.relative_to(folder).as_posix()
        try:
            found_problem = release_problem(path, name, released)
            if found_problem:
                problems.append(found_problem)
                continue
            definition = load_file(path, strict=True)
            if definition.code in _builtin():
                problems.append(f"{path}: code: {definition.code!r} is a built-in instrument")
                continue
            found.setdefault(definition.code, {})[definition.version] = definition
        except DefinitionError as exc:
            problems.extend(exc.problems)
    present = {p.relative_to(folder).as_posix() for p in files}
    for name in sorted(set(released) - present):
        problems.append(f"{folder / RELEASED_FILE}: lists {name}, which is not in the folder")
    return found, problems


def read_released(folder: Path) -> tuple[dict[str, str], list[str]]:
    """``RELEASED.sha256`` of ``folder`` as {relative path: sha256}, in ``sha256sum`` format."""
    path = folder / RELEASED_FILE
    if not path.exists():
        return {}, []
    released, problems = {}, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, name = line.strip().partition("  ")
        if len(digest) != 64 or not name:
            problems.append(f"{path}: line {number}: must be '<sha256>  <code>/<version>.toml'")
            continue
        released[name.strip()] = digest.lower()
    return released, problems


def release_problem(path: Path, name: str, released: dict[str, str]) -> str | None:
    """Why ``path`` may not be loaded as released, or None: the checksum guard."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if name not in released:
        return (
            f"{path}: not released: check it (mbc instruments check), then add the line "
            f"'{digest}  {name}' to {RELEASED_FILE}"
        )
    if released[name] != digest:
        return (
            f"{path}: changed since it was released (its checksum is not the one in "
            f"{RELEASED_FILE}): a released version is never edited; write a new version file"
        )
    return None


def problems() -> list[str]:
    """Why each of the practice's refused definition files was refused (empty: none was)."""
    return list(_problems)


def clinic_dir() -> Path | None:
    return _clinic_dir


def _all() -> dict[str, dict[str, Definition]]:
    return _builtin() if _merged is None else _merged


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def codes() -> list[str]:
    return sorted(_all())


def has(code: str, version: str | None = None) -> bool:
    """Whether this process has loaded ``code`` (at ``version``)."""
    loaded = _all().get(code)
    return loaded is not None and (version is None or version in loaded)


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
