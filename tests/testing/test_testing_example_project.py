"""A user's project, outside this repository, that knows gradtheory only through its public
API: pytest finds the plugin by its entry point, the fixtures build networks, the assertions
pass or fail with a message naming the violated bound and the lag."""

import subprocess
import sys
import textwrap

USER_TESTS = '''
import numpy as np
from gradtheory.testing import assert_lag_profile_within, assert_not_exploding, assert_vanishing


def test_vanishing_init_keeps_gradients_below_one(rnn_factory):
    net = rnn_factory("vanishing", n_hidden=16)
    assert_vanishing(net)
    assert_lag_profile_within(net, upper=1.0, n_steps=200, input_std=1.0)


def test_exploding_init_stays_within_10x_over_500_steps(rnn_factory):  # fails on purpose
    net = rnn_factory("exploding", n_hidden=16)
    assert_not_exploding(net, max_growth=10.0, n_steps=500)
'''


def test_example_project_passes_one_test_and_explains_the_other(tmp_path):
    project = tmp_path / "my_rnn_project"
    (project / "tests").mkdir(parents=True)
    (project / "tests" / "test_my_rnn.py").write_text(textwrap.dedent(USER_TESTS))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error",
         "tests"], cwd=project, capture_output=True, text=True, timeout=300, check=False)
    out = result.stdout
    assert result.returncode == 1, out
    assert "1 failed, 1 passed" in out
    assert "GradientAssertionError: gradients may explode" in out
    assert "exceeds max_growth = 10 at lag L = " in out
    assert "test_exploding_init_stays_within_10x_over_500_steps" in out
