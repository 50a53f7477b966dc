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
  :math:`\|W_{hh}\|_F/\sqrt n`, input drive and bias
  (:func:`~gradtheory.spectral.network_mean_field`, whose χ ``gradtheory bounds`` prints too),
  and the trajectory-aware bound on the simulated trajectory;
* **simulate**: one run of T steps with i.i.d. Gaussian inputs of std s; on it the lag profile
  :math:`\ln\|\partial h_T/\partial h_{T-L}\|` (spectral and RMS, fitted rates), the top
  Lyapunov exponents (QR method, the same inputs, no burn-in) and the per-lag gradient
  contributions of the last ``CONTRIBUTION_STEPS`` steps;

then the predicted-vs-measured table of :mod:`.checks`. The frozen results it returns are
defined in :mod:`.result` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy as sp

from .. import _validate
from ..errors import InputTypeError
from ..network import ElmanNetwork, default_networks
from ..simulate import lag_profile, lyapunov, simulate, temporal_contributions
from ..spectral import SpectralReport, bounds, network_mean_field, trajectory_bound
from ..symbolic import (
    Derivation,
    derive,
    exploding_condition,
    linear_conditions,
    vanishing_condition,
)
from ..symbolic.conditions import gamma, rho, sigma_max
from ._progress import progress_bar
from .checks import Evidence, run_checks
from .result import DERIVED, Condition, NetworkReport, Report

__all__ = ["CONTRIBUTION_STEPS", "DERIVED", "MAX_EXPONENTS", "REPORT_GAINS", "Condition",
           "NetworkReport", "Report", "report"]

#: Gains of the default report. With unit input drive the edge of chaos of a tanh network is
#: at g_c = 1.856 (``critical_gain(input_std=1)``), not at 1, so 0.4 (σ_max ≈ 0.8: vanishing
#: guaranteed), 1.86 (near-critical) and 3 (λ_max ≈ +0.23: exploding) show the three regimes.
REPORT_GAINS = (0.4, 1.86, 3.0)
#: Steps of the loss whose per-lag contributions are split out (lags 0..200).
CONTRIBUTION_STEPS = 200
#: At most this many Lyapunov exponents (the top ones) are computed.
MAX_EXPONENTS = 64
_STAGES = ("derive", "bounds", "simulate", "lag profile", "lyapunov", "contributions", "checks")


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


def report(networks: ElmanNetwork | Sequence[ElmanNetwork] | None = None, *,
           n_steps: int = 1000, input_std: float = 1.0,
           rng: Any = 0, progress: bool = False) -> Report:
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
    rng : numpy.random.Generator, int, SeedSequence, BitGenerator or None, optional
        Randomness (default seed 0: the report repeats exactly). Two independent child
        streams of it (``SeedSequence.spawn``), drawn network by network: one for the T inputs,
        one for the direction of the lag profile's directional curve. Neither repeats the
        stream that ``default_rng(seed)`` gives, from which the default networks' weights come.
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
    input_rng, direction_rng = _validate.streams(rng, 2)
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
            mf = network_mean_field(net, input_std=s)
            stage("bounds", net)
            X = s * input_rng.standard_normal((T, net.n_input))
            traj = simulate(net, T, inputs=X)
            tb = trajectory_bound(traj)
            stage("simulate", net)
            prof = lag_profile(traj, rng=direction_rng)
            stage("lag profile", net)
            lyap = lyapunov(traj, k=min(net.n_hidden, MAX_EXPONENTS), n_blocks=min(10, T))
            stage("lyapunov", net)
            t_c = min(T, CONTRIBUTION_STEPS)
            contrib = temporal_contributions(traj, targets=np.zeros(net.n_output), t=t_c)
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
