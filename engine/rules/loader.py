"""Load a rule-set folder: parse, validate against the schema, cross-check, build.

Every problem is collected and reported at once in a :class:`RuleSetError`;
the model is built only when there are none.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import engine
from engine.errors import RuleSetError
from engine.rules import build, rating, ratingchecks, scales, schema
from engine.rules.checks import Checker
from engine.rules.export import fingerprint
from engine.rules.model import RuleSet, Variants
from engine.rules.problems import Problems
from engine.rules.variants import OverlayBuilder
from engine.rules.yamlsource import YamlDoc, YamlSyntaxError, parse

ROOT_FILE = "ruleset.yaml"
BUNDLED_ID = "gansu-organs-2018"


def bundled_rules_dir() -> Path:
    """The bundled rule set: inside the installed package, or in a source checkout."""
    package = Path(engine.__file__).resolve().parent
    for candidate in (package / "bundled_rules" / BUNDLED_ID, package.parent / "rules" / BUNDLED_ID):
        if (candidate / ROOT_FILE).is_file():
            return candidate
    raise RuleSetError([])  # pragma: no cover - a broken installation


def load_rule_set(path: Path | str | None = None) -> RuleSet:
    """Load the rule set in folder ``path`` (or its ``ruleset.yaml``); the bundled set by default."""
    folder = bundled_rules_dir() if path is None else Path(path)
    problems = Problems()
    if folder.is_file() and folder.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".xls"):
        problems.add_file(
            str(folder), None,
            "这是一个工作簿，不是规则集文件夹；规则工作簿请先用 branchcheck rules import 转换为规则集文件夹，"
            "再用 --rules 指定该文件夹",
        )  # fmt: skip
        raise RuleSetError(problems.items)
    if folder.is_file():
        folder = folder.parent
    root_file = folder / ROOT_FILE
    if not root_file.is_file():
        problems.add_file(str(folder), None, f"找不到规则集文件 {ROOT_FILE}（规则集应为一个包含 {ROOT_FILE} 的文件夹）")
        raise RuleSetError(problems.items)
    root = _parse(root_file, problems)
    if root is None or not schema.validate(root, "ruleset_file", problems):
        raise RuleSetError(problems.items)
    data: dict[str, Any] = root.data  # type: ignore[assignment]
    areas: list[YamlDoc] = []
    for n, name in enumerate(data["areas"]):
        file = folder / name
        if not file.is_file():
            problems.add(root, ("areas", n), f"找不到方面文件“{name}”")
            continue
        doc = _parse(file, problems)
        if doc is not None and schema.validate(doc, "area_file", problems):
            areas.append(doc)
    if problems:
        raise RuleSetError(problems.items)
    scales.resolve(root, areas, problems)
    if problems:
        raise RuleSetError(problems.items)
    checker = Checker(root, areas, problems)
    checker.run()
    ratingchecks.check(root, areas, problems)
    if problems:
        raise RuleSetError(problems.items)
    variants = _variants(folder, root, areas, checker, problems)
    if problems:
        raise RuleSetError(problems.items)
    rules = RuleSet(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        source=build.source(data["source"]),
        areas=tuple(build.area(doc.data) for doc in areas),  # type: ignore[arg-type]
        profile=tuple(build.profile_field(f) for f in data["profile"]),
        profile_checks=tuple(build.profile_check(c) for c in data.get("profile_checks", [])),
        bands=build.bands(data["bands"]),
        vetoes=tuple(build.veto(v) for v in data.get("vetoes", [])),
        fingerprint="",
        bands_note=data.get("bands_note"),
        total=rating.build_total(data.get("total")),
        path=folder,
        variants=variants,
    )
    return dataclasses.replace(rules, fingerprint=fingerprint(rules))


def _variants(
    folder: Path, root: YamlDoc, areas: list[YamlDoc], checker: Checker, problems: Problems
) -> Variants | None:
    """The overlay files of ``variants:`` (engine.rules.variants), or None when there are none."""
    data: dict[str, Any] = root.data  # type: ignore[assignment]
    if "variants" not in data:
        return None
    overlays: list[YamlDoc] = []
    for n, name in enumerate(data["variants"]["overlays"]):
        file = folder / name
        if name in data["areas"] or name == ROOT_FILE or name in data["variants"]["overlays"][:n]:
            problems.add(root, ("variants", "overlays", n), f"变体文件“{name}”与方面文件或其他变体文件重复")
            continue
        if not file.is_file():
            problems.add(root, ("variants", "overlays", n), f"找不到变体文件“{name}”")
            continue
        doc = _parse(file, problems)
        if doc is not None and schema.validate(doc, "overlay_file", problems):
            overlays.append(doc)
    if problems:
        return None
    return OverlayBuilder(root, areas, checker, problems).build(overlays)


def _parse(file: Path, problems: Problems) -> YamlDoc | None:
    try:
        return parse(file)
    except YamlSyntaxError as exc:
        problems.add_file(file.name, exc.line, exc.message)
    except OSError as exc:
        problems.add_file(file.name, None, f"无法读取文件：{exc.strerror}")
    return None
