r"""Step Jacobians as structured operators: :math:`J_t = \partial s_t/\partial s_{t-1}`
applied, never formed unless asked.

A layer that needs :math:`J Q`, :math:`J^\top Q`, :math:`R J` or a certified bound on
:math:`\|J\|_2` asks the operator (like :class:`scipy.sparse.linalg.LinearOperator`), so it never
needs to know whether the cell's Jacobian is :math:`\operatorname{diag}(d)\,W` (Elman),
:math:`W\operatorname{diag}(d)` (Pascanu form) or the blocks of a gated cell.

**Batches.** An operator holds a stack of Jacobians over *batch axes*: the diagonal factor
``d`` has shape ``batch + (n,)`` and the matrix ``W`` has shape ``prefix + (n, n)``, where
``prefix`` is a leading part of ``batch`` (e.g. one network's W for all T steps: ``d`` (T, n),
``W`` (n, n); a batch of B networks: ``d`` (B, T, n), ``W`` (B, n, n)). Operands carry the same
batch axes in front (or none, for a single operator).

**Exactness.** Each method performs exactly the floating-point operations of the plain NumPy
expression in its docstring, in that order, so a refactored layer reproduces its earlier
results bit for bit.
"""

from __future__ import annotations

import math
from typing import ClassVar, Protocol, runtime_checkable

import numpy as np

__all__ = ["DiagTimesMatrix", "MatrixTimesDiag", "StepJacobian"]


@runtime_checkable
class StepJacobian(Protocol):
    """What every step-Jacobian operator offers (batched over leading axes).

    ``matvec(v)`` (J v), ``rmatvec(v)`` (Jᵀ v), ``matmat(Q)`` (J Q), ``rmatmat(Q)`` (Jᵀ Q),
    ``lmatmat(R)`` (R J, for stacks of row blocks), ``T`` (the transposed operator),
    ``step(k)`` (index k of the last batch axis), ``network(b)`` (network b of a batch),
    ``gather(b, t)`` (the (network, step) pairs of index arrays), ``mean_log_abs_det()``,
    ``log_norm_bound()`` and ``norm_bound()`` (upper bounds on ‖J‖₂) and ``dense()``.
    """

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The batch axes (the stack of operators held)."""

    @property
    def size(self) -> int:
        """N: each operator is N × N (N the state size)."""

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

    def rmatvec(self, v: np.ndarray) -> np.ndarray:
        """Jᵀ v (what BPTT applies to the error signal δ).

        Parameters
        ----------
        v : numpy.ndarray, shape batch + (N,) or (N,)
            Vectors.

        Returns
        -------
        numpy.ndarray
            Jᵀ v, shape batch + (N,).
        """

    def matmat(self, Q: np.ndarray) -> np.ndarray:
        """J Q (what the QR method of Lyapunov exponents applies to its frame).

        Parameters
        ----------
        Q : numpy.ndarray, shape batch + (N, k) or (N, k)
            Blocks of columns.

        Returns
        -------
        numpy.ndarray
            J Q.
        """

    def rmatmat(self, Q: np.ndarray) -> np.ndarray:
        """Jᵀ Q.

        Parameters
        ----------
        Q : numpy.ndarray, shape batch + (N, k) or (N, k)
            Blocks of columns.

        Returns
        -------
        numpy.ndarray
            Jᵀ Q.
        """

    def lmatmat(self, R: np.ndarray, out: np.ndarray | None = None,
                work: np.ndarray | None = None) -> np.ndarray:
        """R J, for stacks of row blocks (the running product of a lag profile).

        Parameters
        ----------
        R : numpy.ndarray, shape batch + (k, N)
            Row blocks.
        out : numpy.ndarray or None, optional
            Where to write the result (may be R itself).
        work : numpy.ndarray or None, optional
            Scratch space of R's shape.

        Returns
        -------
        numpy.ndarray
            R J.
        """

    @property
    def T(self) -> StepJacobian:
        """The transposed operators Jᵀ."""

    def step(self, k: int) -> StepJacobian:
        """The operators at index k of the last batch axis (one time step of a stack).

        Parameters
        ----------
        k : int
            Index along the last batch axis.

        Returns
        -------
        StepJacobian
            The batch without its last axis.
        """

    def network(self, b: int) -> StepJacobian:
        """The operators of network b of a batch (index b of the first batch axis).

        Parameters
        ----------
        b : int
            Network index.

        Returns
        -------
        StepJacobian
            Network b's stack.
        """

    def gather(self, b: np.ndarray, t: np.ndarray) -> StepJacobian:
        """The operators of (network, step) index pairs.

        Parameters
        ----------
        b : numpy.ndarray of int, shape (S,)
            Network of each sample (all zeros for one network's stack).
        t : numpy.ndarray of int, shape (S, L)
            Steps of each sample.

        Returns
        -------
        StepJacobian
            Batch axes (S, L).
        """

    def mean_log_abs_det(self, start: int = 0) -> np.ndarray:
        """Mean of log|det J| over the last batch axis, from index ``start``.

        Parameters
        ----------
        start : int, optional
            First index averaged (default 0).

        Returns
        -------
        numpy.ndarray
            Shape: the batch axes but the last (``-inf`` for a singular factor).
        """

    def log_norm_bound(self) -> np.ndarray:
        """log of an upper bound on ‖J‖₂ for every operator (no under- or overflow).

        Returns
        -------
        numpy.ndarray
            Shape ``batch_shape``.
        """

    def norm_bound(self) -> np.ndarray:
        """An upper bound on ‖J‖₂ for every operator.

        Returns
        -------
        numpy.ndarray
            Shape ``batch_shape``.
        """

    def log_singular_lower_bound(self) -> np.ndarray:
        """log of a lower bound on σ_min(J) for every operator (``-inf`` when trivial).

        Returns
        -------
        numpy.ndarray
            Shape ``batch_shape``.
        """

    def dense(self) -> np.ndarray:
        """The operators as arrays (memory: the batch times N²; only when asked).

        Returns
        -------
        numpy.ndarray
            Shape batch + (N, N).
        """


class _DiagScaled:
    """diag(d)·W and W·diag(d): one class, two rows (``LEFT``), one transposing into the other."""

    __slots__ = ("W", "d")
    #: Whether the diagonal factor is on the left (diag(d) W) or the right (W diag(d)).
    LEFT: ClassVar[bool] = True
    #: The row of the transposed operator.
    TRANSPOSE: ClassVar[type[_DiagScaled]]

    def __init__(self, d: np.ndarray, W: np.ndarray) -> None:
        self.d = d
        self.W = W

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The batch axes (those of ``d`` before its last axis)."""
        return tuple(self.d.shape[:-1])

    @property
    def size(self) -> int:
        """n: the operators are n × n."""
        return int(self.d.shape[-1])

    def _Wb(self) -> np.ndarray:
        """W with size-1 axes inserted so it broadcasts against ``d``'s batch axes."""
        extra = (self.d.ndim - 1) - (self.W.ndim - 2)
        return self.W[(Ellipsis,) + (None,) * extra + (slice(None), slice(None))] \
            if extra else self.W

    def step(self, k: int) -> _DiagScaled:
        """The operators at index k of the last batch axis (W is shared along it)."""
        return type(self)(self.d[..., k, :], self.W)

    def network(self, b: int) -> _DiagScaled:
        """The operators of network b of a batch (the first batch axis of both d and W)."""
        return type(self)(self.d[b], self.W[b])

    def mean_log_abs_det(self, start: int = 0) -> np.ndarray:
        r"""Mean over the last batch axis (from index ``start``) of :math:`\log|\det J|`.

        :math:`\log|\det J_t| = \sum_i \log|d_{t,i}| + \log|\det W|` (``-inf`` for a singular
        factor); shape: the batch axes but the last.
        """
        a = np.abs(self.d[..., start:, :])
        log_d = np.full(a.shape, -np.inf)
        np.log(a, out=log_d, where=a > 0)
        sign, logdet_W = np.linalg.slogdet(self.W)
        return log_d.sum(axis=-1).mean(axis=-1) + np.where(sign != 0, logdet_W, -np.inf)

    def gather(self, b: np.ndarray, t: np.ndarray) -> _DiagScaled:
        """Operators for index arrays ``b`` (networks, shape (S,)) and ``t`` (steps, (S, ...)).

        The result has batch axes ``t.shape`` and a (S, n, n) stack of matrices, contiguous.
        For an operator of one network (batch axes (T,)), ``b`` must be all zeros.
        """
        b = np.asarray(b)
        if self.W.ndim == 2:
            W = np.ascontiguousarray(np.broadcast_to(self.W, (b.size, *self.W.shape)))
            d = self.d[t]
        else:
            W = self.W[b]
            d = self.d[b.reshape((-1,) + (1,) * (np.ndim(t) - 1)), t]
        return type(self)(d, W)

    def log_norm_bound(self) -> np.ndarray:
        r""":math:`\log\|J\|_2` for every operator of the batch, computed without under- or
        overflow.

        :math:`\|\operatorname{diag}(d)W\|_2^2 = \lambda_{\max}(D\,WW^\top D)` and
        :math:`\|W\operatorname{diag}(d)\|_2^2 = \lambda_{\max}(D\,W^\top W D)`; d is scaled to
        max |d| = 1 and W to norm 1 first. The symmetric eigensolver's relative error is a few
        nε, so this is a bound to within that relative error (an estimate at the last digits,
        not an enclosure). Only for a W shared by the whole batch (``W.ndim == 2``).
        """
        W, D = self.W, np.abs(self.d).reshape(-1, self.size)
        sigma = float(np.linalg.norm(W, 2))
        out = np.full(D.shape[0], -math.inf)
        if sigma == 0.0:
            return out.reshape(self.batch_shape)
        Wn = W / sigma
        G = self._gram(Wn)
        scale = np.max(np.abs(D), axis=1)
        live = np.flatnonzero(scale > 0)
        chunk = max(1, 2**22 // (W.shape[0] ** 2))
        for start in range(0, live.size, chunk):
            rows = live[start:start + chunk]
            d = D[rows] / scale[rows, None]
            lam = np.linalg.eigvalsh(d[:, :, None] * G[None] * d[:, None, :])[:, -1]
            with np.errstate(divide="ignore"):
                out[rows] = (np.log(scale[rows]) + math.log(sigma)
                             + 0.5 * np.log(np.maximum(lam, 0)))
        return out.reshape(self.batch_shape)

    def log_singular_lower_bound(self) -> np.ndarray:
        r""":math:`\log(\min_i|d_i|\,\sigma_{\min}(W)) \le \log\sigma_{\min}(J)` for every
        operator of the batch (``-inf`` when trivial); only for a shared W (``W.ndim == 2``)."""
        D = np.abs(self.d)
        s_min = float(np.linalg.svd(self.W, compute_uv=False)[-1])
        with np.errstate(divide="ignore"):
            return np.log(np.min(D, axis=-1)) + (math.log(s_min) if s_min > 0 else -math.inf)

    def norm_bound(self) -> np.ndarray:
        r""":math:`\|J\|_2` (see :meth:`log_norm_bound`); 0 or inf outside float range."""
        with np.errstate(over="ignore"):
            return np.exp(self.log_norm_bound())

    # Each product below is the row's own sequence of NumPy operations (LEFT: diag(d) W;
    # otherwise W diag(d)), so results are bit-identical to the plain expressions.
    def _times_W(self, v: np.ndarray) -> np.ndarray:
        if self.W.ndim == 2:
            return self.W @ v
        return np.matmul(self._Wb(), v[..., None])[..., 0]

    def _times_WT(self, v: np.ndarray) -> np.ndarray:
        if self.W.ndim == 2:
            return self.W.T @ v
        return np.matmul(np.swapaxes(self._Wb(), -1, -2), v[..., None])[..., 0]

    def matvec(self, v: np.ndarray) -> np.ndarray:
        """J v: ``d * (W @ v)`` (diag(d) W) or ``W @ (d * v)`` (W diag(d)).

        Parameters
        ----------
        v : numpy.ndarray, shape batch + (n,) or (n,)
            Vectors.

        Returns
        -------
        numpy.ndarray
            J v.
        """
        return self.d * self._times_W(v) if self.LEFT else self._times_W(self.d * v)

    def rmatvec(self, v: np.ndarray) -> np.ndarray:
        """Jᵀ v: ``W.T @ (d * v)`` (diag(d) W) or ``d * (W.T @ v)`` (W diag(d)).

        Parameters
        ----------
        v : numpy.ndarray, shape batch + (n,) or (n,)
            Vectors.

        Returns
        -------
        numpy.ndarray
            Jᵀ v.
        """
        return self._times_WT(self.d * v) if self.LEFT else self.d * self._times_WT(v)

    def matmat(self, Q: np.ndarray) -> np.ndarray:
        """J Q: ``d[..., :, None] * (W @ Q)`` or ``W @ (d[..., :, None] * Q)``.

        Parameters
        ----------
        Q : numpy.ndarray, shape batch + (n, k) or (n, k)
            Blocks of columns.

        Returns
        -------
        numpy.ndarray
            J Q.
        """
        d = self.d[..., :, None]
        return d * np.matmul(self._Wb(), Q) if self.LEFT else np.matmul(self._Wb(), d * Q)

    def rmatmat(self, Q: np.ndarray) -> np.ndarray:
        """Jᵀ Q: ``W.T @ (d[..., :, None] * Q)`` or ``d[..., :, None] * (W.T @ Q)``.

        Parameters
        ----------
        Q : numpy.ndarray, shape batch + (n, k) or (n, k)
            Blocks of columns.

        Returns
        -------
        numpy.ndarray
            Jᵀ Q.
        """
        d, WT = self.d[..., :, None], np.swapaxes(self._Wb(), -1, -2)
        return np.matmul(WT, d * Q) if self.LEFT else d * np.matmul(WT, Q)

    def lmatmat(self, R: np.ndarray, out: np.ndarray | None = None,
                work: np.ndarray | None = None) -> np.ndarray:
        """R J: ``(R * d[..., None, :]) @ W`` or ``(R @ W) * d[..., None, :]``.

        Parameters
        ----------
        R : numpy.ndarray, shape batch + (k, n)
            Row blocks.
        out : numpy.ndarray or None, optional
            Result buffer (may be R).
        work : numpy.ndarray or None, optional
            Scratch space of R's shape (the intermediate product).

        Returns
        -------
        numpy.ndarray
            R J.
        """
        d = self.d[..., None, :]
        if self.LEFT:
            return np.matmul(np.multiply(R, d, out=work), self._Wb(), out=out)
        return np.multiply(np.matmul(R, self._Wb(), out=work), d, out=out)

    @property
    def T(self) -> _DiagScaled:
        """:math:`J^\\top`: the other row, with a contiguous copy of :math:`W^\\top`."""
        return self.TRANSPOSE(self.d, np.ascontiguousarray(np.swapaxes(self.W, -1, -2)))

    def dense(self) -> np.ndarray:
        """The operators as arrays: ``d[..., :, None] * W`` or ``W * d[..., None, :]``.

        Returns
        -------
        numpy.ndarray
            Shape batch + (n, n).
        """
        return self.d[..., :, None] * self._Wb() if self.LEFT else self._Wb() * self.d[..., None, :]

    def _gram(self, Wn: np.ndarray) -> np.ndarray:
        """The Gram matrix whose diagonal scaling has the squared norm as top eigenvalue."""
        return Wn @ Wn.T if self.LEFT else Wn.T @ Wn

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(n={self.size}, batch_shape={self.batch_shape})")


class DiagTimesMatrix(_DiagScaled):
    r""":math:`J = \operatorname{diag}(d)\,W` (the Elman cell: :math:`d = f'(a_t)`).

    Parameters
    ----------
    d : numpy.ndarray, shape batch + (n,)
        The diagonal factors.
    W : numpy.ndarray, shape prefix + (n, n)
        The matrix (``prefix`` a leading part of ``batch``).

    Examples
    --------
    >>> import numpy as np
    >>> J = DiagTimesMatrix(np.array([1.0, 0.5]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> J.dense()
    array([[1. , 2. ],
           [1.5, 2. ]])
    >>> bool(np.allclose(J.rmatvec(np.ones(2)), J.dense().T @ np.ones(2)))
    True
    """

    __slots__ = ()
    LEFT: ClassVar[bool] = True


class MatrixTimesDiag(_DiagScaled):
    r""":math:`J = W\operatorname{diag}(d)` (the Pascanu form: :math:`d = f'(h_{t-1})`).

    Parameters
    ----------
    d : numpy.ndarray, shape batch + (n,)
        The diagonal factors.
    W : numpy.ndarray, shape prefix + (n, n)
        The matrix (``prefix`` a leading part of ``batch``).

    Examples
    --------
    >>> import numpy as np
    >>> J = MatrixTimesDiag(np.array([1.0, 0.5]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> J.dense()
    array([[1., 1.],
           [3., 2.]])
    """

    __slots__ = ()
    LEFT: ClassVar[bool] = False


DiagTimesMatrix.TRANSPOSE = MatrixTimesDiag
MatrixTimesDiag.TRANSPOSE = DiagTimesMatrix
