"""Bytes a phone must fetch for the first view of a PHQ-9 check-in page (goal: <= 14 KB gzip).

    .venv/bin/python benchmarks/survey_page.py

Counts the HTML and every resource the page references (stylesheets, scripts, images), raw and
gzip-compressed, as a weak mobile connection would receive them.
"""

from __future__ import annotations

import gzip
import re

from benchmarks.common import bench_app, bench_database_url, prepare

GOAL_GZIP = 14 * 1024


def main() -> None:
    url = bench_database_url()
    [token] = prepare(url, 1)
    app = bench_app(url)
    web = app.test_client()
    html = web.get(f"/s/{token}/1").get_data()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    parts = [("PHQ-9 page HTML", html)]
    for asset in assets:
        response = web.get(asset.decode())
        parts.append((asset.decode(), response.get_data()))
        response.close()
    total_raw = total_gzip = 0
    print(f"{'resource':<28}{'raw bytes':>12}{'gzip bytes':>12}")
    for name, body in parts:
        packed = len(gzip.compress(body, compresslevel=6))
        total_raw, total_gzip = total_raw + len(body), total_gzip + packed
        print(f"{name:<28}{len(body):>12}{packed:>12}")
    print(f"{'total':<28}{total_raw:>12}{total_gzip:>12}")
    verdict = "meets" if total_gzip <= GOAL_GZIP else "MISSES"
    print(f"goal <= {GOAL_GZIP} bytes gzip: {verdict}")
    app.extensions["mbc.db"].dispose()


if __name__ == "__main__":
    main()
