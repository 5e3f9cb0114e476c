"""Results cross from the workers in a compact form: a check-point result that scoring hands out
again (engine.scoring.memo) is pickled once and travels as those bytes; the parent keeps one object
per distinct check-point result. Nothing about a result changes on the way."""

from __future__ import annotations

import pickle
from decimal import Decimal
from pathlib import Path

from engine.batch.scoring import score_file
from engine.demo.branches import DEMO_BRANCHES
from engine.demo.generate import generate
from engine.rules import RuleSet
from engine.scoring import model
from engine.scoring.model import ItemResult, Result


def _round_trip(result: Result) -> Result:
    back: Result = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return back


def test_results_scored_here_come_back_equal_and_share_their_check_points(
    bundled_rules: RuleSet, tmp_path: Path
) -> None:
    paths = generate(bundled_rules, tmp_path / "in", DEMO_BRANCHES[:4])
    results = [score_file(bundled_rules, str(p)) for p in paths]
    assert all(r.scored for r in results)
    sent = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in results]
    model._UNPICKLED.clear()  # as in a parent that has seen nothing yet
    back = [pickle.loads(data) for data in sent]
    for mine, theirs in zip(back, results, strict=True):
        assert mine == theirs
        assert (str(mine.score), str(mine.self_score)) == (str(theirs.score), str(theirs.self_score))
        for a, b in zip(mine.items, theirs.items, strict=True):
            assert type(a) is ItemResult
            assert (str(a.earned), str(a.credit), str(a.max), str(a.points)) == (
                str(b.earned), str(b.credit), str(b.max), str(b.points),
            )  # fmt: skip
            assert type(a.answer) is type(b.answer) and type(a.self_answer) is type(b.self_answer)
    # one object per distinct check-point result in the parent
    first, second = back[0], back[1]
    shared = [(a, b) for a, b in zip(first.items, second.items, strict=True) if a == b]
    assert shared and all(a is b for a, b in shared)


def test_answers_equal_as_numbers_stay_apart(bundled_rules: RuleSet) -> None:
    base = dict(
        id="1.1.1", standard_id="1.1", area_id="1", status="met", credit=Decimal(1), earned=Decimal("0.5"),
        points=Decimal("0.5"), max=Decimal("0.5"), reason="填写 1",
    )  # fmt: skip
    answers = (1, Decimal(1), Decimal("1.0"), "1", True)
    items = [ItemResult(answer=a, self_answer=a, **base) for a in answers]  # type: ignore[arg-type]
    for item in items:
        model.keep_pickled(item)
    result = Result("x.xlsx", "0" * 64, "scored", (), items=tuple(items))
    model._UNPICKLED.clear()
    back = _round_trip(result)
    assert [(type(i.answer), str(i.answer)) for i in back.items] == [(type(a), str(a)) for a in answers]
    assert _round_trip(result).items == back.items
