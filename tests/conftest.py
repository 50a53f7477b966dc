"""Suite-wide settings: one BLAS thread per test, and the Agg backend for matplotlib.

The suite's matrices are small; on a shared 2-core machine a multithreaded BLAS pool loses
orders of magnitude to contention (see gradtheory/_threads.py), and tests that set their own
limit (``n_threads=``) still get exactly what they ask for inside that limit's block.
"""

import os

import pytest
from threadpoolctl import threadpool_limits

# Figures (CLI --plot, notebooks) render off-screen whatever the machine's display.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _single_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield
