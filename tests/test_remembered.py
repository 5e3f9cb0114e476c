"""What intake and scoring keep per rule set and process (engine.intake.remembered,
engine.scoring.memo, the answers of applies()) never changes a result: a batch scored with
everything kept, in another order, and with nothing kept gives the same results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine import applicability
from engine.batch.scoring import score_file
from engine.demo.branches import DEMO_BRANCHES
from engine.demo.generate import batch_specs, generate
from engine.intake import remembered
from engine.rules import RuleSet
from engine.scoring import memo
from engine.scoring.results import result_to_dict


def _scored(rules: RuleSet, paths: list[Path]) -> dict[str, str]:
    return {p.name: json.dumps(result_to_dict(score_file(rules, str(p))), ensure_ascii=False) for p in paths}


def _forget() -> None:
    memo._plans.clear()
    remembered._kept.clear()
    applicability._kept.clear()


def test_kept_rows_and_results_never_change_a_result(
    bundled_rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = generate(bundled_rules, tmp_path / "demo", DEMO_BRANCHES)
    paths += generate(bundled_rules, tmp_path / "batch", batch_specs(16, 11), 11)
    _forget()
    first = _scored(bundled_rules, paths)
    again = _scored(bundled_rules, paths[::-1])  # everything kept, the other way round
    monkeypatch.setattr(memo, "MAX_REMEMBERED", -1)  # nothing kept from one file to the next
    monkeypatch.setattr(remembered, "MAX_ROWS_KEPT", -1)
    fresh = {}
    for path in paths:
        _forget()
        fresh.update(_scored(bundled_rules, [path]))
    assert first == again == fresh
    assert any('"status": "rejected"' in r for r in first.values())  # the demo's invalid answer
    assert any('"status": "scored"' in r for r in first.values())


def test_keys_tell_values_apart_and_long_texts_are_never_kept() -> None:
    from datetime import date
    from decimal import Decimal

    from engine.keep import MAX_KEPT_TEXT, small, value_key

    keys = {value_key(v) for v in (1, 1.0, Decimal(1), Decimal("1.0"), True, "1", None, date(2024, 1, 1))}
    assert len(keys) == 8
    assert value_key("是") == "是" and value_key(None) is None
    assert small(("1.1.1", 5, True, date(2024, 12, 31), None, "是", value_key(Decimal("2.5"))))
    assert small(("x" * MAX_KEPT_TEXT,))
    assert not small(("x" * (MAX_KEPT_TEXT // 2), "y" * (MAX_KEPT_TEXT // 2 + 1)))
    assert not small((value_key(date(2024, 1, 1)), (str, "x" * (MAX_KEPT_TEXT + 1))))
