"""Demo data: realistic filled workbooks for fictional branches, and the demo run."""

from engine.demo.generate import batch_specs, generate

__all__ = ["batch_specs", "generate"]
