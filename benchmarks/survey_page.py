"""Requests and bytes a phone spends on each page of a PHQ-9 + GAD-7 check-in, measured in a real
Chromium (goal: one request per page after the first, <= 14 KB compressed per page).

    .venv/bin/python -m benchmarks.survey_page

Serves the app on 127.0.0.1, opens the link in Debian's Chromium as a phone would (through
Playwright, without scripts of its own), taps through every page and counts, per page, every
request the browser makes (the page itself, a form post and its redirect, and any stylesheet,
script, image or favicon), and the bytes of each response body as they crossed the wire
(gzip where the app compressed them) beside the HTML they decode to.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from werkzeug.serving import make_server

from benchmarks.common import bench_app, bench_database_url, prepare

GOAL_BYTES = 14 * 1024
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@dataclass
class Page:
    name: str
    requests: list[tuple[str, str, int, int]] = field(default_factory=list)  # kind, url, wire, html

    @property
    def subresources(self) -> int:
        return sum(1 for kind, *_ in self.requests if kind != "document")

    @property
    def wire(self) -> int:
        return sum(wire for _, _, wire, _ in self.requests)

    @property
    def html(self) -> int:
        return sum(html for _, _, _, html in self.requests)


def record(page, into: list[Page]) -> None:
    def finished(request) -> None:
        response = request.response()
        wire = request.sizes()["responseBodySize"]
        decoded = len(response.body()) if response and response.status < 300 else 0
        into[-1].requests.append((request.resource_type, request.url, wire, decoded))

    page.on("requestfinished", finished)


def settle(page) -> None:
    """Let the browser finish (and report) whatever the page still fetches after its load."""
    page.wait_for_timeout(300)


def walk(base: str, token: str) -> list[Page]:
    from playwright.sync_api import sync_playwright

    pages: list[Page] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            locale="en-US", viewport={"width": 390, "height": 664}, is_mobile=True
        )
        page = context.new_page()
        record(page, pages)
        pages.append(Page("first view (intro)"))
        page.goto(f"{base}/s/{token}", wait_until="load")
        settle(page)
        pages.append(Page("PHQ-9 page"))
        page.get_by_role("link", name="Start").click()
        page.wait_for_url(f"{base}/s/{token}/1", wait_until="load")
        settle(page)
        for number, (name, count, after) in enumerate(
            [("GAD-7 page", 10, "Next"), ("thank-you page", 7, "Send answers")], start=2
        ):
            fieldsets = page.locator("fieldset")
            for n in range(count):
                fieldsets.nth(n).locator("input").first.check()
            pages.append(Page(f"{name} (after the post)"))
            page.get_by_role("button", name=after).click()
            target = f"{base}/s/{token}/{number}" if number == 2 else f"{base}/s/{token}/done"
            page.wait_for_url(target, wait_until="load")
            settle(page)
        context.close()
        browser.close()
    return pages


def main() -> None:
    url = bench_database_url()
    [token] = prepare(url, 1, ("phq9", "gad7"))
    app = bench_app(url)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pages = walk(f"http://127.0.0.1:{server.server_port}", token)
    finally:
        server.shutdown()
        server.server_close()
        app.extensions["mbc.db"].dispose()
    print(f"{'page':<34}{'requests':>9}{'subres.':>9}{'wire bytes':>12}{'HTML bytes':>12}")
    for page in pages:
        print(
            f"{page.name:<34}{len(page.requests):>9}{page.subresources:>9}"
            f"{page.wire:>12}{page.html:>12}"
        )
    later = pages[1:]
    heaviest = max(p.wire for p in pages)
    one_each = all(p.subresources == 0 for p in pages) and len(pages[1].requests) == 1
    print(
        "requests per page after the first: "
        + ", ".join(str(len(p.requests)) for p in later)
        + " (a form post counts twice: the post and the page it redirects to)"
    )
    print(f"goal: no request but the page itself: {'meets' if one_each else 'MISSES'}")
    verdict = "meets" if heaviest <= GOAL_BYTES else "MISSES"
    print(f"goal <= {GOAL_BYTES} bytes on the wire per page (largest {heaviest}): {verdict}")


if __name__ == "__main__":
    main()
