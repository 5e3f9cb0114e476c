"""What every answer type provides. One subclass per type owns everything about it.

The rest of the engine asks :func:`engine.answers.answer_type` for an item's type object and
never branches on type names. Modules that the registry itself imports (the rules package,
intake, template, scoring) reach it as ``from engine import answers`` and look it up when
called, so importing either side first works.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from engine.intake.cells import CellValue
    from engine.intake.normalise import Reading
    from engine.rules.model import Item, RuleSet
    from engine.scoring.credit import Credit, Proration
    from engine.submission import Value
    from engine.template.validation import Check

@dataclass(frozen=True)
class DemoCase:
    """What a demo answer depends on: the branch's dates, whether to meet the target, the dice."""

    ref: date
    founded: date | None
    met: bool
    rng: random.Random
    margin: bool = True  # met with some room to spare rather than exactly


# (path below the item, Chinese message): a problem in one check point's rule data.
AddProblem = Callable[[tuple[str | int, ...], str], None]


class AnswerType:
    """An answer type of a check point (``type:`` in the rule files)."""

    name: ClassVar[str]
    # Scored types earn points; an unscored one (free text) is carried into the results only.
    scored: ClassVar[bool] = True
    # How conditions may compare the answer: "number" (lt/le/gt/ge), "date" (older_than_months),
    # "choice" (eq/ne/in among :meth:`choices`) or "text".
    compares_as: ClassVar[str] = "choice"
    # Its cell validation cannot also accept the text 不适用: with na_allowed it only prompts.
    typed_cell: ClassVar[bool] = False
    # Its list refuses any other input (a level): 填表说明 names it as the exception to warnings.
    refuses_other_input: ClassVar[bool] = False
    # 不适用/N/A/无此项 typed in the cell mean 不适用 (a free-text answer keeps them as its text).
    reads_na_words: ClassVar[bool] = True
    # The cell's Excel number format in the template (None: General).
    number_format: ClassVar[str | None] = None
    # Parameters holding a condition over profile fields (checked as such by the loader; a blank
    # field is allowed and makes the condition undetermined).
    condition_params: ClassVar[tuple[str, ...]] = ()

    # -- rules --------------------------------------------------------------------------

    def check_rule(self, raw: Mapping[str, Any], fields: Mapping[str, Mapping[str, Any]], add: AddProblem) -> None:
        """Checks of the type's parameters that the JSON Schema cannot express."""

    def choices(self, raw: Mapping[str, Any]) -> tuple[str, ...]:
        """The answers a condition may compare with (raw rule data: called before the model exists)."""
        return ()

    def export(self, item: Item) -> dict[str, Any]:
        """The type's parameters in the rule-set JSON export (``branchcheck.rules/1``)."""
        return {}

    # -- template -------------------------------------------------------------------------

    def answer_line(self, item: Item, rules: RuleSet) -> str:
        """The first line of the item's 填写说明: what to enter and the target."""
        raise NotImplementedError

    def guide_line(self, items: Sequence[Item], rules: RuleSet) -> str | None:
        """The type's line in 填表说明 (``items``: the asked check points of this type, maybe none)."""
        return None

    def variant_note(self) -> str | None:
        """Other accepted forms of an answer, for 填表说明 (e.g. “次数可带单位，如‘12次’”)."""
        return None

    def validation(self, item: Item) -> Check:
        """The data validation of the item's 自评结果 and 核查结果 cells."""
        raise NotImplementedError

    def prompt_what(self, item: Item) -> str:
        """What a typed cell holds, for the prompt-only validation when 不适用 is allowed."""
        return ""

    # -- intake ----------------------------------------------------------------------------

    def allowed(self, item: Item) -> str:
        """The values accepted, in Chinese (without 不适用), for invalid-answer messages."""
        raise NotImplementedError

    def read(self, item: Item, value: CellValue, reference: date | None) -> Reading:
        """One non-blank cell that is not 不适用, normalised."""
        raise NotImplementedError

    def expects_answer(self, item: Item) -> bool:
        """Whether a blank answer is worth a warning (item-unanswered) and fails ``--strict``."""
        return True

    # -- answers not asked in 自评表 (Item.asked is False) ------------------------------------

    def derived_answer(self, item: Item, profile: Mapping[str, Value], reference: date | None) -> Value:
        """The answer read from 支部信息 (``None``: blank or undetermined)."""
        raise NotImplementedError(f"{self.name} check points are always asked")

    def derivation(self, item: Item, rules: RuleSet) -> str:
        """Where such an answer comes from, in Chinese: ``按支部信息“…”``."""
        raise NotImplementedError(f"{self.name} check points are always asked")

    # -- scoring and reports ------------------------------------------------------------------

    def credit(self, item: Item, value: Value, ref: date, prorated: Proration | None) -> Credit:
        """Credit of an applicable, answered value (not 不适用), with what was found."""
        raise NotImplementedError

    def show(self, value: Any, item: Item) -> str:
        """A results-JSON answer as people read it (numbers without trailing zeros)."""
        return str(value)

    # -- demo ----------------------------------------------------------------------------

    def demo(self, item: Item, case: DemoCase) -> object:
        """A plausible answer in the workbook's native form: fully met (``met``) or short of it."""
        raise NotImplementedError

    def invalid_example(self) -> str | None:
        """An answer no reader of this type accepts, for the demo's deliberately wrong workbook."""
        return None
