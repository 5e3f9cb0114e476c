"""The immutable rule-set model. Built only by the loader, after validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from engine.rules.rating import CHECKLIST, DEFAULT_TOTAL, LOWEST, TotalFormula

YES = "是"
NO = "否"
NA = "不适用"

# What kind of requirement a check point states (``basis_kind``), with its Chinese label.
BASIS_KINDS = {
    "regulation": "党内规定",  # a rule of a Party regulation or central document, cited with its article
    "practice": "通行做法",  # common practice of local checklists, not a regulation's text
    "official": "官方手册",  # the official handbook's own text
}


@dataclass(frozen=True)
class Leaf:
    """A comparison. The left operand is a profile field, a check point, or a sum of fields."""

    op: str
    field: str | None = None
    item: str | None = None
    sum_of: tuple[str, ...] = ()
    value: object = None
    value_field: str | None = None

    def fields_read(self) -> tuple[str, ...]:
        own = (self.field,) if self.field else self.sum_of
        return own + ((self.value_field,) if self.value_field else ())


@dataclass(frozen=True)
class AllOf:
    terms: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    terms: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    term: Condition


Condition = Leaf | AllOf | AnyOf | Not


def leaves(condition: Condition | None) -> tuple[Leaf, ...]:
    """Every leaf of a condition tree, depth first."""
    if condition is None:
        return ()
    if isinstance(condition, Leaf):
        return (condition,)
    if isinstance(condition, Not):
        return leaves(condition.term)
    return tuple(leaf for term in condition.terms for leaf in leaves(term))


# The actions of a variant's overlay on a check point (engine.rules.variants).
NOT_APPLICABLE = "not_applicable"
CHANGE = "change"
ADD = "add"


@dataclass(frozen=True)
class Tailoring:
    """What a variant's overlay does to one check point, and why."""

    variant: str  # the variant's name, e.g. 离退休干部党支部
    action: str  # NOT_APPLICABLE | CHANGE | ADD
    reason: str
    basis: str
    basis_kind: str  # a key of BASIS_KINDS
    summary: str  # the Chinese sentence shown in explanations, e.g. 离退休干部党支部目标为 2（依据…）
    changed: tuple[str, ...] = ()  # CHANGE: the parameters set (points, target, options, …)


@dataclass(frozen=True)
class Variant:
    """One variant: the overlay file selected by a value of the branch-type field."""

    name: str
    file: str
    note: str | None
    changes: tuple[Item, ...]  # every changed, excluded or added check point, built with its tailoring


@dataclass(frozen=True)
class Variants:
    """The ``variants`` block of ruleset.yaml with its overlays."""

    field: str  # the profile field whose value selects a variant (role branch_type)
    options: tuple[str, ...]  # the values offered in 支部信息; those without an overlay mean the base rules
    overlays: tuple[Variant, ...]

    def named(self, name: str) -> Variant | None:
        return next((v for v in self.overlays if v.name == name), None)


@dataclass(frozen=True)
class LevelOption:
    label: str
    credit: Decimal


@dataclass(frozen=True)
class Item:
    """A check point (检查要点)."""

    id: str
    area_id: str
    standard_id: str
    text: str
    type: str
    points: Decimal
    basis: str
    evidence: str
    advice: str
    basis_kind: str  # a key of BASIS_KINDS
    na_allowed: bool = False
    applies_if: Condition | None = None
    hint: str | None = None
    options: tuple[LevelOption, ...] = ()
    target: Decimal | None = None
    deduction_per_unit: Decimal | None = None
    decimals: int = 0
    per: str | None = None
    within_months: int | None = None
    # An answer not asked in 自评表 but read from 支部信息: a profile field (value_from, a date),
    # or a condition over profile fields (derived_from, 是 when it holds).
    value_from: str | None = None
    derived_from: Condition | None = None
    # Every parameter of the item's answer type as written (name, value), for types that
    # read their own parameters (engine.answers); the typed fields above are the common ones.
    params: tuple[tuple[str, object], ...] = ()
    # Set only in a model resolved for a variant (engine.rules.variants): how the variant's
    # overlay changed, excluded or added this check point, with the basis.
    tailoring: Tailoring | None = None

    @property
    def excluded(self) -> bool:
        """True when the resolved variant marks this check point not applicable."""
        return self.tailoring is not None and self.tailoring.action == NOT_APPLICABLE

    @property
    def asked(self) -> bool:
        """False when the answer is read from the profile (``value_from``, ``derived_from``)."""
        return self.value_from is None and self.derived_from is None

    def derived_fields(self) -> tuple[str, ...]:
        """The profile fields a check point that is not asked reads its answer from."""
        own = (self.value_from,) if self.value_from else ()
        read = tuple(f for leaf in leaves(self.derived_from) for f in leaf.fields_read())
        return tuple(dict.fromkeys(own + read))

    @property
    def basis_label(self) -> str:
        """依据 with its kind, as shown to people: ``【党内规定】《…》第十二条``."""
        return f"【{BASIS_KINDS[self.basis_kind]}】{self.basis}"

    def param(self, name: str, default: object = None) -> object:
        return next((v for k, v in self.params if k == name), default)

    def option(self, label: str) -> LevelOption | None:
        return next((o for o in self.options if o.label == label), None)


@dataclass(frozen=True)
class Standard:
    id: str
    area_id: str
    name: str
    items: tuple[Item, ...]

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.items), Decimal(0))


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    standards: tuple[Standard, ...]
    # "checklist" (the scored checklist), or a bonus/penalty block (加分项/减分项) with its cap
    # (engine.rules.rating).
    kind: str = CHECKLIST
    cap: Decimal | None = None

    @property
    def points(self) -> Decimal:
        return sum((s.points for s in self.standards), Decimal(0))


@dataclass(frozen=True)
class ProfileField:
    id: str
    label: str
    type: str
    required: bool
    required_if: Condition | None = None
    role: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class ProfileCheck:
    id: str
    condition: Condition
    message: str
    severity: str


@dataclass(frozen=True)
class Band:
    name: str
    min: Decimal
    label: str | None = None  # shown instead of the name, e.g. ★★★★★ 五星
    max_share: Decimal | None = None  # quota: at most this share of the scored branches
    quota_per: str | None = None  # the profile field grouping the quota (None: the whole batch)

    @property
    def display(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class Veto:
    id: str
    text: str
    kind: str  # "question" | "derived"
    condition: Condition | None = None
    effect: str = LOWEST  # "lowest": the lowest band; "cap": at most the band named by cap
    cap: str | None = None


@dataclass(frozen=True)
class Source:
    handbook: str
    note: str
    regulations: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: str
    version: str
    source: Source
    areas: tuple[Area, ...]
    profile: tuple[ProfileField, ...]
    profile_checks: tuple[ProfileCheck, ...]
    bands: tuple[Band, ...]  # ordered by min, highest first
    vetoes: tuple[Veto, ...]
    fingerprint: str
    bands_note: str | None = None  # where the bands come from (e.g. a reconstruction), for 填表说明
    total: TotalFormula = DEFAULT_TOTAL  # how the total is formed from the checklist, blocks and components
    path: Path | None = field(default=None, compare=False)
    # Branch-type tailoring (engine.rules.variants): the declared variants, and in a model
    # resolved for one of them, its name (None: the base rules).
    variants: Variants | None = None
    variant: str | None = None

    @cached_property
    def standards(self) -> tuple[Standard, ...]:
        return tuple(s for a in self.areas for s in a.standards)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for s in self.standards for i in s.items)

    @cached_property
    def checklist_areas(self) -> tuple[Area, ...]:
        """The areas of the scored checklist (not the bonus and penalty blocks)."""
        return tuple(a for a in self.areas if a.kind == CHECKLIST)

    @cached_property
    def blocks(self) -> tuple[Area, ...]:
        """The bonus and penalty blocks (加分项, 减分项), in rule-set order."""
        return tuple(a for a in self.areas if a.kind != CHECKLIST)

    @cached_property
    def _kind_by_area(self) -> dict[str, str]:
        return {a.id: a.kind for a in self.areas}

    def area_kind(self, area_id: str) -> str:
        """Whether an area is the checklist's or a bonus or penalty block (engine.rules.rating)."""
        return self._kind_by_area[area_id]

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    @cached_property
    def _fields_by_id(self) -> dict[str, ProfileField]:
        return {f.id: f for f in self.profile}

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items_by_id

    def field(self, field_id: str) -> ProfileField:
        return self._fields_by_id[field_id]

    def has_field(self, field_id: str) -> bool:
        return field_id in self._fields_by_id

    def field_with_role(self, role: str) -> ProfileField | None:
        return next((f for f in self.profile if f.role == role), None)

    @property
    def total_points(self) -> Decimal:
        """The checklist's points (bonus and penalty blocks are not part of it)."""
        return sum((a.points for a in self.checklist_areas), Decimal(0))

    @property
    def lowest_band(self) -> Band:
        return self.bands[-1]

    def band(self, name: str) -> Band:
        return next(b for b in self.bands if b.name == name)

    def band_display(self, name: str | None) -> str | None:
        """A band's display label (its name when it has none); None and unknown names as they are."""
        found = next((b for b in self.bands if b.name == name), None)
        return found.display if found is not None else name

    def band_for(self, score: Decimal) -> Band:
        """The band with the highest minimum not above ``score``."""
        for band in self.bands:
            if score >= band.min:
                return band
        return self.lowest_band

    @property
    def question_vetoes(self) -> tuple[Veto, ...]:
        return tuple(v for v in self.vetoes if v.kind == "question")

    def basis_kind_counts(self) -> dict[str, int]:
        """How many check points state each kind of requirement, in the order of BASIS_KINDS."""
        return {kind: sum(1 for i in self.items if i.basis_kind == kind) for kind in BASIS_KINDS}

    @property
    def basis_summary(self) -> str:
        """The Chinese line of ``rules validate`` counting the kinds of requirement."""
        counts = "，".join(f"{BASIS_KINDS[k]} {n} 个" for k, n in self.basis_kind_counts().items())
        return f"依据类型：{counts}"

    @property
    def summary(self) -> str:
        """The one-line Chinese summary printed by ``rules validate``."""
        blocks = f"，另有加分项、减分项 {len(self.blocks)} 块" if self.blocks else ""
        derived = sum(1 for i in self.items if not i.asked)  # the template asks the others
        read = f"（其中 {derived} 个由支部信息得出，自评表中不填）" if derived else ""
        return (
            f"规则集 {self.id} {self.version}：{len(self.checklist_areas)} 个方面，"
            f"{len(self.standards)} 项标准，{len(self.items)} 个检查要点{read}，"
            f"满分 {format_number(self.total_points)}{blocks}（{self.fingerprint}）"
        )


def format_number(value: Decimal | int | float) -> str:
    """Shortest plain rendering: 100, 0.5, 12.25 (no exponent, no trailing zeros)."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(d.normalize(), "f")
    return text


def json_number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: int when whole, else float."""
    return int(value) if value == value.to_integral_value() else float(value)
