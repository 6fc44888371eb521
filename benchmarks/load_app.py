"""The app as gunicorn serves it for benchmarks/survey_load.py, plus a hello-world endpoint."""

from __future__ import annotations

import os

from benchmarks.common import bench_app

app = bench_app(os.environ["MBC_BENCH_DATABASE_URL"])


@app.get("/bench/hello")
def hello() -> str:
    return "hello"
