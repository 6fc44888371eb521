"""Which language a page is shown in, and compiling the message catalogues."""

from __future__ import annotations

import os
from pathlib import Path

from flask import g, has_request_context, request
from flask_login import current_user

SUPPORTED = ("en", "es")
TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    """A page's own choice (``g.locale``) first, then the staff member's, then the browser's."""
    chosen = g.get("locale")
    if chosen in SUPPORTED:
        return chosen
    if current_user and current_user.is_authenticated:
        return current_user.preferred_language
    if has_request_context():
        return request.accept_languages.best_match(SUPPORTED) or "en"
    return "en"


def compile_catalogues() -> list[Path]:
    """Compile every ``messages.po`` to ``messages.mo`` when the .mo is missing or older."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=po_path.parent.parent.name)
        partial = mo_path.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        partial.replace(mo_path)  # atomic: a process reading it never sees half a catalogue
        written.append(mo_path)
    return written


ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"]


def extract(pot_path: Path) -> None:
    """Extract every translatable string of the Python code and templates into ``pot_path``."""
    from babel.messages.frontend import CommandLineInterface

    args = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS]
    CommandLineInterface().run([*args, "--no-location", "-o", str(pot_path), str(ROOT / "mbc")])


def stale_messages(locale: str = "es") -> list[str]:
    """Strings in the code with no (or only a fuzzy) translation in ``locale``'s catalogue."""
    import tempfile

    from babel.messages.pofile import read_po

    with tempfile.TemporaryDirectory() as tmp:
        pot_path = Path(tmp) / "messages.pot"
        extract(pot_path)
        with pot_path.open("rb") as f:
            template = read_po(f)
    po_path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as f:
        catalogue = read_po(f, locale=locale)
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id)
        strings = found.string if found else None
        empty = not strings or (isinstance(strings, tuple) and not all(strings))
        if found is None or empty or found.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def update_catalogues() -> None:
    """Re-extract and merge new strings into every catalogue (then translate and compile)."""
    import tempfile

    from babel.messages.frontend import CommandLineInterface

    with tempfile.TemporaryDirectory() as tmp:
        pot_path = Path(tmp) / "messages.pot"
        extract(pot_path)
        CommandLineInterface().run(
            ["pybabel", "-q", "update", "--no-wrap", "-i", str(pot_path), "-d", str(TRANSLATIONS)]
        )
