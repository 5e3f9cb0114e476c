"""branchcheck: a compliance checklist engine for Party-branch standardisation.

The package is a one-way pipeline: ``rules`` → ``template`` → ``intake`` →
``scoring`` → ``reports``; ``cli`` is a thin layer over it.
"""

__version__ = "0.1.0"
