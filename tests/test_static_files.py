"""Static files: a content-hashed URL cached for a year, and no 404 for /favicon.ico."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

YEAR_IMMUTABLE = "public, max-age=31536000, immutable"


def test_staff_stylesheet_has_a_hashed_url_cached_for_a_year(web: FlaskClient) -> None:
    html = web.get("/signin").get_data(as_text=True)
    [url] = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert re.fullmatch(r"/static/staff\.css\?v=[0-9a-f]{12}", url)
    response = web.get(url)
    response.close()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == YEAR_IMMUTABLE


def test_a_stale_or_missing_hash_is_revalidated_as_before(web: FlaskClient) -> None:
    for url in ("/static/staff.css", "/static/staff.css?v=000000000000"):
        response = web.get(url)
        response.close()
        assert response.headers["Cache-Control"] == "no-cache", url


def test_favicon_is_not_a_404_and_is_cached(web: FlaskClient) -> None:
    response = web.get("/favicon.ico")
    assert response.status_code == 204
    assert response.headers["Cache-Control"] == YEAR_IMMUTABLE


def test_pages_name_an_icon_that_costs_no_request(web: FlaskClient) -> None:
    html = web.get("/signin").get_data(as_text=True)
    assert '<link rel="icon" href="data:,">' in html
