"""The self-assessment workbook (支部自评表): generate it from a rule set, fill it from code."""

from engine.template.fill import fill_workbook
from engine.template.writer import asked_items, build_template, default_template_name, write_template

__all__ = ["asked_items", "build_template", "default_template_name", "fill_workbook", "write_template"]
