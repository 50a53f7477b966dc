r"""The step Jacobian of a gated cell as a structured operator: diagonal blocks plus gates
times one recurrent matrix.

A gated cell's state is S blocks of n units, :math:`s = (s_0, \dots, s_{S-1})` with
:math:`s_0 = h` the block the recurrent weights read (LSTM: :math:`s = (h, c)`, S = 2; GRU:
:math:`s = h`, S = 1). Its G gate pre-activations (LSTM: i, f, g, o; GRU: r, z, n) depend on
:math:`h` through one stacked matrix :math:`W` of shape (G n, n), so the one-step Jacobian is

.. math::

    J = D + B\,W\,P_h, \qquad
    (J\,\delta)_s = \sum_{g} b_{s,g} \odot (W\delta_h)_g + \sum_{s'} d_{s,s'} \odot \delta_{s'},

with :math:`P_h` the projection on the h-block, :math:`B` made of diagonal blocks
:math:`\operatorname{diag}(b_{s,g})` (how gate g's pre-activation moves state block s) and
:math:`D` of diagonal blocks :math:`\operatorname{diag}(d_{s,s'})` (the direct, weight-free
paths, e.g. the LSTM's :math:`\partial c_t/\partial c_{t-1} = \operatorname{diag}(f_t)`).
Every product costs one product with W (or :math:`W^\top`) plus O(S G n) elementwise work; the
transpose of a vector through the same coefficients, :math:`B^\top a`, is the adjoint of the
gate pre-activations, which is what a cell's ``param_vjp`` needs too.

Batches: ``b`` has shape batch + (S, G, n), ``d`` batch + (S, S, n) and ``W`` prefix + (G n, n)
with ``prefix`` a leading part of ``batch``, as for :mod:`gradtheory.cells.operators`.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["GatedJacobian", "TransposedJacobian"]


class GatedJacobian:
    r""":math:`J = D + B\,W\,P_h` (see the module docstring).

    Parameters
    ----------
    b : numpy.ndarray, shape batch + (S, G, n)
        Gate coefficients :math:`b_{s,g}`.
    d : numpy.ndarray, shape batch + (S, S, n)
        Direct diagonal paths :math:`d_{s,s'}`.
    W : numpy.ndarray, shape prefix + (G n, n)
        The stacked recurrent weights (gate blocks in order).

    Examples
    --------
    >>> import numpy as np
    >>> W = np.arange(4.0).reshape(2, 2)                  # G = 1 gate, n = 2
    >>> J = GatedJacobian(np.ones((1, 1, 2)), np.full((1, 1, 2), 0.5), W)
    >>> J.dense()                                          # 0.5 I + W
    array([[0.5, 1. ],
           [2. , 3.5]])
    """

    __slots__ = ("W", "b", "d")

    def __init__(self, b: np.ndarray, d: np.ndarray, W: np.ndarray) -> None:
        self.b = b
        self.d = d
        self.W = W

    # ------------------------------------------------------------------ shapes and indexing
    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The batch axes."""
        return tuple(self.b.shape[:-3])

    @property
    def size(self) -> int:
        """N = S n, the state size."""
        S, _, n = self.b.shape[-3:]
        return int(S * n)

    def _Wb(self) -> np.ndarray:
        extra = (self.b.ndim - 3) - (self.W.ndim - 2)
        return self.W[(Ellipsis,) + (None,) * extra + (slice(None), slice(None))] \
            if extra else self.W

    def step(self, k: int) -> GatedJacobian:
        """The operators at index k of the last batch axis (W is shared along it).

        Parameters
        ----------
        k : int
            Index along the last batch axis.

        Returns
        -------
        GatedJacobian
            The batch without its last axis.
        """
        return GatedJacobian(self.b[..., k, :, :, :], self.d[..., k, :, :, :], self.W)

    def network(self, b: int) -> GatedJacobian:
        """The operators of network b of a batch.

        Parameters
        ----------
        b : int
            Network index (first batch axis of the coefficients and of W).

        Returns
        -------
        GatedJacobian
            Network b's stack.
        """
        return GatedJacobian(self.b[b], self.d[b], self.W[b])

    def gather(self, b: np.ndarray, t: np.ndarray) -> GatedJacobian:
        """Operators for index arrays ``b`` (networks, (S,)) and ``t`` (steps, (S, ...)).

        Parameters
        ----------
        b : numpy.ndarray of int, shape (S,)
            Network of each sample (all zeros for one network's stack).
        t : numpy.ndarray of int
            Steps of each sample, shape (S, ...).

        Returns
        -------
        GatedJacobian
            Batch axes ``t.shape``, with a (S, G n, n) stack of matrices.
        """
        b = np.asarray(b)
        if self.W.ndim == 2:
            W = np.ascontiguousarray(np.broadcast_to(self.W, (b.size, *self.W.shape)))
            return GatedJacobian(self.b[t], self.d[t], W)
        index = b.reshape((-1,) + (1,) * (np.ndim(t) - 1))
        return GatedJacobian(self.b[index, t], self.d[index, t], self.W[b])

    # ------------------------------------------------------------------ products
    def _split(self, v: np.ndarray) -> np.ndarray:
        S, _, n = self.b.shape[-3:]
        return v.reshape(*v.shape[:-1], S, n)

    def matvec(self, v: np.ndarray) -> np.ndarray:
        """J v.

        Parameters
        ----------
        v : numpy.ndarray, shape batch + (N,) or (N,)
            Vectors.

        Returns
        -------
        numpy.ndarray
            J v, shape batch + (N,).
        """
        S, G, n = self.b.shape[-3:]
        vb = self._split(v)
        z = np.matmul(self._Wb(), vb[..., 0, :, None])[..., 0].reshape(*vb.shape[:-2], G, n)
        y = np.einsum("...sgn,...gn->...sn", self.b, z) \
            + np.einsum("...stn,...tn->...sn", self.d, vb)
        return y.reshape(*y.shape[:-2], S * n)

    def gate_adjoint(self, a: np.ndarray) -> np.ndarray:
        r""":math:`B^\top a`: the adjoint of the gate pre-activations, shape batch + (G n,).

        Parameters
        ----------
        a : numpy.ndarray, shape batch + (N,)
            An adjoint of the state (e.g. :math:`\delta_t = \partial E/\partial s_t`).

        Returns
        -------
        numpy.ndarray
            :math:`\bar z_g = \sum_s b_{s,g} \odot a_s`, gate blocks in order.
        """
        zbar = np.einsum("...sgn,...sn->...gn", self.b, self._split(a))
        return zbar.reshape(*zbar.shape[:-2], -1)

    def rmatvec(self, v: np.ndarray) -> np.ndarray:
        """Jᵀ v (what BPTT applies to the error signal).

        Parameters
        ----------
        v : numpy.ndarray, shape batch + (N,) or (N,)
            Vectors.

        Returns
        -------
        numpy.ndarray
            Jᵀ v, shape batch + (N,).
        """
        S, _, n = self.b.shape[-3:]
        ab = self._split(v)
        out = np.einsum("...stn,...sn->...tn", self.d, ab)
        through_W = np.matmul(np.swapaxes(self._Wb(), -1, -2),
                              self.gate_adjoint(v)[..., None])[..., 0]
        out[..., 0, :] += through_W
        return out.reshape(*out.shape[:-2], S * n)

    def matmat(self, Q: np.ndarray) -> np.ndarray:
        """J Q, column by column.

        Parameters
        ----------
        Q : numpy.ndarray, shape batch + (N, k)
            Blocks of columns.

        Returns
        -------
        numpy.ndarray
            J Q.
        """
        return np.swapaxes(self._columns(np.swapaxes(Q, -1, -2), "matvec"), -1, -2)

    def rmatmat(self, Q: np.ndarray) -> np.ndarray:
        """Jᵀ Q, column by column.

        Parameters
        ----------
        Q : numpy.ndarray, shape batch + (N, k)
            Blocks of columns.

        Returns
        -------
        numpy.ndarray
            Jᵀ Q.
        """
        return np.swapaxes(self._columns(np.swapaxes(Q, -1, -2), "rmatvec"), -1, -2)

    def _columns(self, rows: np.ndarray, method: str) -> np.ndarray:
        """``matvec`` or ``rmatvec`` of each row of (…, k, N): the batch axes gain a k axis."""
        expanded = GatedJacobian(self.b[..., None, :, :, :], self.d[..., None, :, :, :],
                                 self.W if self.W.ndim == 2 else self.W[..., None, :, :])
        result: np.ndarray = getattr(expanded, method)(rows)
        return result

    def lmatmat(self, R: np.ndarray, out: np.ndarray | None = None,
                work: np.ndarray | None = None) -> np.ndarray:
        """R J for row blocks (as ``(Jᵀ Rᵀ)ᵀ``).

        Parameters
        ----------
        R : numpy.ndarray, shape batch + (k, N)
            Row blocks.
        out : numpy.ndarray or None, optional
            Where to write the result (may be R).
        work : numpy.ndarray or None, optional
            Unused (the interface of the diagonal operators).

        Returns
        -------
        numpy.ndarray
            R J.
        """
        result = self._columns(R, "rmatvec")
        if out is None:
            return result
        out[...] = result
        return out

    @property
    def T(self) -> TransposedJacobian:
        """The transposed operators Jᵀ."""
        return TransposedJacobian(self)

    def dense(self) -> np.ndarray:
        """The operators as arrays, shape batch + (N, N) (memory N² per operator).

        Returns
        -------
        numpy.ndarray
            :math:`D + B W P_h`.
        """
        S, G, n = self.b.shape[-3:]
        Wg = self._Wb().reshape(*self._Wb().shape[:-2], G, n, n)         # prefix + (G, n, n)
        BW = np.einsum("...sgi,...gij->...sij", self.b, Wg)               # batch + (S, n, n)
        out = np.zeros((*self.batch_shape, S, n, S, n))
        eye = np.eye(n)
        out += np.einsum("...stn,nm->...sntm", self.d, eye)
        out[..., :, :, 0, :] += BW
        return out.reshape(*self.batch_shape, S * n, S * n)

    # ------------------------------------------------------------------ scalars
    def mean_log_abs_det(self, start: int = 0) -> np.ndarray:
        """Mean over the last batch axis (from ``start``) of log|det J| (dense determinants).

        Parameters
        ----------
        start : int, optional
            First index averaged (default 0).

        Returns
        -------
        numpy.ndarray
            Shape: the batch axes but the last.
        """
        dense = self.dense()[..., start:, :, :]
        sign, logdet = np.linalg.slogdet(dense)
        return np.where(sign != 0, logdet, -np.inf).mean(axis=-1)

    def log_norm_bound(self) -> np.ndarray:
        """log ‖J‖₂ of every operator from dense singular values (an SVD per operator, to a
        few Nε relative; -inf for a zero operator).

        Returns
        -------
        numpy.ndarray
            Shape ``batch_shape``.
        """
        sv = np.linalg.svd(self.dense(), compute_uv=False)[..., 0]
        out = np.full(sv.shape, -math.inf)
        np.log(sv, out=out, where=sv > 0)
        return out

    def norm_bound(self) -> np.ndarray:
        """‖J‖₂ of every operator (see :meth:`log_norm_bound`).

        Returns
        -------
        numpy.ndarray
            Shape ``batch_shape``.
        """
        return np.linalg.svd(self.dense(), compute_uv=False)[..., 0]

    def log_singular_lower_bound(self) -> np.ndarray:
        """log σ_min(J) from dense singular values (-inf when singular).

        Returns
        -------
        numpy.ndarray
            Shape ``batch_shape``.
        """
        sv = np.linalg.svd(self.dense(), compute_uv=False)[..., -1]
        out = np.full(sv.shape, -math.inf)
        np.log(sv, out=out, where=sv > 0)
        return out

    def __repr__(self) -> str:
        S, G, n = self.b.shape[-3:]
        return f"GatedJacobian(S={S}, G={G}, n={n}, batch_shape={self.batch_shape})"


class TransposedJacobian:
    """Jᵀ of any step-Jacobian operator, by exchanging its products.

    Parameters
    ----------
    op : StepJacobian
        The operator J.
    """

    __slots__ = ("op",)

    def __init__(self, op: GatedJacobian) -> None:
        self.op = op

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The batch axes of J."""
        return self.op.batch_shape

    @property
    def size(self) -> int:
        """N."""
        return self.op.size

    def matvec(self, v: np.ndarray) -> np.ndarray:
        """Jᵀ v.

        Parameters
        ----------
        v : numpy.ndarray
            Vectors.

        Returns
        -------
        numpy.ndarray
            Jᵀ v.
        """
        return self.op.rmatvec(v)

    def rmatvec(self, v: np.ndarray) -> np.ndarray:
        """J v.

        Parameters
        ----------
        v : numpy.ndarray
            Vectors.

        Returns
        -------
        numpy.ndarray
            J v.
        """
        return self.op.matvec(v)

    def matmat(self, Q: np.ndarray) -> np.ndarray:
        """Jᵀ Q.

        Parameters
        ----------
        Q : numpy.ndarray
            Blocks of columns.

        Returns
        -------
        numpy.ndarray
            Jᵀ Q.
        """
        return self.op.rmatmat(Q)

    def rmatmat(self, Q: np.ndarray) -> np.ndarray:
        """J Q.

        Parameters
        ----------
        Q : numpy.ndarray
            Blocks of columns.

        Returns
        -------
        numpy.ndarray
            J Q.
        """
        return self.op.matmat(Q)

    def lmatmat(self, R: np.ndarray, out: np.ndarray | None = None,
                work: np.ndarray | None = None) -> np.ndarray:
        """R Jᵀ = (J Rᵀ)ᵀ.

        Parameters
        ----------
        R : numpy.ndarray, shape batch + (k, N)
            Row blocks.
        out : numpy.ndarray or None, optional
            Where to write the result.
        work : numpy.ndarray or None, optional
            Unused.

        Returns
        -------
        numpy.ndarray
            R Jᵀ.
        """
        result = np.swapaxes(self.op.matmat(np.swapaxes(R, -1, -2)), -1, -2)
        if out is None:
            return result
        out[...] = result
        return out

    @property
    def T(self) -> GatedJacobian:
        """J itself."""
        return self.op

    def step(self, k: int) -> TransposedJacobian:
        """Index k of the last batch axis.

        Parameters
        ----------
        k : int
            Index.

        Returns
        -------
        TransposedJacobian
            The transposes of J's step k.
        """
        return TransposedJacobian(self.op.step(k))

    def dense(self) -> np.ndarray:
        """Jᵀ as arrays.

        Returns
        -------
        numpy.ndarray
            Shape batch + (N, N).
        """
        return np.swapaxes(self.op.dense(), -1, -2)
