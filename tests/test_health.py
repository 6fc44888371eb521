from __future__ import annotations

from mbc import create_app


def test_healthz_reports_the_database(web) -> None:
    response = web.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_down(tmp_path) -> None:
    missing_dir = tmp_path / "no" / "such" / "dir" / "mbc.db"
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{missing_dir}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "error"}
    app.extensions["mbc.db"].dispose()
