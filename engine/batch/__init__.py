"""The batch layer: running the pipeline over many files safely.

- :mod:`~engine.batch.discovery`: which files are inputs (never the tool's own outputs);
- :mod:`~engine.batch.workers`: the process pool in which one bad file costs only itself;
- :mod:`~engine.batch.scoring`: read and score a batch, then the cross-file checks;
- :mod:`~engine.batch.check`: the ``check`` job and its report;
- :mod:`~engine.batch.run`: the ``score`` job, from inputs to a complete output folder;
- :mod:`~engine.batch.outfolder`: the output folder's lock, staging and swap;
- :mod:`~engine.batch.manifest`: the audit manifest and ``verify``.
"""

from engine.batch.check import CheckReport, check_files
from engine.batch.run import RunOutcome, score_to_folder
from engine.batch.scoring import BatchOptions, Progress, default_jobs

__all__ = ["BatchOptions", "CheckReport", "Progress", "RunOutcome", "check_files", "default_jobs", "score_to_folder"]
