"""The shape of a definition file, checked field by field with errors naming file and field.

Definitions are data a clinical lead can read and review; this module turns a parsed TOML file
into frozen objects or says exactly what is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

SOURCE_TAGS = ("official", "standard", "decision", "ours")
# not_established: no licence statement found (BRCS); shipped disabled like a licensed one.
LICENCES = ("free", "public_domain", "licensed", "not_established", "ours")
TRANSLATION_STATUSES = ("official", "unverified", "ours")
ITEM_KINDS = ("choice", "vas", "text")
METHODS = ("sum", "vas_sum", "mean", "none")  # none: items reported one by one, no total
# Who answers: clients (in plans and check-ins) or staff (the wellbeing pulse, never in a plan).
AUDIENCES = ("clients", "staff")
DIRECTIONS = ("higher_is_worse", "higher_is_better")
OPERATORS = (">=", "<=", "<", ">")
RULES = ("phq9_diagnostic", "pcl5_provisional_ptsd")


class DefinitionError(ValueError):
    """A definition file that does not match the schema."""


@dataclass(frozen=True)
class Source:
    tag: str
    text: str


@dataclass(frozen=True)
class Option:
    value: int
    label: dict[str, str]
    loinc: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    text: dict[str, str]
    scored: bool = True
    options: tuple[Option, ...] = ()
    minimum: Decimal | None = None  # vas
    maximum: Decimal | None = None
    anchors: dict[str, dict[str, str]] = field(default_factory=dict)  # vas: low/high labels
    max_length: int | None = None  # text
    loinc: str | None = None

    @property
    def allowed_values(self) -> frozenset[int]:
        return frozenset(o.value for o in self.options)


@dataclass(frozen=True)
class Band:
    key: str
    minimum: Decimal
    maximum: Decimal
    label: dict[str, str]


@dataclass(frozen=True)
class Threshold:
    flag: str
    op: str
    value: Decimal
    source: Source

    def met_by(self, total: Decimal) -> bool:
        return _compare(total, self.op, self.value)


def _compare(left: Decimal, op: str, right: Decimal) -> bool:
    return {
        ">=": left >= right,
        "<=": left <= right,
        "<": left < right,
        ">": left > right,
    }[op]


@dataclass(frozen=True)
class CriticalItem:
    item: str
    minimum: int
    flag: str
    unanswered_flag: str | None
    source: Source


@dataclass(frozen=True)
class ItemFlag:
    """A flag raised on a scorable response when any of ``items`` is answered ``op value``
    (WHO-5's low_item: an item answered 0 or 1)."""

    flag: str
    op: str
    value: Decimal
    items: tuple[str, ...]
    source: Source

    def met_by(self, answer: Decimal) -> bool:
        return _compare(answer, self.op, self.value)


@dataclass(frozen=True)
class MissingPolicy:
    max_prorated: int  # missing scored items that may be prorated; more is unscorable
    reason: str  # "too_many_missing" or "missing_item" (names the first missing item)
    source: Source


@dataclass(frozen=True)
class ChangeRules:
    reliable: Decimal | None
    reliable_source: Source | None
    clinically_meaningful: Decimal | None = None
    response_fraction: Decimal | None = None
    remission_below: Decimal | None = None
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Scoring:
    method: str
    direction: str
    total_min: Decimal
    total_max: Decimal
    bands: tuple[Band, ...]
    bands_source: Source | None
    thresholds: tuple[Threshold, ...]
    missing: MissingPolicy
    critical_items: tuple[CriticalItem, ...]
    subscales: dict[str, tuple[str, ...]]
    rules: tuple[str, ...]
    change: ChangeRules
    notes: tuple[Source, ...]
    # A "sum" total is the raw sum times this (WHO-5 reports its raw 0-25 as a 0-100 percentage).
    multiplier: int = 1
    item_flags: tuple[ItemFlag, ...] = ()

    @property
    def clinical_cutoff(self) -> Threshold | None:
        """The threshold whose flag marks the clinical range, where the instrument has one."""
        for threshold in self.thresholds:
            if threshold.flag in CLINICAL_RANGE_FLAGS:
                return threshold
        return None


# Threshold flags that mark an instrument's clinical range (its caseness cut-off).
CLINICAL_RANGE_FLAGS = ("meets_cutoff", "clinical_range")


@dataclass(frozen=True)
class Definition:
    code: str
    version: str
    title: dict[str, str]
    instructions: dict[str, str]
    lead_in: dict[str, str]
    languages: dict[str, str]  # language -> translation status
    licence: str
    enabled_by_default: bool
    credit: str
    loinc: str | None
    items: tuple[Item, ...]
    scoring: Scoring
    sources: tuple[Source, ...]
    path: Path
    audience: str = "clients"

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.scored)

    def item(self, item_id: str) -> Item:
        for candidate in self.items:
            if candidate.id == item_id:
                return candidate
        raise KeyError(item_id)

    def text(self, strings: dict[str, str], language: str) -> str:
        """A string in ``language``, or English where this definition has no translation."""
        return strings.get(language) or strings["en"]


def parse(data: dict[str, Any], path: Path) -> Definition:
    """Build a Definition from a parsed file, or raise DefinitionError naming file and field."""
    return _Reader(path).definition(data)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> DefinitionError:
        return DefinitionError(f"{self.path}: {where}: {message}")

    def get(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        kind: type | tuple[type, ...],
        default: Any = ...,
    ) -> Any:
        if key not in data:
            if default is ...:
                raise self.fail(f"{where}.{key}".lstrip("."), "is required")
            return default
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(f"{where}.{key}".lstrip("."), f"must be {names}")
        return value

    def choice(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        allowed: tuple[str, ...],
        default: Any = ...,
    ) -> str:
        value = self.get(data, key, where, str, default)
        if value not in allowed:
            raise self.fail(f"{where}.{key}", f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def texts(
        self, data: dict[str, Any], key: str, where: str, required: bool = True
    ) -> dict[str, str]:
        value = self.get(data, key, where, dict, ... if required else {})
        if required and not value.get("en"):
            raise self.fail(f"{where}.{key}.en", "English text is required")
        for lang, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise self.fail(f"{where}.{key}.{lang}", "must be non-empty text")
        return dict(value)

    def number(self, value: Any, where: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self.fail(where, "must be a number")
        return Decimal(str(value))

    def source(self, data: dict[str, Any], where: str) -> Source:
        raw = self.get(data, "source", where, dict)
        return Source(
            tag=self.choice(raw, "tag", f"{where}.source", SOURCE_TAGS),
            text=self.get(raw, "text", f"{where}.source", str),
        )

    def definition(self, data: dict[str, Any]) -> Definition:
        code = self.get(data, "code", "", str)
        version = self.get(data, "version", "", str)
        if self.path.parent.name != code or self.path.stem != version:
            raise self.fail("code/version", f"must match the file's place ({code}/{version}.toml)")
        languages = self.get(data, "languages", "", dict)
        for lang, status in languages.items():
            if status not in TRANSLATION_STATUSES:
                raise self.fail(
                    f"languages.{lang}",
                    f"{status!r} is not one of {', '.join(TRANSLATION_STATUSES)}",
                )
        if "en" not in languages:
            raise self.fail("languages.en", "English is required")
        items = tuple(self.item(raw, n) for n, raw in enumerate(self.get(data, "items", "", list)))
        ids = [i.id for i in items]
        if len(set(ids)) != len(ids):
            raise self.fail("items", "item ids must be unique")
        definition = Definition(
            code=code,
            version=version,
            title=self.texts(data, "title", ""),
            instructions=self.texts(data, "instructions", "", required=False),
            lead_in=self.texts(data, "lead_in", "", required=False),
            languages=dict(languages),
            licence=self.choice(data, "licence", "", LICENCES),
            enabled_by_default=self.get(data, "enabled_by_default", "", bool),
            credit=self.get(data, "credit", "", str),
            loinc=self.get(data, "loinc", "", str, None),
            items=items,
            scoring=self.scoring(self.get(data, "scoring", "", dict), set(ids)),
            sources=tuple(
                self.source({"source": s}, f"sources[{n}]")
                for n, s in enumerate(self.get(data, "sources", "", list))
            ),
            path=self.path,
            audience=self.choice(data, "audience", "", AUDIENCES, "clients"),
        )
        self.check_languages(definition)
        return definition

    def item(self, raw: Any, n: int) -> Item:
        where = f"items[{n}]"
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a table")
        kind = self.choice(raw, "kind", where, ITEM_KINDS, "choice")
        item_id = self.get(raw, "id", where, str)
        where = f"items[{n}] ({item_id})"
        options: tuple[Option, ...] = ()
        if kind == "choice":
            options = tuple(
                Option(
                    value=self.get(o, "value", f"{where}.options[{k}]", int),
                    label=self.texts(o, "label", f"{where}.options[{k}]"),
                    loinc=self.get(o, "loinc", f"{where}.options[{k}]", str, None),
                )
                for k, o in enumerate(self.get(raw, "options", where, list))
            )
            if not options:
                raise self.fail(f"{where}.options", "a choice item needs options")
        minimum = maximum = None
        if kind == "vas":
            minimum = self.number(self.get(raw, "min", where, (int, float)), f"{where}.min")
            maximum = self.number(self.get(raw, "max", where, (int, float)), f"{where}.max")
        return Item(
            id=item_id,
            kind=kind,
            text=self.texts(raw, "text", where),
            scored=self.get(raw, "scored", where, bool, kind != "text"),
            options=options,
            minimum=minimum,
            maximum=maximum,
            anchors={k: dict(v) for k, v in self.get(raw, "anchors", where, dict, {}).items()},
            max_length=self.get(raw, "max_length", where, int, None),
            loinc=self.get(raw, "loinc", where, str, None),
        )

    def scoring(self, raw: dict[str, Any], ids: set[str]) -> Scoring:
        w = "scoring"
        bands = tuple(
            Band(
                key=self.get(b, "key", f"{w}.bands[{n}]", str),
                minimum=self.number(
                    self.get(b, "min", f"{w}.bands[{n}]", (int, float)), f"{w}.bands[{n}].min"
                ),
                maximum=self.number(
                    self.get(b, "max", f"{w}.bands[{n}]", (int, float)), f"{w}.bands[{n}].max"
                ),
                label=self.texts(b, "label", f"{w}.bands[{n}]"),
            )
            for n, b in enumerate(self.get(raw, "bands", w, list, []))
        )
        unscored = raw.get("method") == "none"
        total = self.get(raw, "total_range", w, list, [0, 0] if unscored else ...)
        subscales = {k: tuple(v) for k, v in self.get(raw, "subscales", w, dict, {}).items()}
        for name, members in subscales.items():
            if unknown := set(members) - ids:
                raise self.fail(f"{w}.subscales.{name}", f"unknown items {sorted(unknown)}")
        criticals = tuple(
            CriticalItem(
                item=self.get(c, "item", f"{w}.critical_items[{n}]", str),
                minimum=self.get(c, "min", f"{w}.critical_items[{n}]", int),
                flag=self.get(c, "flag", f"{w}.critical_items[{n}]", str),
                unanswered_flag=self.get(
                    c, "unanswered_flag", f"{w}.critical_items[{n}]", str, None
                ),
                source=self.source(c, f"{w}.critical_items[{n}]"),
            )
            for n, c in enumerate(self.get(raw, "critical_items", w, list, []))
        )
        for c in criticals:
            if c.item not in ids:
                raise self.fail(f"{w}.critical_items", f"unknown item {c.item!r}")
        missing = self.get(raw, "missing", w, dict)
        rules = tuple(self.get(raw, "rules", w, list, []))
        for rule in rules:
            if rule not in RULES:
                raise self.fail(f"{w}.rules", f"{rule!r} is not one of {', '.join(RULES)}")
        scoring = Scoring(
            method=self.choice(raw, "method", w, METHODS),
            direction=self.choice(raw, "direction", w, DIRECTIONS),
            total_min=self.number(total[0], f"{w}.total_range[0]"),
            total_max=self.number(total[1], f"{w}.total_range[1]"),
            bands=bands,
            bands_source=(
                self.source({"source": raw["bands_source"]}, w) if "bands_source" in raw else None
            ),
            thresholds=tuple(
                Threshold(
                    flag=self.get(t, "flag", f"{w}.thresholds[{n}]", str),
                    op=self.choice(t, "op", f"{w}.thresholds[{n}]", OPERATORS),
                    value=self.number(
                        self.get(t, "value", f"{w}.thresholds[{n}]", (int, float)),
                        f"{w}.thresholds[{n}].value",
                    ),
                    source=self.source(t, f"{w}.thresholds[{n}]"),
                )
                for n, t in enumerate(self.get(raw, "thresholds", w, list, []))
            ),
            missing=MissingPolicy(
                max_prorated=self.get(missing, "max_prorated", f"{w}.missing", int),
                reason=self.choice(
                    missing, "reason", f"{w}.missing", ("too_many_missing", "missing_item")
                ),
                source=self.source(missing, f"{w}.missing"),
            ),
            critical_items=criticals,
            subscales=subscales,
            rules=rules,
            change=self.change(self.get(raw, "change", w, dict, {})),
            notes=tuple(
                self.source({"source": s}, f"{w}.notes[{n}]")
                for n, s in enumerate(self.get(raw, "notes", w, list, []))
            ),
            multiplier=self.multiplier(raw),
            item_flags=tuple(
                self.item_flag(f, f"{w}.item_flags[{n}]", ids)
                for n, f in enumerate(self.get(raw, "item_flags", w, list, []))
            ),
        )
        self.check_bands(scoring)
        return scoring

    def multiplier(self, raw: dict[str, Any]) -> int:
        value = self.get(raw, "multiplier", "scoring", int, 1)
        if value < 1:
            raise self.fail("scoring.multiplier", "must be a whole number of at least 1")
        if value != 1 and raw.get("method") != "sum":
            raise self.fail("scoring.multiplier", 'applies only to method = "sum"')
        return value

    def item_flag(self, raw: Any, where: str, ids: set[str]) -> ItemFlag:
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a table")
        items = tuple(self.get(raw, "items", where, list))
        if not items:
            raise self.fail(f"{where}.items", "needs at least one item")
        if unknown := sorted(str(i) for i in items if i not in ids):
            raise self.fail(f"{where}.items", f"unknown items {unknown}")
        return ItemFlag(
            flag=self.get(raw, "flag", where, str),
            op=self.choice(raw, "op", where, OPERATORS),
            value=self.number(self.get(raw, "value", where, (int, float)), f"{where}.value"),
            items=items,
            source=self.source(raw, where),
        )

    def change(self, raw: dict[str, Any]) -> ChangeRules:
        w = "scoring.change"

        def num(key: str) -> Decimal | None:
            return self.number(raw[key], f"{w}.{key}") if key in raw else None

        return ChangeRules(
            reliable=num("reliable"),
            reliable_source=self.source(raw, w) if "reliable" in raw else None,
            clinically_meaningful=num("clinically_meaningful"),
            response_fraction=num("response_fraction"),
            remission_below=num("remission_below"),
            sources=tuple(
                self.source({"source": s}, f"{w}.other_sources[{n}]")
                for n, s in enumerate(raw.get("other_sources", []))
            ),
        )

    def check_bands(self, scoring: Scoring) -> None:
        """Bands must tile the whole total range with no gap and no overlap."""
        if not scoring.bands:
            return
        expected = scoring.total_min
        # The smallest step between two totals: a "sum" total moves by its multiplier.
        step = Decimal(scoring.multiplier) if scoring.method == "sum" else Decimal("0.1")
        for band in scoring.bands:
            if band.minimum != expected or band.maximum < band.minimum:
                raise self.fail(f"scoring.bands ({band.key})", f"must start at {expected}")
            expected = band.maximum + step
        if expected - step != scoring.total_max:
            raise self.fail("scoring.bands", f"must end at {scoring.total_max}")

    def check_languages(self, d: Definition) -> None:
        """Every language the definition claims has all its client-facing text."""
        for lang in d.languages:
            texts = [("title", d.title)] + [(f"items.{i.id}.text", i.text) for i in d.items]
            texts += [
                (f"items.{i.id}.options[{o.value}]", o.label) for i in d.items for o in i.options
            ]
            if d.lead_in:
                texts.append(("lead_in", d.lead_in))
            for where, strings in texts:
                if lang not in strings:
                    raise self.fail(where, f"no {lang!r} text, but languages lists {lang!r}")
