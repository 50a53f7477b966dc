r"""The report's results: frozen data, no computation.

:class:`Report` (one per call of :func:`~gradtheory.report`) holds a :class:`NetworkReport`
per network; each holds what the three layers produced, its :class:`Condition` s and the
predicted-vs-measured rows (:class:`Check`). The pipeline that fills them is
:mod:`gradtheory.report.build`; the rules that make the rows are :mod:`gradtheory.report.checks`.
Presentation stays thin: ``to_text``, ``to_latex`` and ``_repr_html_`` hand off to
:mod:`gradtheory.report.render`, ``write`` to :mod:`gradtheory.report.files`, ``plot`` to
:mod:`gradtheory.plotting`, each imported on first use; those modules import this one, never the
pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import sympy as sp

from .._json import finite_or_none
from ..network import ElmanNetwork
from ..simulate import LagProfile, LyapunovSpectrum, RateFit, TemporalContributions
from ..spectral import MeanFieldPrediction, SpectralReport, TrajectoryBound
from ..symbolic import Derivation

if TYPE_CHECKING:
    from ..plotting._common import Figure  # matplotlib stays behind plotting/

__all__ = ["DERIVED", "STATUSES", "Check", "Condition", "NetworkReport", "Report"]

#: Parameters whose derivations the report summarises.
DERIVED = ("W_hh", "W_xh", "W_y")
#: Status of a row: certified rows ``pass``/``fail``; expected estimates ``match``/``mismatch``;
#: estimates whose assumptions do not hold, or that have no measurement, ``not expected``.
STATUSES = ("pass", "fail", "match", "mismatch", "not expected")


@dataclass(frozen=True, kw_only=True, slots=True)
class Check:
    """One row of the predicted-vs-measured table.

    Attributes
    ----------
    name : str
        Key of the row in :data:`gradtheory.report.CHECKS`.
    title : str
        What is compared, in plain ASCII.
    kind : {"certified", "estimate"}
        A theorem that must hold, or an approximate theory.
    predicted : float or None
        The prediction (a log-norm at ``lag``, or a per-step log-rate).
    measured : float or None
        The measurement in the same unit (None when there is none, e.g. no exponential rate).
    tolerance : float
        Certified: allowed excess of measured over predicted. Estimate: allowed
        ``|measured - predicted|``.
    expected : bool
        Whether the theory's assumptions hold here (always True for certified rows).
    status : str
        One of :data:`STATUSES`.
    reason : str
        Where the tolerance comes from, or why the row is not expected to match.
    lag : int or None
        The lag shown, for lag-wise rows (the one closest to violation).
    """

    name: str
    title: str
    kind: str
    predicted: float | None
    measured: float | None
    tolerance: float
    expected: bool
    status: str
    reason: str
    lag: int | None = None

    @property
    def difference(self) -> float | None:
        """``measured - predicted`` (None if either is missing)."""
        if self.predicted is None or self.measured is None:
            return None
        return self.measured - self.predicted

    @property
    def failed(self) -> bool:
        """True for a certified row that does not hold, or an expected estimate off by more
        than its tolerance."""
        return self.status in ("fail", "mismatch")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready row (``None`` for a missing or infinite number, never NaN).

        Returns
        -------
        dict
            ``name``, ``title``, ``kind``, ``predicted``, ``measured``, ``difference``,
            ``tolerance``, ``expected``, ``status``, ``reason``, ``lag``.
        """
        numbers = {key: finite_or_none(getattr(self, key))
                   for key in ("predicted", "measured", "difference", "tolerance")}
        return {"name": self.name, "title": self.title, "kind": self.kind, **numbers,
                "expected": self.expected, "status": self.status, "reason": self.reason,
                "lag": self.lag}


@dataclass(frozen=True, kw_only=True, slots=True)
class Condition:
    """A vanishing or exploding condition, symbolic and with the network's numbers.

    Attributes
    ----------
    name : {"vanishing", "exploding"}
        Which regime.
    role : str
        ``"sufficient"`` (vanishing, γσ_max < 1), ``"necessary"`` (exploding, γσ_max > 1), or
        ``"if and only if"`` (linear network, ρ).
    relation : sympy.core.relational.Relational
        The condition in symbols, e.g. ``gamma*sigma_max < 1``.
    substituted : sympy.core.relational.Relational
        The same with the numbers in, unevaluated (e.g. ``1.0*0.9812 < 1``).
    holds : bool
        Its truth value, from the exact (unrounded) numbers.
    """

    name: str
    role: str
    relation: sp.core.relational.Relational
    substituted: sp.core.relational.Relational
    holds: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``name``, ``role``, ``relation``, ``substituted`` (strings), ``holds``.

        Returns
        -------
        dict
            The condition.
        """
        return {"name": self.name, "role": self.role, "relation": sp.sstr(self.relation),
                "substituted": sp.sstr(self.substituted), "holds": self.holds}


@dataclass(frozen=True, kw_only=True, slots=True)
class NetworkReport:
    """Everything the report found for one network.

    Attributes
    ----------
    network : ElmanNetwork
        The network.
    derivations : Mapping[str, Derivation]
        Structured derivations of :math:`\\partial E_t/\\partial\\theta` for :data:`DERIVED`
        (a symbolic t; ``.accumulation`` holds the factor counts by lag).
    conditions : tuple of Condition
        Vanishing and exploding conditions with the numbers substituted.
    spectral : SpectralReport
        From :math:`W_{hh}` alone.
    mean_field : MeanFieldPrediction
        At the realised gain, input drive and bias (whether it should apply: see ``checks``).
    profile : LagProfile
        The lag profile on the simulated trajectory.
    fit_spectral, fit_frobenius : RateFit
        Fitted rates of :math:`\\ln\\|P_L\\|_2` and of the RMS singular value.
    lyapunov : LyapunovSpectrum
        Top exponents on the same trajectory.
    trajectory_bound : TrajectoryBound
        Certified per-step norms on the same trajectory.
    contributions : TemporalContributions
        Per-lag gradient contributions of the loss at the last contribution step.
    checks : tuple of Check
        The predicted-vs-measured rows.
    """

    network: ElmanNetwork
    derivations: MappingProxyType[str, Derivation]
    conditions: tuple[Condition, ...]
    spectral: SpectralReport
    mean_field: MeanFieldPrediction
    profile: LagProfile
    fit_spectral: RateFit
    fit_frobenius: RateFit
    lyapunov: LyapunovSpectrum
    trajectory_bound: TrajectoryBound
    contributions: TemporalContributions
    checks: tuple[Check, ...]

    @property
    def label(self) -> str:
        """The network's name, or ``network <n_hidden>`` when it has none."""
        return self.network.name or f"network (n={self.network.n_hidden})"

    @property
    def passed(self) -> bool:
        """True when every certified row holds."""
        return all(c.status != "fail" for c in self.checks)

    def __repr__(self) -> str:
        return (f"NetworkReport({self.label!r}, regime={self.spectral.regime!r}, "
                f"lyapunov_max={self.lyapunov.lyapunov_max:.4g}, passed={self.passed})")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (see ``gradtheory/report/report.schema.json``).

        Returns
        -------
        dict
            ``network``, ``accumulation``, ``conditions``, ``spectral``, ``mean_field``,
            ``measured`` (rates, exponents, the lag profile), ``checks``.
        """
        lyap = self.lyapunov
        return {
            "network": self.network.summary(),
            "accumulation": {p: d.accumulation.to_dict() for p, d in self.derivations.items()},
            "conditions": [c.to_dict() for c in self.conditions],
            "spectral": self.spectral.to_dict(),
            "mean_field": self.mean_field.to_dict(),
            "measured": {
                "rate_spectral": self.fit_spectral.to_dict(),
                "rate_rms": self.fit_frobenius.to_dict(),
                "lyapunov_exponents": lyap.to_dict()["exponents"],
                "lyapunov_max": finite_or_none(lyap.lyapunov_max),
                "lyapunov_stderr": finite_or_none(float(lyap.stderr[0])),
                "trajectory_log_rate": finite_or_none(self.trajectory_bound.log_rate),
                "lag_profile": self.profile.to_dict(),
            },
            "checks": [c.to_dict() for c in self.checks],
        }

    def plot(self, *, fig: Figure | None = None) -> Figure:
        """Draw this network's summary figure (:func:`gradtheory.plot_summary`).

        Parameters
        ----------
        fig : matplotlib.figure.Figure or None, optional
            An empty figure to draw in; default a new one.

        Returns
        -------
        matplotlib.figure.Figure
            Lag profile with both bounds and the fit, the W_hh / W_xh contributions, the
            eigenvalues, the singular values and the Lyapunov spectrum.
        """
        from ..plotting import plot_summary

        return plot_summary(self.profile, self.network, bounds=self.spectral,
                            trajectory_bound=self.trajectory_bound, spectrum=self.lyapunov,
                            contributions=self.contributions, fig=fig)


@dataclass(frozen=True, kw_only=True, slots=True)
class Report:
    """The report on several networks: per-network results and how it was run.

    Attributes
    ----------
    networks : tuple of NetworkReport
        One entry per network, in the order given.
    n_steps : int
        Steps T simulated.
    input_std : float
        Std of the i.i.d. Gaussian inputs.
    seed : int or None
        The integer seed, when ``rng`` was one (the report then repeats exactly).
    """

    networks: tuple[NetworkReport, ...]
    n_steps: int
    input_std: float
    seed: int | None

    @property
    def passed(self) -> bool:
        """True when every certified bound holds on every network."""
        return all(nr.passed for nr in self.networks)

    @property
    def checks(self) -> tuple[tuple[str, Check], ...]:
        """Every row as ``(network label, check)``, networks in order."""
        return tuple((nr.label, c) for nr in self.networks for c in nr.checks)

    def __len__(self) -> int:
        return len(self.networks)

    def __getitem__(self, index: int) -> NetworkReport:
        return self.networks[index]

    def __repr__(self) -> str:
        return (f"Report({len(self.networks)} network(s), n_steps={self.n_steps}, "
                f"input_std={self.input_std:g}, passed={self.passed})")

    def to_dict(self) -> dict[str, Any]:
        """One JSON document, valid against ``gradtheory/report/report.schema.json``.

        Returns
        -------
        dict
            ``gradtheory_version``, ``n_steps``, ``input_std``, ``seed``, ``passed``,
            ``summary`` (counts of each status) and ``networks``.
        """
        from .. import __version__

        counts = {status: 0 for status in ("pass", "fail", "match", "mismatch", "not expected")}
        for _, c in self.checks:
            counts[c.status] += 1
        return {"gradtheory_version": __version__, "n_steps": self.n_steps,
                "input_std": self.input_std, "seed": self.seed, "passed": self.passed,
                "summary": counts, "networks": [nr.to_dict() for nr in self.networks]}

    def to_text(self) -> str:
        """The terminal report (fits 100 columns).

        Returns
        -------
        str
            Derivation summary, spectral table, measured rates and the checks.
        """
        from .render import text

        return text(self)

    def to_latex(self) -> str:
        """A standalone LaTeX document with the report's tables (compiles with pdflatex).

        Returns
        -------
        str
            The ``.tex`` source.
        """
        from .render import latex_document

        return latex_document(self)

    def _repr_html_(self) -> str:
        from .render import html

        return html(self)

    def plot(self, *, fig: Figure | None = None) -> Figure:
        """Draw the report's summary figure: one lag-profile panel per network.

        Each panel shows the measured :math:`\\ln\\|P_L\\|_2` and RMS curves, the global bound
        :math:`L\\ln(\\gamma\\sigma_{\\max})`, the trajectory bound and the fitted rate; the
        per-network figures are :meth:`NetworkReport.plot`.

        Parameters
        ----------
        fig : matplotlib.figure.Figure or None, optional
            An empty figure to draw in; default a new one.

        Returns
        -------
        matplotlib.figure.Figure
            The figure.
        """
        from ..plotting import plot_lag_profiles

        return plot_lag_profiles([nr.profile for nr in self.networks],
                                 bounds=[nr.spectral for nr in self.networks],
                                 trajectory_bounds=[nr.trajectory_bound for nr in self.networks],
                                 titles=[f"{nr.label}: {nr.spectral.regime.replace('_', ' ')}"
                                         for nr in self.networks], fig=fig)

    def write(self, out_dir: Any, *, progress: bool = False) -> tuple[Any, ...]:
        """Write the figures (PNG and SVG), the LaTeX documents and ``report.json``.

        Parameters
        ----------
        out_dir : str or os.PathLike
            The folder; created (with its parents) if missing.
        progress : bool, optional
            Show a progress bar on stderr, as :func:`report` does; default False.

        Returns
        -------
        tuple of pathlib.Path
            Every file written.

        Raises
        ------
        ValidationError
            If ``out_dir`` exists and is not a folder.
        """
        from .files import write_report

        return write_report(self, out_dir, progress=progress)
