"""The shape of a definition file, checked field by field with errors naming file and field.

Definitions are data a clinical lead can read and review; this module turns a parsed TOML file
into frozen objects or says exactly what is wrong with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

SOURCE_TAGS = ("official", "standard", "decision", "ours")
# not_established: no licence statement found (BRCS); shipped disabled like a licensed one.
LICENCES = ("free", "public_domain", "licensed", "not_established", "ours")
TRANSLATION_STATUSES = ("official", "unverified", "ours")
ITEM_KINDS = ("choice", "vas", "text")
# "none": an unscored questionnaire (answers kept and shown, no total).
METHODS = ("sum", "vas_sum", "mean", "none")
DIRECTIONS = ("higher_is_worse", "higher_is_better")
OPERATORS = (">=", "<=", "<", ">")
RULES = ("phq9_diagnostic", "pcl5_provisional_ptsd")


class DefinitionError(ValueError):
    """A definition file that does not match the schema; ``problems`` lists each one, as
    "file: field: message"."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems) if problems is not None else [message]


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
    # Reverse-scored: counts as (lowest + highest option value - answer); stored as answered.
    reverse: bool = False

    def scored_value(self, value: int) -> int:
        if not self.reverse:
            return value
        return min(self.allowed_values) + max(self.allowed_values) - value

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
    minimum: int | None  # endorsed at or above it (PHQ-9 item 9: >= 1) ...
    flag: str
    unanswered_flag: str | None
    source: Source
    answers: frozenset[int] | None = None  # ... or by one of these answers

    def endorsed_by(self, value: object) -> bool:
        """Whether ``value`` (as answered) makes this item critical."""
        if not isinstance(value, int) or isinstance(value, bool):
            return False
        if self.answers is not None:
            return value in self.answers
        return self.minimum is not None and value >= self.minimum


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
    # Jacobson-Truax: a clinic's instrument with a published SD and reliability gets
    # reliable = 1.96 * S_diff from them (INSTRUMENTS.md); kept to show where it came from.
    sd: Decimal | None = None
    reliability: Decimal | None = None


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
    clinic: bool = False  # loaded from the practice's MBC_INSTRUMENTS_DIR, not shipped with mbc

    @property
    def is_scored(self) -> bool:
        return self.scoring.method != "none"

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


def jacobson_truax_threshold(sd: Decimal, reliability: Decimal) -> Decimal:
    """The least reliable change, 1.96 * S_diff with S_diff = sqrt(2 SE^2), SE = SD sqrt(1 - r)
    (INSTRUMENTS.md, Jacobson-Truax): |x2 - x1| at or above it is reliable."""
    standard_error = sd * (1 - reliability).sqrt()
    return Decimal("1.96") * (2 * standard_error**2).sqrt()


NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
VERSION = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,4})?")
RESERVED_IDS = frozenset({"csrf_token", "action", "confirm_skips", "language"})

# The fields each table of a file may hold (a clinic's file is refused for any other).
TOP_FIELDS = frozenset(
    [
        "code",
        "version",
        "licence",
        "enabled_by_default",
        "loinc",
        "credit",
        "sources",
        "languages",
        "title",
        "instructions",
        "lead_in",
        "items",
        "scoring",
    ]
)
ITEM_FIELDS = frozenset(
    [
        "id",
        "kind",
        "text",
        "scored",
        "options",
        "min",
        "max",
        "anchors",
        "max_length",
        "loinc",
        "reverse",
    ]
)
OPTION_FIELDS = frozenset({"value", "label", "loinc"})
SCORING_FIELDS = frozenset(
    [
        "method",
        "direction",
        "total_range",
        "bands",
        "bands_source",
        "thresholds",
        "missing",
        "critical_items",
        "subscales",
        "rules",
        "change",
        "notes",
        "multiplier",
        "item_flags",
    ]
)
BAND_FIELDS = frozenset({"key", "min", "max", "label"})
THRESHOLD_FIELDS = frozenset({"flag", "op", "value", "source"})
CRITICAL_FIELDS = frozenset({"item", "min", "answers", "flag", "unanswered_flag", "source"})
MISSING_FIELDS = frozenset({"max_prorated", "reason", "source"})
CHANGE_FIELDS = frozenset(
    [
        "reliable",
        "sd",
        "reliability",
        "source",
        "clinically_meaningful",
        "response_fraction",
        "remission_below",
        "other_sources",
    ]
)
ITEM_FLAG_FIELDS = frozenset({"flag", "op", "value", "items", "source"})
UNSCORED_SOURCE = Source("decision", "Unscored: answers are kept and shown; there is no total.")
# What a file too broken to read a scoring table from gets while its problems are gathered.
EMPTY_SCORING = Scoring(
    method="none",
    direction="higher_is_worse",
    total_min=Decimal(0),
    total_max=Decimal(0),
    bands=(),
    bands_source=None,
    thresholds=(),
    missing=MissingPolicy(0, "missing_item", UNSCORED_SOURCE),
    critical_items=(),
    subscales={},
    rules=(),
    change=ChangeRules(None, None),
    notes=(),
)


def parse(data: dict[str, Any], path: Path, *, strict: bool = False) -> Definition:
    """Build a Definition from a parsed file, or raise DefinitionError naming file and field
    of every problem found. ``strict`` (a clinic's own file) also refuses unknown fields."""
    return _Reader(path, strict).definition(data)


class _Reader:
    def __init__(self, path: Path, strict: bool = False) -> None:
        self.path = path
        self.strict = strict
        self.problems: list[str] = []
        self.ids: set[str] = set()

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

    def attempt(self, read: Callable[[], T], default: T) -> T:
        """``read()``, or ``default`` with its problem noted: a file's every problem is found in
        one pass (``mbc instruments check``), and the file is still refused as a whole."""
        try:
            return read()
        except DefinitionError as exc:
            self.problems.extend(exc.problems)
            return default

    def known(self, data: Any, allowed: frozenset[str], where: str) -> None:
        """Strict files (a clinic's own) may hold only fields the schema reads: anything else
        would be silently ignored, so it is refused instead."""
        if not self.strict or not isinstance(data, dict):
            return
        for key in sorted(set(data) - allowed):
            self.problems.append(
                str(self.fail(f"{where}.{key}".lstrip("."), "is not a field mbc understands"))
            )

    def definition(self, data: dict[str, Any]) -> Definition:
        self.known(data, TOP_FIELDS, "")
        code = self.attempt(lambda: self.get(data, "code", "", str), "")
        version = self.attempt(lambda: self.get(data, "version", "", str), "")
        if code and version and (self.path.parent.name != code or self.path.stem != version):
            self.problems.append(
                str(
                    self.fail(
                        "code/version", f"must match the file's place ({code}/{version}.toml)"
                    )
                )
            )
        if self.strict:
            self.check_names(code, version)
        languages = self.attempt(lambda: self.languages(data), {"en": "official"})
        raw_items = self.attempt(lambda: self.get(data, "items", "", list), [])
        items = tuple(
            item
            for n, raw in enumerate(raw_items)
            if (item := self.attempt(lambda raw=raw, n=n: self.item(raw, n), None)) is not None
        )
        if self.strict and not raw_items:
            self.problems.append(str(self.fail("items", "needs at least one item")))
        ids = [i.id for i in items]
        if len(set(ids)) != len(ids):
            self.problems.append(str(self.fail("items", "item ids must be unique")))
        raw_scoring = self.attempt(lambda: self.get(data, "scoring", "", dict), None)
        scoring = None
        if raw_scoring is not None:
            scoring = self.attempt(
                lambda: self.scoring(raw_scoring, {i.id: i for i in items}), None
            )
        definition = Definition(
            code=code,
            version=version,
            title=self.attempt(lambda: self.texts(data, "title", ""), {"en": code}),
            instructions=self.attempt(
                lambda: self.texts(data, "instructions", "", required=False), {}
            ),
            lead_in=self.attempt(lambda: self.texts(data, "lead_in", "", required=False), {}),
            languages=languages,
            licence=self.attempt(lambda: self.choice(data, "licence", "", LICENCES), "ours"),
            enabled_by_default=self.attempt(
                lambda: self.get(data, "enabled_by_default", "", bool), False
            ),
            credit=self.attempt(lambda: self.get(data, "credit", "", str), ""),
            loinc=self.attempt(lambda: self.get(data, "loinc", "", str, None), None),
            items=items,
            scoring=scoring or EMPTY_SCORING,
            sources=self.attempt(
                lambda: tuple(
                    self.source({"source": s}, f"sources[{n}]")
                    for n, s in enumerate(self.get(data, "sources", "", list))
                ),
                (),
            ),
            path=self.path,
            clinic=self.strict,
        )
        self.attempt(lambda: self.check_languages(definition), None)
        if self.problems:
            raise DefinitionError("\n".join(self.problems), self.problems)
        return definition

    def check_names(self, code: str, version: str) -> None:
        """A clinic's code, version and item ids become URLs, form fields and stored keys."""
        if code and not NAME.fullmatch(code):
            self.problems.append(
                str(self.fail("code", "must be lower-case letters, digits or _ (at most 32)"))
            )
        if version and not VERSION.fullmatch(version):
            self.problems.append(str(self.fail("version", 'must be a number such as "1" or "2"')))

    def languages(self, data: dict[str, Any]) -> dict[str, str]:
        languages = self.get(data, "languages", "", dict)
        for lang, status in languages.items():
            if status not in TRANSLATION_STATUSES:
                raise self.fail(
                    f"languages.{lang}",
                    f"{status!r} is not one of {', '.join(TRANSLATION_STATUSES)}",
                )
        if "en" not in languages:
            raise self.fail("languages.en", "English is required")
        return dict(languages)

    def item(self, raw: Any, n: int) -> Item:
        where = f"items[{n}]"
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a table")
        kind = self.choice(raw, "kind", where, ITEM_KINDS, "choice")
        item_id = self.get(raw, "id", where, str)
        where = f"items[{n}] ({item_id})"
        self.known(raw, ITEM_FIELDS, where)
        if self.strict and (not NAME.fullmatch(item_id) or item_id in RESERVED_IDS):
            raise self.fail(
                f"{where}.id", "must be lower-case letters, digits or _ (and not a form's own)"
            )
        options: tuple[Option, ...] = ()
        if kind == "choice":
            options = tuple(
                self.option(o, f"{where}.options[{k}]")
                for k, o in enumerate(self.get(raw, "options", where, list))
            )
            if not options:
                raise self.fail(f"{where}.options", "a choice item needs options")
            values = [o.value for o in options]
            if len(set(values)) != len(values):
                raise self.fail(f"{where}.options", "option values must be unique")
        minimum = maximum = None
        if kind == "vas":
            minimum = self.number(self.get(raw, "min", where, (int, float)), f"{where}.min")
            maximum = self.number(self.get(raw, "max", where, (int, float)), f"{where}.max")
        reverse = self.get(raw, "reverse", where, bool, False)
        if reverse and kind != "choice":
            raise self.fail(f"{where}.reverse", "only a choice item can be reverse-scored")
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
            reverse=reverse,
        )

    def option(self, raw: Any, where: str) -> Option:
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a table")
        self.known(raw, OPTION_FIELDS, where)
        return Option(
            value=self.get(raw, "value", where, int),
            label=self.texts(raw, "label", where),
            loinc=self.get(raw, "loinc", where, str, None),
        )

    def band(self, b: Any, where: str) -> Band:
        if not isinstance(b, dict):
            raise self.fail(where, "must be a table")
        self.known(b, BAND_FIELDS, where)
        return Band(
            key=self.get(b, "key", where, str),
            minimum=self.number(self.get(b, "min", where, (int, float)), f"{where}.min"),
            maximum=self.number(self.get(b, "max", where, (int, float)), f"{where}.max"),
            label=self.texts(b, "label", where),
        )

    def threshold(self, t: Any, where: str) -> Threshold:
        if not isinstance(t, dict):
            raise self.fail(where, "must be a table")
        self.known(t, THRESHOLD_FIELDS, where)
        return Threshold(
            flag=self.get(t, "flag", where, str),
            op=self.choice(t, "op", where, OPERATORS),
            value=self.number(self.get(t, "value", where, (int, float)), f"{where}.value"),
            source=self.source(t, where),
        )

    def critical(self, c: Any, where: str, items: dict[str, Item]) -> CriticalItem:
        """A critical item: endorsed at or above ``min`` (PHQ-9 item 9), or by ``answers``."""
        if not isinstance(c, dict):
            raise self.fail(where, "must be a table")
        self.known(c, CRITICAL_FIELDS, where)
        item_id = self.get(c, "item", where, str)
        if item_id not in items:
            raise self.fail(where, f"unknown item {item_id!r}")
        minimum = self.get(c, "min", where, int, None)
        answers = self.get(c, "answers", where, list, None)
        if (minimum is None) == (answers is None):
            raise self.fail(where, "give either min or answers (the answers that are critical)")
        if answers is not None:
            allowed = items[item_id].allowed_values
            if not answers or any(
                not isinstance(a, int) or isinstance(a, bool) or a not in allowed for a in answers
            ):
                raise self.fail(
                    f"{where}.answers", f"must be values of {item_id}'s options {sorted(allowed)}"
                )
        return CriticalItem(
            item=item_id,
            minimum=minimum,
            flag=self.get(c, "flag", where, str),
            unanswered_flag=self.get(c, "unanswered_flag", where, str, None),
            source=self.source(c, where),
            answers=frozenset(answers) if answers is not None else None,
        )

    def missing(self, raw: dict[str, Any], method: str) -> MissingPolicy:
        w = "scoring.missing"
        if method == "none" and "missing" not in raw:
            return MissingPolicy(len(self.ids), "too_many_missing", UNSCORED_SOURCE)
        missing = self.get(raw, "missing", "scoring", dict)
        self.known(missing, MISSING_FIELDS, w)
        policy = MissingPolicy(
            max_prorated=self.get(missing, "max_prorated", w, int),
            reason=self.choice(missing, "reason", w, ("too_many_missing", "missing_item")),
            source=self.source(missing, w),
        )
        if policy.max_prorated < 0:
            raise self.fail(f"{w}.max_prorated", "must be 0 or more")
        return policy

    def scoring(self, raw: dict[str, Any], items: dict[str, Item]) -> Scoring:
        w = "scoring"
        ids = set(items)
        self.ids = ids
        self.known(raw, SCORING_FIELDS, w)
        before = len(self.problems)
        method = self.attempt(lambda: self.choice(raw, "method", w, METHODS), "sum")
        unscored = method == "none"
        bands = tuple(
            band
            for n, b in enumerate(self.attempt(lambda: self.get(raw, "bands", w, list, []), []))
            if (band := self.attempt(lambda b=b, n=n: self.band(b, f"{w}.bands[{n}]"), None))
        )
        total = self.attempt(lambda: self.total_range(raw, unscored), (Decimal(0), Decimal(0)))
        multiplier = self.attempt(lambda: self.multiplier(raw), 1)
        range_read = len(self.problems) == before  # bands can be checked against the range
        subscales = self.attempt(lambda: self.subscales(raw, ids), {})
        criticals = tuple(
            c
            for n, raw_c in enumerate(
                self.attempt(lambda: self.get(raw, "critical_items", w, list, []), [])
            )
            if (
                c := self.attempt(
                    lambda raw_c=raw_c, n=n: self.critical(
                        raw_c, f"{w}.critical_items[{n}]", items
                    ),
                    None,
                )
            )
        )
        rules = self.attempt(lambda: self.rules(raw), ())
        thresholds = tuple(
            t
            for n, raw_t in enumerate(
                self.attempt(lambda: self.get(raw, "thresholds", w, list, []), [])
            )
            if (
                t := self.attempt(
                    lambda raw_t=raw_t, n=n: self.threshold(raw_t, f"{w}.thresholds[{n}]"), None
                )
            )
        )
        scoring = Scoring(
            method=method,
            direction=self.attempt(
                lambda: self.choice(
                    raw, "direction", w, DIRECTIONS, ... if not unscored else "higher_is_worse"
                ),
                "higher_is_worse",
            ),
            total_min=total[0],
            total_max=total[1],
            bands=bands,
            bands_source=self.attempt(
                lambda: (
                    self.source({"source": raw["bands_source"]}, w)
                    if "bands_source" in raw
                    else None
                ),
                None,
            ),
            thresholds=thresholds,
            missing=self.attempt(
                lambda: self.missing(raw, method),
                MissingPolicy(0, "missing_item", UNSCORED_SOURCE),
            ),
            critical_items=criticals,
            subscales=subscales,
            rules=rules,
            change=self.attempt(
                lambda: self.change(self.get(raw, "change", w, dict, {})), ChangeRules(None, None)
            ),
            notes=self.attempt(
                lambda: tuple(
                    self.source({"source": s}, f"{w}.notes[{n}]")
                    for n, s in enumerate(self.get(raw, "notes", w, list, []))
                ),
                (),
            ),
            multiplier=multiplier,
            item_flags=tuple(
                f
                for n, raw_f in enumerate(
                    self.attempt(lambda: self.get(raw, "item_flags", w, list, []), [])
                )
                if (
                    f := self.attempt(
                        lambda raw_f=raw_f, n=n: self.item_flag(raw_f, f"{w}.item_flags[{n}]", ids),
                        None,
                    )
                )
            ),
        )
        if self.strict and range_read and not unscored:
            self.attempt(lambda: self.check_range(scoring, items), None)
        if unscored:
            self.attempt(lambda: self.check_unscored(scoring), None)
        elif range_read:
            self.attempt(lambda: self.check_bands(scoring), None)
        return scoring  # ``definition`` refuses the file when any problem was noted

    def total_range(self, raw: dict[str, Any], unscored: bool) -> tuple[Decimal, Decimal]:
        w = "scoring"
        if unscored and "total_range" not in raw:
            return Decimal(0), Decimal(0)
        total = self.get(raw, "total_range", w, list)
        if len(total) != 2:
            raise self.fail(f"{w}.total_range", "must be [lowest, highest]")
        low = self.number(total[0], f"{w}.total_range[0]")
        high = self.number(total[1], f"{w}.total_range[1]")
        if high <= low:
            raise self.fail(f"{w}.total_range", "the highest total must be above the lowest")
        return low, high

    def subscales(self, raw: dict[str, Any], ids: set[str]) -> dict[str, tuple[str, ...]]:
        w = "scoring"
        subscales = {k: tuple(v) for k, v in self.get(raw, "subscales", w, dict, {}).items()}
        for name, members in subscales.items():
            if unknown := set(members) - ids:
                raise self.fail(f"{w}.subscales.{name}", f"unknown items {sorted(unknown)}")
        return subscales

    def rules(self, raw: dict[str, Any]) -> tuple[str, ...]:
        rules = tuple(self.get(raw, "rules", "scoring", list, []))
        if rules and self.strict:
            # Each names code written for one built-in instrument's own item ids.
            raise self.fail("scoring.rules", "are PHQ-9's and PCL-5's own algorithms only")
        for rule in rules:
            if rule not in RULES:
                raise self.fail("scoring.rules", f"{rule!r} is not one of {', '.join(RULES)}")
        return rules

    def check_range(self, scoring: Scoring, items: dict[str, Item]) -> None:
        """A practice's total_range must be the totals its choice items can make (a wrong one
        would refuse real totals or draw the chart off its scale)."""
        scored = [i for i in items.values() if i.scored]
        if not scored or any(i.kind != "choice" for i in scored):
            return
        lows = [min(i.allowed_values) for i in scored]
        highs = [max(i.allowed_values) for i in scored]
        if scoring.method == "sum":
            low, high = sum(lows) * scoring.multiplier, sum(highs) * scoring.multiplier
        elif scoring.method == "mean":
            low, high = min(lows), max(highs)
        else:
            return
        if (scoring.total_min, scoring.total_max) != (Decimal(low), Decimal(high)):
            raise self.fail(
                "scoring.total_range", f"must be [{low}, {high}], the totals the items can make"
            )

    def check_unscored(self, scoring: Scoring) -> None:
        """An unscored questionnaire has no total, so nothing may be judged on one."""
        for name, present in (
            ("bands", scoring.bands),
            ("thresholds", scoring.thresholds),
            ("item_flags", scoring.item_flags),
            ("subscales", scoring.subscales),
            ("change", scoring.change.reliable is not None),
        ):
            if present:
                raise self.fail(
                    f"scoring.{name}",
                    'an unscored questionnaire (method = "none") has no total to judge',
                )

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
        self.known(raw, ITEM_FLAG_FIELDS, where)
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

        self.known(raw, CHANGE_FIELDS, w)
        reliable, sd, reliability = num("reliable"), num("sd"), num("reliability")
        if (sd is None) != (reliability is None):
            raise self.fail(w, "give both sd and reliability (Jacobson-Truax), or neither")
        if sd is not None and reliability is not None:
            if reliable is not None:
                raise self.fail(w, "give reliable, or sd and reliability, not both")
            if sd <= 0 or not 0 <= reliability < 1:
                raise self.fail(w, "sd must be above 0 and reliability from 0 to below 1")
            reliable = jacobson_truax_threshold(sd, reliability)
        return ChangeRules(
            reliable=reliable,
            reliable_source=self.source(raw, w) if reliable is not None else None,
            sd=sd,
            reliability=reliability,
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
