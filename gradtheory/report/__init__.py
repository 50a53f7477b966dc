"""The main job: each network's derivation, spectral prediction and measurement, side by side.

:func:`report` (the pipeline, :mod:`.build`) runs the three layers on one trajectory per network
and builds the predicted-vs-measured table (:mod:`.checks`); the frozen :class:`Report` it returns
(:mod:`.result`) prints it (:meth:`Report.to_text`,
:meth:`Report.to_latex`, HTML in Jupyter), draws it (:meth:`Report.plot`) and writes it
(:meth:`Report.write`: figures, LaTeX and ``report.json``, valid against :data:`SCHEMA_PATH`).
"""

from pathlib import Path

from .build import CONTRIBUTION_STEPS, MAX_EXPONENTS, REPORT_GAINS, report
from .checks import CHECKS, mean_field_tolerance
from .result import DERIVED, STATUSES, Check, Condition, NetworkReport, Report

#: The JSON schema of ``Report.to_dict()`` (``gradtheory report --json``, ``report.json``).
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")

__all__ = [
    "CHECKS",
    "CONTRIBUTION_STEPS",
    "DERIVED",
    "MAX_EXPONENTS",
    "REPORT_GAINS",
    "SCHEMA_PATH",
    "STATUSES",
    "Check",
    "Condition",
    "NetworkReport",
    "Report",
    "mean_field_tolerance",
    "report",
]
