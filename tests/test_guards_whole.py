"""A zip part read whole (up to engine.guards.zipsafe.WHOLE_PART) is judged exactly as when streamed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import Fill
from hostile import (
    EXTERNAL_ENTITY,
    far_cell_workbook,
    flip_byte_in,
    flip_crc_of,
    parts,
    patch_entry,
    rezip,
    sheet_part,
)

from engine import contract as c
from engine.guards import packages, precheck


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _cases(fill: Fill, tmp_path: Path) -> dict[str, Path]:
    workbook = fill()
    data = workbook.read_bytes()
    sheet = sheet_part(workbook, c.SHEET_ITEMS)
    xml = re.sub(rb"^<\?xml[^>]*\?>", b"", parts(workbook)[sheet])
    long = b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b"--><styleSheet/>"
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s [<!ENTITY a "b">]><styleSheet/>'.encode("utf-16")
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info.filename))
    return {
        "good": workbook,
        "stored": stored,
        "larger than declared": _write(tmp_path, "lying.xlsx", patch_entry(data, sheet, size=100)),
        "smaller than declared": _write(tmp_path, "short.xlsx", patch_entry(data, sheet, size=len(xml) * 3)),
        "crc": _write(tmp_path, "crc.xlsx", flip_crc_of(data, sheet)),
        "flipped byte": _write(tmp_path, "flip.xlsx", flip_byte_in(data, sheet)),
        "truncated": _write(tmp_path, "truncated.xlsx", data[: len(data) // 2]),
        "external entity": rezip(workbook, tmp_path / "xxe.xlsx", {sheet: b"<?xml?>" + EXTERNAL_ENTITY + xml}),
        "long prolog": rezip(workbook, tmp_path / "long.xlsx", {"xl/styles.xml": long}),
        "utf-16 dtd": rezip(workbook, tmp_path / "utf16.xlsx", {"xl/styles.xml": utf16}),
        "not xml": rezip(workbook, tmp_path / "text.xlsx", {"xl/styles.xml": b"plain text, not markup"}),
        "far cell": far_cell_workbook(tmp_path / "far.xlsx", "A1"),
    }


def _judged(paths: dict[str, Path]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name, path in paths.items():
        problem = precheck(path)
        found[name] = None if problem is None else problem.message
    return found


def test_whole_and_streamed_parts_get_the_same_verdict(
    fill: Fill, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = _cases(fill, tmp_path)
    whole = _judged(cases)
    monkeypatch.setattr(packages, "WHOLE_PART", -1)  # every part streamed in chunks
    streamed = _judged(cases)
    assert whole == streamed
    assert whole["good"] is None and whole["stored"] is None
    assert all(whole[name] is not None for name in cases if name not in ("good", "stored", "not xml"))
