"""Every paged list: a page number past the end shows the last page; one that is not a positive
whole number is a 404; neither is ever a server error."""

from __future__ import annotations

import pytest

from mbc.audit import services as audit
from mbc.extensions import db
from tests.conftest import TEST_NOW
from tests.helpers import text_of

PAGED_LISTS = ("/admin/clients?status=all", "/admin/audit")


@pytest.fixture
def many_rows(app, make, clinician_a) -> None:
    """Over two pages of both lists (50 rows a page)."""
    for i in range(101):
        make.client(clinician_a, client_ref=f"P-{i:03d}", first_name="Page", last_name=f"{i:03d}")
    with app.app_context():
        audit.insert_many(
            [
                {"occurred_at": TEST_NOW, "actor_label": "cli:test", "action": "x.y", "detail": {}}
                for _ in range(101)
            ],
        )
        db.session.commit()


@pytest.mark.parametrize("url", PAGED_LISTS)
def test_a_page_past_the_end_shows_the_last_page(as_admin, many_rows, url) -> None:
    for beyond in ("3", "4", "99999999999999999999999", "0004"):
        response = as_admin.get(f"{url}&page={beyond}" if "?" in url else f"{url}?page={beyond}")
        assert response.status_code == 200, beyond
        page = text_of(response)
        assert "Page 3 of 3" in page and "Previous" in page and ">Next<" not in page


@pytest.mark.parametrize("url", PAGED_LISTS)
def test_a_page_that_is_not_a_number_is_not_found(as_admin, many_rows, url) -> None:
    joiner = "&" if "?" in url else "?"
    for bad in ("abc", "0", "-1", "1e3", "2.5", "%C2%B2", "9" * 40):
        assert as_admin.get(f"{url}{joiner}page={bad}").status_code == 404, bad


@pytest.mark.parametrize("url", PAGED_LISTS)
def test_the_middle_page_links_both_ways(as_admin, many_rows, url) -> None:
    joiner = "&" if "?" in url else "?"
    page = text_of(as_admin.get(f"{url}{joiner}page=2"))
    assert "Page 2 of 3" in page and "Previous" in page and "Next" in page
