"""The self-assessment workbook (支部自评表): generate it from a rule set, fill it from code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.lazy import exports

if TYPE_CHECKING:
    from engine.template.fill import fill_workbook
    from engine.template.writer import asked_items, build_template, default_template_name, write_template

__getattr__ = exports(
    __name__,
    {
        "fill_workbook": "fill",
        "asked_items": "writer",
        "build_template": "writer",
        "default_template_name": "writer",
        "write_template": "writer",
    },
)

__all__ = ["asked_items", "build_template", "default_template_name", "fill_workbook", "write_template"]
