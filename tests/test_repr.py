"""Result objects print short: scalars in full, long arrays as dtype and shape."""

import gradtheory as gt


def test_results_holding_long_arrays_have_short_reprs():
    net = gt.ElmanNetwork.random(16, gain=0.9, rng=0)
    traj = gt.simulate(net, 400, input_std=1.0, rng=0)
    results = [traj, gt.lag_profile(traj), gt.lyapunov(net, 400, input_std=1.0, rng=0),
               gt.transient_growth(net.W_hh), gt.trajectory_bound(net.W_hh, traj.a)]
    for result in results:
        text = repr(result)
        assert len(text) < 1500, (type(result).__name__, len(text))
        assert text.startswith(type(result).__name__ + "(")
    assert "a=<float64 array (400, 16)>" in repr(traj)
