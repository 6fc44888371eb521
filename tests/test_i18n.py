"""English and Spanish from day one."""

from __future__ import annotations

from mbc.i18n import stale_messages
from tests.factories import PASSWORD
from tests.helpers import signin, text_of


def test_spanish_speaking_staff_see_spanish_pages(app, make) -> None:
    user = make.user(email="es@example.org", language="es")
    web = signin(app.test_client(), user.email, PASSWORD)
    page = text_of(web.get("/home"))
    assert "Mis clientes" in page and "Cerrar sesión" in page
    assert '<html lang="es">' in page


def test_sign_in_page_follows_the_browser_language(web) -> None:
    page = text_of(web.get("/signin", headers={"Accept-Language": "es-MX,es;q=0.9"}))
    assert "Iniciar sesión" in page and "Contraseña" in page
    assert "Sign in" in text_of(web.get("/signin", headers={"Accept-Language": "en-US"}))


def test_error_messages_are_translated(app, make) -> None:
    user = make.user(email="es2@example.org", language="es")
    web = signin(app.test_client(), user.email, PASSWORD)
    assert "No tiene permiso para ver esta página." in text_of(web.get("/admin/"))


def test_every_string_has_a_spanish_translation() -> None:
    assert stale_messages("es") == []


def test_no_template_rebinds_gettext() -> None:
    """``{% set _ = ... %}`` shadows ``_`` for the rest of the template or macro, so the next
    ``_("...")`` raises (the pager did, on every list longer than a page)."""
    import re
    from pathlib import Path

    import mbc

    rebinding = re.compile(r"\{%-?\s*(set|for)\s+(\w+\s*,\s*)*_\s*(=|,|in\b)")
    offenders = [
        str(path)
        for path in Path(mbc.__file__).parent.joinpath("templates").rglob("*.html")
        if rebinding.search(path.read_text())
    ]
    assert offenders == []
