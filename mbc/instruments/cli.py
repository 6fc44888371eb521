from __future__ import annotations

import click
from flask.cli import AppGroup

from mbc.instruments import registry
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
        lines.append(f"  {item.id}{scored}: {d.text(item.text, shown)}")
        if item.options:
            lines.append(
                "      " + " / ".join(f"{o.value} {d.text(o.label, shown)}" for o in item.options)
            )
        elif item.kind == "vas":
            lines.append(f"      line from {item.minimum} to {item.maximum}, one decimal")
    s = d.scoring
    lines.append(
        f"Scoring: {s.method}, {s.direction.replace('_', ' ')}, total {s.total_min}-{s.total_max}"
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
        lines.append(
            f"  critical: {c.item} >= {c.minimum} -> {c.flag}  [{c.source.tag}] {c.source.text}"
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
