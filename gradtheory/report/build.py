r"""The main job: derivation, prediction and measurement side by side for each network.

For every network :func:`report` runs the three layers on one shared trajectory and keeps
what each says:

* **symbolic**: the structured derivations of :math:`\partial E_t/\partial\theta` for
  :math:`W_{hh}`, :math:`W_{xh}` and :math:`W_y` (their factor counts by lag), and the
  conditions :math:`\gamma\sigma_{\max} < 1` (sufficient for vanishing) and
  :math:`\gamma\sigma_{\max} > 1` (necessary for exploding) as SymPy relations with the
  network's numbers substituted (:math:`\rho \lessgtr 1` for a linear network);
* **spectral**: :func:`~gradtheory.bounds` (ρ, σ_max, γ, the verdict, :math:`\ln(\gamma
  \sigma_{\max})`, the transient gain), the mean-field prediction at the realised gain
  :math:`\|W_{hh}\|_F/\sqrt n`, input drive and bias, and the trajectory-aware bound on the
  simulated trajectory;
* **simulate**: one run of T steps with i.i.d. Gaussian inputs of std s; on it the lag profile
  :math:`\ln\|\partial h_T/\partial h_{T-L}\|` (spectral and RMS, fitted rates), the top
  Lyapunov exponents (QR method, the same inputs, no burn-in) and the per-lag gradient
  contributions of the last ``CONTRIBUTION_STEPS`` steps;

then the predicted-vs-measured table of :mod:`.checks`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from .. import _validate
from .._json import finite_or_none
from ..errors import InputTypeError
from ..network import ElmanNetwork, default_networks
from ..simulate import (
    LagProfile,
    LyapunovSpectrum,
    RateFit,
    TemporalContributions,
    lag_profile,
    lyapunov,
    simulate,
    temporal_contributions,
)
from ..spectral import (
    MeanFieldPrediction,
    SpectralReport,
    TrajectoryBound,
    bounds,
    mean_field,
    trajectory_bound,
)
from ..symbolic import (
    Derivation,
    derive,
    exploding_condition,
    linear_conditions,
    vanishing_condition,
)
from ..symbolic.conditions import gamma, rho, sigma_max
from ._progress import progress_bar
from .checks import Check, Evidence, run_checks

if TYPE_CHECKING:
    from ..plotting._common import Figure  # matplotlib stays behind plotting/

__all__ = ["CONTRIBUTION_STEPS", "DERIVED", "MAX_EXPONENTS", "REPORT_GAINS", "Condition",
           "NetworkReport", "Report", "report"]

#: Gains of the default report. With unit input drive the edge of chaos of a tanh network is
#: at g_c = 1.856 (``critical_gain(input_std=1)``), not at 1, so 0.4 (σ_max ≈ 0.8: vanishing
#: guaranteed), 1.86 (near-critical) and 3 (λ_max ≈ +0.23: exploding) show the three regimes.
REPORT_GAINS = (0.4, 1.86, 3.0)
#: Parameters whose derivations the report summarises.
DERIVED = ("W_hh", "W_xh", "W_y")
#: Steps of the loss whose per-lag contributions are split out (lags 0..200).
CONTRIBUTION_STEPS = 200
#: At most this many Lyapunov exponents (the top ones) are computed.
MAX_EXPONENTS = 64
_STAGES = ("derive", "bounds", "simulate", "lag profile", "lyapunov", "contributions", "checks")


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


def _conditions(spec: SpectralReport) -> tuple[Condition, ...]:
    if spec.linear:
        rels = linear_conditions()
        values = {rho: spec.rho}
        roles = {"vanishing": "if and only if", "exploding": "if and only if"}
    else:
        rels = {"vanishing": vanishing_condition(), "exploding": exploding_condition()}
        values = {gamma: spec.gamma, sigma_max: spec.sigma_max}
        roles = {"vanishing": "sufficient", "exploding": "necessary"}
    shown = {sym: sp.Float(v, 4) for sym, v in values.items()}
    out = []
    for name, rel in rels.items():
        with sp.evaluate(False):
            substituted = rel.subs(shown)
        out.append(Condition(name=name, role=roles[name], relation=rel,
                             substituted=substituted, holds=bool(rel.subs(values))))
    return tuple(out)


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


def _networks(networks: Any) -> tuple[ElmanNetwork, ...]:
    if networks is None:
        return default_networks(gains=REPORT_GAINS)
    if isinstance(networks, ElmanNetwork):
        return (networks,)
    if isinstance(networks, Sequence) and not isinstance(networks, str) and networks:
        for i, net in enumerate(networks):
            if not isinstance(net, ElmanNetwork):
                raise _validate.fail(f"networks[{i}]", "an ElmanNetwork",
                                     _validate.describe(net), cls=InputTypeError)
        return tuple(networks)
    raise _validate.fail("networks", "an ElmanNetwork, a non-empty sequence of them, or None",
                         _validate.describe(networks), cls=InputTypeError)


def _input_drive(net: ElmanNetwork, input_std: float) -> tuple[float, float]:
    r"""(σ_u, σ_b): std of each unit's input drive :math:`(W_{xh}x)_i` and of its bias."""
    sigma_u = input_std * math.sqrt(float(np.mean(np.sum(net.W_xh**2, axis=1))))
    return sigma_u, math.sqrt(float(np.mean(net.b_h**2)))


def report(networks: ElmanNetwork | Sequence[ElmanNetwork] | None = None, *,
           n_steps: int = 1000, input_std: float = 1.0,
           rng: np.random.Generator | int | None = 0, progress: bool = False) -> Report:
    r"""Derive, predict and measure the gradients of each network; compare them.

    Parameters
    ----------
    networks : ElmanNetwork or sequence of ElmanNetwork or None, optional
        The networks. ``None`` (default): the embedded 64-unit tanh network (seed 0) at the
        gains :data:`REPORT_GAINS`, vanishing, near-critical and exploding with unit input.
    n_steps : int, optional
        Steps T to simulate (default 1000); lags 1..T are measured.
    input_std : float, optional
        Std s of the i.i.d. Gaussian inputs :math:`x_t \sim N(0, s^2 I)` (default 1).
    rng : numpy.random.Generator or int or None, optional
        Randomness (default seed 0: the report repeats exactly). One stream, drawn network
        by network: its T inputs, then the direction of the lag profile's directional curve.
    progress : bool, optional
        Show a progress bar on stderr (tqdm, from the ``progress`` extra) for runs longer than
        a second; default False.

    Returns
    -------
    Report
        ``.networks[i]`` holds each layer's results and the checks; ``.passed`` is False if
        a certified bound failed. ``to_text``, ``to_dict``, ``to_latex``, ``plot`` and
        ``write`` present it.

    Raises
    ------
    ValidationError
        On a non-positive ``n_steps`` (at least 3, to fit a rate) or a negative ``input_std``.
    InputTypeError
        On something that is not a network.

    See Also
    --------
    gradtheory.bounds, gradtheory.lag_profile, gradtheory.lyapunov, gradtheory.derive

    Notes
    -----
    The certified rows (global bound, trajectory bound, Lyapunov exponent below the mean
    log-norm) are theorems: a ``fail`` is a bug or a numerical breakdown. The estimates carry
    the tolerances of :mod:`gradtheory.report.checks`. Cost per network: an SVD and the
    powers of W for the transient (:math:`O(n^3)` each), a trajectory bound with one
    :math:`n\times n` eigen-solve per step, the lag profile and the Lyapunov QR
    (:math:`O(Tn^3)` and :math:`O(Tn^2k)`); about 1.5 s for n = 64 and T = 1000.

    References
    ----------
    Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent
    neural networks. ICML.

    Examples
    --------
    >>> import gradtheory as gt
    >>> r = gt.report(gt.ElmanNetwork.random(16, gain=0.5, rng=1), n_steps=200)
    >>> r.passed, [c.status for c in r[0].checks][:3]
    (True, ['pass', 'pass', 'pass'])
    >>> r[0].derivations["W_xh"].accumulation.to_dict()["counts"]["W_hh"]
    ['t - k']
    """
    nets = _networks(networks)
    T = _validate.positive_int(n_steps, "n_steps")
    if T < 3:
        raise _validate.fail("n_steps", "at least 3 steps (a rate needs 3 lags)", repr(T))
    s = _validate.real_number(input_std, "input_std", minimum=0.0)
    seed = rng if isinstance(rng, int) and not isinstance(rng, bool) else None
    gen = _validate.rng(rng)
    derivations: dict[tuple[str, str], MappingProxyType[str, Derivation]] = {}
    results = []
    with progress_bar(len(nets) * len(_STAGES), progress, "gradtheory report") as bar:
        def stage(name: str, net: ElmanNetwork) -> None:
            if bar is not None:
                bar.set_postfix_str(f"{net.name or 'network'}: {name}", refresh=False)
                bar.update(1)

        for net in nets:
            key = (net.activation.name, net.form)
            if key not in derivations:
                derivations[key] = MappingProxyType(
                    {p: derive(p, activation=key[0], form=key[1]) for p in DERIVED})
            stage("derive", net)
            spec = bounds(net)
            sigma_u, sigma_b = _input_drive(net, s)
            rms_gain = float(np.linalg.norm(net.W_hh) / math.sqrt(net.n_hidden))
            mf = mean_field(rms_gain, input_std=sigma_u, bias_std=sigma_b,
                            activation=net.activation)
            stage("bounds", net)
            X = s * gen.standard_normal((T, net.n_input))
            traj = simulate(net, T, inputs=X)
            tb = trajectory_bound(net, traj.slope_arguments)
            stage("simulate", net)
            prof = lag_profile(traj, rng=gen)
            stage("lag profile", net)
            lyap = lyapunov(net, T, inputs=X, k=min(net.n_hidden, MAX_EXPONENTS),
                            n_blocks=min(10, T))
            stage("lyapunov", net)
            t_c = min(T, CONTRIBUTION_STEPS)
            contrib = temporal_contributions(net, X[:t_c], np.zeros(net.n_output))
            stage("contributions", net)
            evidence = Evidence(network=net, spectral=spec, mean_field=mf, profile=prof,
                                fit_spectral=prof.fit("spectral"),
                                fit_frobenius=prof.fit("frobenius"), lyapunov=lyap,
                                trajectory_bound=tb, slopes=traj.diag_factors())
            results.append(NetworkReport(
                network=net, derivations=derivations[key], conditions=_conditions(spec),
                spectral=spec, mean_field=mf, profile=prof, fit_spectral=evidence.fit_spectral,
                fit_frobenius=evidence.fit_frobenius, lyapunov=lyap, trajectory_bound=tb,
                contributions=contrib, checks=run_checks(evidence)))
            stage("checks", net)
    return Report(networks=tuple(results), n_steps=T, input_std=s, seed=seed)
