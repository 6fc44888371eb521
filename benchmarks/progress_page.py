"""Requests and bytes a phone spends on a client's progress page (mbc.progress), measured in a
real Chromium (goal: one request, <= 14 KB compressed, as a check-in page).

    .venv/bin/python -m benchmarks.progress_page

Seeds the demo practice (12 weeks of history per client), shares progress with the first
client, finishes that client's check-in, then opens the done page in Debian's Chromium as a
phone would, taps "See your progress" and counts every request the browser makes for it (the
page and any stylesheet, script, image or favicon) and the bytes on the wire beside the HTML
they decode to; then the same with JavaScript off.
"""

from __future__ import annotations

import threading

from werkzeug.serving import make_server

from benchmarks.common import bench_app, bench_database_url, prepare
from benchmarks.survey_page import ARGS, CHROMIUM, GOAL_BYTES, Page, record, settle


def finish_and_share(app, token: str) -> int:
    """Answer the check-in (PHQ-9 + GAD-7) through the app and share the client's progress;
    returns how many scores the client's page shows."""
    import re

    from sqlalchemy import func, select

    from mbc.assessments.links import resolve
    from mbc.assessments.models import Response
    from mbc.clients.models import Client
    from mbc.extensions import db
    from mbc.practice.services import get_practice

    web = app.test_client()
    for step, answers in ((1, {f"phq9_{n}": "1" for n in range(1, 10)}), (2, {})):
        html = web.get(f"/s/{token}/{step}").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        if step == 2:
            answers = {f"gad7_{n}": "1" for n in range(1, 8)}
        web.post(f"/s/{token}/{step}", data={"csrf_token": csrf, "action": "next", **answers})
    with app.app_context():
        check_in = resolve(token)
        assert check_in.status == "completed", check_in.status
        client_id = check_in.client_id
        get_practice().client_progress_enabled = True
        db.session.get(Client, client_id).progress_visible = True
        db.session.commit()
        return db.session.scalar(
            select(func.count()).where(
                Response.client_id == client_id, Response.status == "completed"
            )
        )


def walk(base: str, token: str, *, scripts: bool) -> Page:
    from playwright.sync_api import sync_playwright

    pages: list[Page] = [Page("done")]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            locale="en-US",
            viewport={"width": 390, "height": 664},
            is_mobile=True,
            java_script_enabled=scripts,
        )
        page = context.new_page()
        record(page, pages)
        page.goto(f"{base}/s/{token}/done", wait_until="load")
        settle(page)
        pages.append(Page(f"progress page ({'scripts on' if scripts else 'scripts off'})"))
        page.get_by_role("link", name="See your progress").click()
        page.wait_for_url(f"{base}/s/{token}/progress", wait_until="load")
        settle(page)
        context.close()
        browser.close()
    # The done page's own request can finish (and be reported) after the tap on a loaded
    # machine: it belongs to the done page, not to this one.
    progress = pages[-1]
    progress.requests = [r for r in progress.requests if not r[1].endswith("/done")]
    return progress


def main() -> None:
    url = bench_database_url()
    [token] = prepare(url, 1, ("phq9", "gad7"))
    app = bench_app(url)
    responses = finish_and_share(app, token)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        pages = [walk(base, token, scripts=True), walk(base, token, scripts=False)]
    finally:
        server.shutdown()
        server.server_close()
        app.extensions["mbc.db"].dispose()
    print(f"client's completed questionnaires shown: {responses}")
    print(f"{'page':<34}{'requests':>9}{'subres.':>9}{'wire bytes':>12}{'HTML bytes':>12}")
    for page in pages:
        print(
            f"{page.name:<34}{len(page.requests):>9}{page.subresources:>9}"
            f"{page.wire:>12}{page.html:>12}"
        )
    for page in pages:
        for kind, url, wire, _ in page.requests:
            print(
                f"  {page.name}: {kind} {url.split('/s/')[0]}/s/…/{url.rsplit('/', 1)[-1]} {wire}"
            )
    one = all(len(p.requests) == 1 for p in pages)
    heaviest = max(p.wire for p in pages)
    print(f"goal: one request (the page itself): {'meets' if one else 'MISSES'}")
    verdict = "meets" if heaviest <= GOAL_BYTES else "MISSES"
    print(f"goal <= {GOAL_BYTES} bytes on the wire (largest {heaviest}): {verdict}")


if __name__ == "__main__":
    main()
