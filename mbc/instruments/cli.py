from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click
from flask.cli import AppGroup

from mbc.instruments import drafts, registry
from mbc.instruments.schema import Definition
from mbc.practice.licences import licensed_codes


@click.group("instruments", cls=AppGroup)
def instruments_group() -> None:
    """Instrument definitions (read-only)."""


@instruments_group.command("list")
def list_instruments() -> None:
    """Every instrument with its versions, licence, languages and whether this practice may
    send it (a licensed one once an admin records the practice's licence)."""
    licensed = licensed_codes()
    for code in registry.codes():
        d = registry.get(code)
        langs = ", ".join(f"{lang} ({status})" for lang, status in d.languages.items())
        if d.enabled_by_default:
            enabled = "enabled"
        elif code in licensed:
            enabled = "enabled (the practice's licence is recorded)"
        else:
            enabled = "disabled until a licence is recorded"
        click.echo(f"{code:<13} v{', v'.join(registry.versions(code)):<4} {d.title['en']}")
        click.echo(f"{'':<13} licence: {d.licence}, {enabled}; languages: {langs}")
        if d.clinic:
            click.echo(f"{'':<13} the practice's own: {d.path}")
    if refused := registry.problems():
        click.echo("Refused, not loaded (fix, release, then restart the web and scheduler):")
        for problem in refused:
            click.echo(f"  {problem}")


@instruments_group.command("show")
@click.argument("code")
@click.option("--version", help="A version (default: the latest).")
@click.option("--lang", default="en", type=click.Choice(["en", "es"]), help="Language of the text.")
def show(code: str, version: str | None, lang: str) -> None:
    """The wording, options and scoring rules of CODE, with their sources."""
    try:
        d = registry.get(code, version)
    except registry.UnknownInstrument as exc:
        raise click.ClickException(str(exc)) from exc
    for line in describe(d, lang):
        click.echo(line)


@instruments_group.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(path: Path) -> None:
    """Check a practice's definition FILE: print every problem with its field, or what it
    holds and how to release it (exit status 1 when there are problems)."""
    definition, problems = drafts.check_file(path)
    for problem in problems:
        click.echo(problem)
    if definition is None:
        raise SystemExit(1)
    scored = len(definition.scored_items)
    click.echo(
        f"{path}: OK: {definition.code} v{definition.version}, {len(definition.items)} "
        f"questions ({scored} scored), scoring {definition.scoring.method}"
    )
    if drafts.is_released(path):
        click.echo("Released: its checksum is in the folder's RELEASED.sha256.")
    else:
        click.echo(
            "Not released yet. To release it, add this line to RELEASED.sha256 in the "
            f"folder MBC_INSTRUMENTS_DIR names, then restart the web and scheduler processes:\n"
            f"{drafts.release_line(path)}"
        )


@instruments_group.command("preview")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (default: CODE-vVERSION-preview.html here).",
)
@click.option("--lang", default="en", type=click.Choice(["en", "es"]), help="The page language.")
def preview(path: Path, output: Path | None, lang: str) -> None:
    """Render the client page of a practice's definition FILE to an HTML file to look at."""
    definition, problems = drafts.check_file(path)
    if definition is None:
        for problem in problems:
            click.echo(problem)
        raise click.ClickException("fix the problems above first (mbc instruments check)")
    target = output or Path(f"{definition.code}-v{definition.version}-preview.html")
    target.write_text(drafts.render_preview(definition, lang), encoding="utf-8")
    click.echo(f"wrote {target}: open it in a browser")


def describe(d: Definition, lang: str) -> list[str]:
    shown = lang if lang in d.languages else "en"
    lines = [f"{d.text(d.title, shown)}  [{d.code} v{d.version}]"]
    if shown != lang:
        lines.append(f"(no {lang} translation: shown in English)")
    lines.append(f"Language: {shown} ({d.languages[shown]} translation)")
    for label, strings in (("Instructions", d.instructions), ("Lead-in", d.lead_in)):
        if strings:
            lines.append(f"{label}: {d.text(strings, shown)}")
    for item in d.items:
        scored = "" if item.scored else " (not scored)"
        if item.reverse:
            scored += " (reverse-scored)"
        lines.append(f"  {item.id}{scored}: {d.text(item.text, shown)}")
        if item.options:
            lines.append(
                "      " + " / ".join(f"{o.value} {d.text(o.label, shown)}" for o in item.options)
            )
        elif item.kind == "vas":
            lines.append(f"      line from {item.minimum} to {item.maximum}, one decimal")
    s = d.scoring
    if not d.is_scored:
        lines.append("Scoring: none (unscored: the answers are kept and shown)")
    else:
        lines.append(
            f"Scoring: {s.method}, {s.direction.replace('_', ' ')}, "
            f"total {s.total_min}-{s.total_max}"
        )
    if s.multiplier != 1:
        lines.append(f"  total = raw sum x {s.multiplier}")
    for name, members in s.subscales.items():
        lines.append(f"  subscale {name}: {', '.join(members)}")
    for band in s.bands:
        lines.append(f"  band {band.key}: {band.minimum}-{band.maximum}")
    for t in s.thresholds:
        lines.append(
            f"  flag {t.flag} when total {t.op} {t.value}  [{t.source.tag}] {t.source.text}"
        )
    for f in s.item_flags:
        lines.append(
            f"  flag {f.flag} when any of {', '.join(f.items)} {f.op} {f.value}  "
            f"[{f.source.tag}] {f.source.text}"
        )
    lines.append(
        f"  missing: up to {s.missing.max_prorated} prorated  [{s.missing.source.tag}] "
        f"{s.missing.source.text}"
    )
    for c in s.critical_items:
        when = f"in {sorted(c.answers)}" if c.answers is not None else f">= {c.minimum}"
        lines.append(f"  critical: {c.item} {when} -> {c.flag}  [{c.source.tag}] {c.source.text}")
    if s.change.sd is not None:
        lines.append(
            f"  reliable change from SD {s.change.sd} and reliability {s.change.reliability} "
            f"(Jacobson-Truax): {s.change.reliable.quantize(Decimal('0.01'))}"  # type: ignore[union-attr]
        )
    if s.change.reliable is not None and s.change.reliable_source:
        lines.append(
            f"  reliable change: {s.change.reliable}  [{s.change.reliable_source.tag}] "
            f"{s.change.reliable_source.text}"
        )
    for note in (*s.notes, *s.change.sources, *d.sources):
        lines.append(f"  [{note.tag}] {note.text}")
    lines.append(f"Licence: {d.licence}. {d.credit}")
    return lines
