"""Bad posts: a clear message in the client's language, a 4xx status, nothing partly stored."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mbc.assessments.models import Alert, Response
from tests.helpers import text_of
from tests.survey.helpers import count, page_token, phq9, responses


def stored(app) -> tuple:
    return tuple((r.status, tuple(sorted(r.answers.items()))) for r in responses(app)), count(
        app, Alert
    )


def test_forged_field_names_are_refused(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    token = page_token(web, f"/s/{link}/1")
    before = stored(app)
    page = web.post(f"/s/{link}/1", data={"csrf_token": token, **phq9(), "is_admin": "1"})
    assert page.status_code == 400 and "nothing was saved" in text_of(page)
    assert stored(app) == before


def test_values_outside_the_items_set_are_refused(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    token = page_token(web, f"/s/{link}/1")
    before = stored(app)
    page = web.post(f"/s/{link}/1", data={"csrf_token": token, **phq9(), "phq9_4": "4"})
    assert page.status_code == 422 and "not one of the choices" in text_of(page)
    assert stored(app) == before


@pytest.mark.parametrize("value", ["1e1000000", "9" * 60_000, "NaN", "Infinity", "2e0"])
def test_numbers_of_another_shape_are_refused_as_not_a_choice(app, web, client_en, make, value):
    """Nine bytes like 1e1000000 once cost ~30 s of CPU each (issue 20): refused by shape."""
    _, link = make.check_in(client_en)
    token = page_token(web, f"/s/{link}/1")
    before = stored(app)
    page = web.post(f"/s/{link}/1", data={"csrf_token": token, **phq9(), "phq9_1": value})
    assert page.status_code == 422 and "not one of the choices" in text_of(page)
    assert stored(app) == before


def test_missing_csrf_token_is_explained_in_the_clients_language(app, web, client_es, make) -> None:
    _, link = make.check_in(client_es)
    page = web.post(f"/s/{link}/1", data=phq9())
    assert page.status_code == 400 and "La página había caducado" in text_of(page)
    assert all(r.status == "draft" and not r.answers for r in responses(app))


def test_huge_bodies_are_refused(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    token = page_token(web, f"/s/{link}/1")
    page = web.post(f"/s/{link}/1", data={"csrf_token": token, "phq9_1": "1" * 100_000})
    assert page.status_code == 413 and "more than we accept" in text_of(page)
    assert all(not r.answers for r in responses(app))


def test_unknown_step_is_not_found(web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    assert web.get(f"/s/{link}/9").status_code == 404


FIELDS = [f"phq9_{n}" for n in range(1, 10)] + [
    "phq9_difficulty",
    "action",
    "confirm_skips",
    "csrf_token",
    "x",
    "phq9_10",
    "",
]
values = st.one_of(
    st.sampled_from(["0", "1", "2", "3", "4", "-1", "1.5", "", " ", "back", "next", "1e3", "NaN"]),
    st.text(max_size=8),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(form=st.dictionaries(st.sampled_from(FIELDS), values, max_size=12), keep_token=st.booleans())
def test_random_forms_never_cause_a_server_error_or_a_partial_save(
    app, client_en, make, form, keep_token
) -> None:
    _, link = make.check_in(client_en, ("phq9",))
    web = app.test_client()
    token = page_token(web, f"/s/{link}/1")
    if keep_token:
        form = {**form, "csrf_token": token}
    before_alerts = count(app, Alert)
    page = web.post(f"/s/{link}/1", data=form)
    assert page.status_code < 500
    [response] = [
        r for r in responses(app) if r.assignment_id == max(x.assignment_id for x in responses(app))
    ]
    if page.status_code >= 400:
        assert response.status == "draft" and response.answers == {}
        assert count(app, Alert) == before_alerts
    else:
        assert page.status_code in (200, 302)
    assert count(app, Response) >= 1
