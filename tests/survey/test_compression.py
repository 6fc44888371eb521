"""Check-in pages arrive gzip-compressed when the browser accepts it (as every phone's does);
staff pages never are (BREACH: they echo input beside a CSRF token)."""

from __future__ import annotations

import gzip

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_check_in_page_is_compressed_and_decompresses_to_the_page(web, make, client_en):
    _, link = make.check_in(client_en, ("phq9",))
    plain = web.get(f"/s/{link}/1")
    packed = web.get(f"/s/{link}/1", headers=GZIP)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.get_data())
    assert b"Little interest or pleasure in doing things" in html
    assert int(packed.headers["Content-Length"]) == len(packed.get_data()) < len(html) / 2
    assert len(packed.get_data()) <= 14 * 1024


def test_message_pages_are_compressed_too(web):
    response = web.get("/s/not-a-real-link", headers=GZIP)
    assert response.status_code == 404
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"This link isn" in gzip.decompress(response.get_data())


def test_redirects_and_staff_pages_are_not_compressed(web, make, client_en):
    _, link = make.check_in(client_en, ("phq9",))
    web.get(f"/s/{link}/1")
    assert "Content-Encoding" not in web.get(f"/s/{link}/done", headers=GZIP).headers
    assert "Content-Encoding" not in web.get("/signin", headers=GZIP).headers
