"""``mbc instruments check FILE`` and ``mbc instruments preview FILE``: a practice checks a draft
definition (every problem, with its field), releases it, and looks at its client page."""

from __future__ import annotations

import gzip
from pathlib import Path

from mbc import create_app
from mbc.instruments import registry
from tests.instruments.clinic.helpers import CLINIC_MOOD, drop


def run(tmp_path: Path, *args: str):
    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"})
    try:
        return app.test_cli_runner().invoke(args=["instruments", *args])
    finally:
        app.extensions["mbc.db"].dispose()
        registry.configure(None)


def test_check_prints_every_problem_with_its_field_and_fails(tmp_path: Path) -> None:
    text = CLINIC_MOOD.replace('op = ">="', 'op = "=="').replace("max = 5\n", "max = 4\n")
    text = text.replace('id = "rwc_sleep"', 'id = "rwc_sleep"\ncolour = "blue"')
    path = drop(tmp_path / "draft", text, release=False)
    result = run(tmp_path, "check", str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines == [
        f"{path}: items[1] (rwc_sleep).colour: is not a field mbc understands",
        f"{path}: scoring.thresholds[0].op: '==' is not one of >=, <=, <, >",
        f"{path}: scoring.bands (high): must start at 5",
    ]


def test_check_of_a_good_draft_says_what_it_holds_and_gives_the_release_line(
    tmp_path: Path,
) -> None:
    path = drop(tmp_path / "draft", release=False)
    result = run(tmp_path, "check", str(path))
    assert result.exit_code == 0, result.output
    assert f"{path}: OK: clinic_mood v1, 5 questions (4 scored), scoring sum" in result.output
    assert "Not released yet" in result.output and "  clinic_mood/1.toml" in result.output
    line = result.output.strip().splitlines()[-1]
    (path.parent.parent / "RELEASED.sha256").write_text(line + "\n")
    again = run(tmp_path, "check", str(path))
    assert "Released: its checksum is in the folder's RELEASED.sha256." in again.output
    registry.configure(path.parent.parent)  # and the folder now loads it
    assert registry.problems() == [] and registry.has("clinic_mood")
    registry.configure(None)


def test_check_refuses_a_built_in_code(tmp_path: Path) -> None:
    folder = tmp_path / "draft" / "gad7"
    folder.mkdir(parents=True)
    path = folder / "1.toml"
    path.write_text(CLINIC_MOOD.replace('code = "clinic_mood"', 'code = "gad7"'))
    result = run(tmp_path, "check", str(path))
    assert result.exit_code == 1
    assert "code: 'gad7' is a built-in instrument" in result.output


def test_preview_writes_the_client_page_as_html(tmp_path: Path) -> None:
    path = drop(tmp_path / "draft", release=False)
    out = tmp_path / "preview.html"
    result = run(tmp_path, "preview", str(path), "--output", str(out))
    assert result.exit_code == 0, result.output and f"wrote {out}" in result.output
    html = out.read_text()
    assert "<h1>Riverside weekly check (RWC)</h1>" in html
    assert "This past week, how much:" in html
    assert html.count('type="radio"') == 16 and "<textarea" in html
    assert "Written by Riverside Counseling" in html
    assert len(gzip.compress(html.encode())) <= 14 * 1024  # a phone page's budget


def test_preview_of_a_broken_draft_lists_its_problems(tmp_path: Path) -> None:
    path = drop(tmp_path / "draft", CLINIC_MOOD.replace("[title]", "[titel]"), release=False)
    result = run(tmp_path, "preview", str(path))
    assert result.exit_code != 0
    assert "titel: is not a field mbc understands" in result.output
    assert "title: is required" in result.output
