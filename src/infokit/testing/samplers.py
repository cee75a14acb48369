r"""Ground-truth samplers: distributions whose mutual information is known in closed form.

The shapes follow the BMI ("Beyond Normal") benchmark of Czyż et al. (2023) [1]_: correlated Gaussians
(dense and sparse "2-pair"), multivariate Student-t (Gaussian MI plus a correction term), additive uniform
noise, a Bernoulli + Gaussian mixture, and invertible transforms of them (normal CDF, half-cube, asinh,
spiral, wiggly), which leave the MI unchanged (:math:`I(f(X); g(Y)) = I(X; Y)` for injective smooth
``f, g``). Dimensions go from 1×1 to 25×25.

Each :class:`Task` has ``name``, ``sample(n, random_state) -> (x, y)`` (numpy arrays of shape
``(n, dim_x)`` and ``(n, dim_y)``), ``mutual_information`` (nats), ``dim_x``, ``dim_y`` and ``kind``
(``"continuous"`` or ``"mixed"``: x discrete). :func:`tasks` lists them; :func:`get_task` finds one by name.

References
----------
.. [1] Czyż, P., Grabowski, F., Vogt, J. E., Beerenwinkel, N. & Marx, A. (2023). Beyond Normal: On the
   Evaluation of Mutual Information Estimators. NeurIPS 36. arXiv:2306.11078
.. [2] Arellano-Valle, R. B., Contreras-Reyes, J. E. & Genton, M. G. (2013). Shannon entropy and mutual
   information for multivariate skew-elliptical distributions. Scand. J. Stat. 40(1), 42–62.
   doi:10.1111/j.1467-9469.2011.00774.x

Examples
--------
A bivariate normal with correlation ρ = 0.75 has :math:`I = -\tfrac12\log(1-\rho^2) = 0.4133` nats:

>>> from infokit.testing.samplers import get_task
>>> t = get_task("normal-1v1-0.75")
>>> round(t.mutual_information, 4)
0.4133
>>> x, y = t.sample(100, random_state=0)
>>> x.shape, y.shape
((100, 1), (100, 1))
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy import integrate, special, stats

from .._validation import check_positive_int, check_random_state
from ..exceptions import InvalidParameterError

__all__ = [
    "Task",
    "tasks",
    "get_task",
    "gaussian_mi",
    "student_t_mi_correction",
    "additive_uniform_mi",
    "bernoulli_gaussian_mi",
    "dense_covariance",
    "sparse_covariance",
]


@dataclass(frozen=True)
class Task:
    """A sampler with known mutual information (nats)."""

    name: str
    mutual_information: float
    dim_x: int
    dim_y: int
    kind: str = "continuous"
    description: str = ""
    _sampler: Callable = field(default=None, repr=False, compare=False)

    def sample(self, n: int, random_state=None):
        """Draw ``n`` paired rows: ``(x, y)`` of shapes ``(n, dim_x)``, ``(n, dim_y)``.

        ``x`` is int64 for ``kind="mixed"`` tasks (a discrete variable), float64 otherwise.
        """
        n = check_positive_int(n, "n")
        rng = check_random_state(random_state)
        x, y = self._sampler(n, rng)
        return x, y


# --------------------------------------------------------------------------------------------- closed forms
def gaussian_mi(cov: np.ndarray, dim_x: int) -> float:
    r"""MI of a jointly Gaussian (X, Y) with covariance ``cov`` (X = first ``dim_x`` coordinates):
    :math:`\tfrac12[\log\det\Sigma_{XX} + \log\det\Sigma_{YY} - \log\det\Sigma]`."""
    cov = np.asarray(cov, dtype=np.float64)
    ld = lambda m: np.linalg.slogdet(m)[1]  # noqa: E731
    return float(0.5 * (ld(cov[:dim_x, :dim_x]) + ld(cov[dim_x:, dim_x:]) - ld(cov)))


def student_t_mi_correction(dof: float, dim_x: int, dim_y: int) -> float:
    r"""MI of a multivariate Student-t minus the MI of the Gaussian with the same dispersion [2]_:

    .. math::
        c = \log\frac{\Gamma(\frac\nu2)\Gamma(\frac{\nu+m+k}2)}{\Gamma(\frac{\nu+m}2)\Gamma(\frac{\nu+k}2)}
            + \tfrac{\nu+m}{2}\psi(\tfrac{\nu+m}{2}) + \tfrac{\nu+k}{2}\psi(\tfrac{\nu+k}{2})
            - \tfrac{\nu}{2}\psi(\tfrac{\nu}{2}) - \tfrac{\nu+m+k}{2}\psi(\tfrac{\nu+m+k}{2})

    with :math:`m` = ``dim_x``, :math:`k` = ``dim_y``. Positive: heavy shared tails carry information
    even when the dispersion matrix is the identity. Tends to 0 as ``dof`` → ∞ (the Gaussian limit).
    """
    nu = float(dof)
    g = lambda d: (nu + d) / 2 * special.digamma((nu + d) / 2)  # noqa: E731
    lg = lambda d: special.gammaln((nu + d) / 2)  # noqa: E731
    return float(lg(0) + lg(dim_x + dim_y) - lg(dim_x) - lg(dim_y) + g(dim_x) + g(dim_y) - g(0) - g(dim_x + dim_y))


def additive_uniform_mi(eps: float) -> float:
    r"""MI of X ~ U(0, 1) and Y = X + N, N ~ U(−ε, ε): :math:`I = h(Y) - \log 2\varepsilon`.

    Y has a trapezoidal density; integrating :math:`-f\log f` over its two linear ramps gives
    :math:`I = \varepsilon - \log 2\varepsilon` for :math:`2\varepsilon \le 1` and :math:`I = 1/(4\varepsilon)`
    for :math:`2\varepsilon \ge 1` (both equal :math:`1/2` at :math:`\varepsilon = 1/2`).
    """
    eps = float(eps)
    return eps - math.log(2 * eps) if 2 * eps <= 1 else 1.0 / (4 * eps)


@functools.lru_cache(maxsize=None)
def bernoulli_gaussian_mi(p: float = 0.5, shift: float = 1.0, sigma: float = 1.0) -> float:
    r"""MI of X ~ Bernoulli(p) and Y = shift·X + N(0, σ²), by numerical integration:
    :math:`I = h(Y) - \tfrac12\log(2\pi e\sigma^2)` with :math:`h(Y) = -\int f\log f`,
    :math:`f = (1-p)\,\varphi_\sigma(y) + p\,\varphi_\sigma(y - \text{shift})` (0.11142 nats for the defaults).
    """

    def integrand(y):
        f = (1 - p) * stats.norm.pdf(y, 0, sigma) + p * stats.norm.pdf(y, shift, sigma)
        return -f * math.log(f) if f > 0 else 0.0

    lo, hi = min(0.0, shift) - 12 * sigma, max(0.0, shift) + 12 * sigma
    h_y, _ = integrate.quad(integrand, lo, hi, points=[0.0, shift], limit=200, epsabs=1e-13, epsrel=1e-12)
    return float(h_y - 0.5 * math.log(2 * math.pi * math.e * sigma**2))


def dense_covariance(dim_x: int, dim_y: int, rho: float = 0.5) -> np.ndarray:
    """Unit variances and every off-diagonal entry ``rho`` (BMI "multinormal-dense")."""
    d = dim_x + dim_y
    return np.full((d, d), rho) + (1 - rho) * np.eye(d)


def sparse_covariance(dim_x: int, dim_y: int, n_pairs: int = 2, rho: float = 0.8) -> np.ndarray:
    """Identity except ``n_pairs`` pairs (X_i, Y_i) with correlation ``rho`` (BMI "multinormal-sparse":
    MI = −n_pairs/2·log(1 − rho²) = 1.0217 nats for two pairs at 0.8, whatever the dimension)."""
    d = dim_x + dim_y
    cov = np.eye(d)
    for i in range(min(n_pairs, dim_x, dim_y)):
        cov[i, dim_x + i] = cov[dim_x + i, i] = rho
    return cov


# --------------------------------------------------------------------------------------------- samplers
def _gaussian_sampler(cov, dim_x):
    chol = np.linalg.cholesky(cov)

    def sample(n, rng):
        z = rng.standard_normal((n, cov.shape[0])) @ chol.T
        return z[:, :dim_x], z[:, dim_x:]

    return sample


def _student_sampler(cov, dim_x, dof):
    chol = np.linalg.cholesky(cov)

    def sample(n, rng):
        z = rng.standard_normal((n, cov.shape[0])) @ chol.T
        w = rng.chisquare(dof, size=(n, 1))
        t = z / np.sqrt(w / dof)  # one mixing variable per row: X and Y share the heavy tail
        return t[:, :dim_x], t[:, dim_x:]

    return sample


def _additive_sampler(dim, eps):
    def sample(n, rng):
        x = rng.random((n, dim))
        return x, x + rng.uniform(-eps, eps, size=(n, dim))

    return sample


def _bernoulli_sampler(p, shift, sigma):
    def sample(n, rng):
        x = (rng.random((n, 1)) < p).astype(np.int64)
        return x, shift * x + sigma * rng.standard_normal((n, 1))

    return sample


# invertible transforms (applied column-wise or row-wise; all strictly monotone / bijective)
def _normal_cdf(a):
    return special.ndtr(a)


def _half_cube(a):
    return np.sign(a) * np.abs(a) ** 1.5


def _asinh(a):
    return np.arcsinh(a)


def _wiggly(a):
    # derivative 1 + 0.5 cos(2a) + 0.3 cos(3a + 1) >= 0.2 > 0: strictly increasing
    return a + 0.25 * np.sin(2 * a) + 0.1 * np.sin(3 * a + 1)


def _spiral(a, speed=2.0):
    """Rotate each row in the plane of its first two coordinates by speed·|row|²/d (norm-preserving, so the
    angle is recoverable from the output: a bijection). Dividing by the dimension d keeps the typical twist
    at about ``speed`` radians whatever d."""
    if a.shape[1] < 2:
        raise InvalidParameterError("the spiral transform needs at least 2 dimensions")
    theta = speed * np.sum(a * a, axis=1) / a.shape[1]
    c, s = np.cos(theta), np.sin(theta)
    out = a.copy()
    out[:, 0] = c * a[:, 0] - s * a[:, 1]
    out[:, 1] = s * a[:, 0] + c * a[:, 1]
    return out


_TRANSFORMS = {"normal_cdf": _normal_cdf, "half_cube": _half_cube, "asinh": _asinh, "wiggly": _wiggly,
               "spiral": _spiral}


def _transformed(sampler, transform):
    f = _TRANSFORMS[transform]

    def sample(n, rng):
        x, y = sampler(n, rng)
        return f(x), f(y)

    return sample


# --------------------------------------------------------------------------------------------- task list
def _task(name, mi, dx, dy, sampler, kind="continuous", description=""):
    return Task(name=name, mutual_information=float(mi), dim_x=dx, dim_y=dy, kind=kind,
                description=description, _sampler=sampler)


@functools.lru_cache(maxsize=1)
def _all_tasks():
    out = []
    # 1×1
    cov = dense_covariance(1, 1, 0.75)
    mi = gaussian_mi(cov, 1)
    g = _gaussian_sampler(cov, 1)
    out.append(_task("normal-1v1-0.75", mi, 1, 1, g, description="bivariate normal, rho = 0.75"))
    for tr in ("normal_cdf", "half_cube", "wiggly", "asinh"):
        out.append(_task(f"{tr}-normal-1v1-0.75", mi, 1, 1, _transformed(g, tr),
                         description=f"{tr} of both margins of the bivariate normal"))
    for eps in (0.1, 0.75):
        out.append(_task(f"additive-1v1-{eps}", additive_uniform_mi(eps), 1, 1, _additive_sampler(1, eps),
                         description=f"X ~ U(0,1), Y = X + U(-{eps}, {eps})"))
    st = _student_sampler(np.eye(2), 1, 1)
    c11 = student_t_mi_correction(1, 1, 1)
    out.append(_task("student-identity-1-1-1", c11, 1, 1, st, description="Student-t, dof 1, identity dispersion"))
    out.append(_task("asinh-student-identity-1-1-1", c11, 1, 1, _transformed(st, "asinh"),
                     description="asinh of the Student-t margins"))
    out.append(_task("bernoulli-gaussian", bernoulli_gaussian_mi(0.5, 1.0, 1.0), 1, 1,
                     _bernoulli_sampler(0.5, 1.0, 1.0), kind="mixed",
                     description="X ~ Bernoulli(1/2), Y = X + N(0, 1) (MI by quadrature)"))
    # multivariate
    for d in (2, 3, 5, 25):
        cov = dense_covariance(d, d, 0.5)
        out.append(_task(f"multinormal-dense-{d}-{d}-0.5", gaussian_mi(cov, d), d, d, _gaussian_sampler(cov, d),
                         description="all correlations 0.5"))
    for d in (2, 3, 5, 25):
        cov = sparse_covariance(d, d, 2, 0.8)
        out.append(_task(f"multinormal-sparse-{d}-{d}-2-0.8", gaussian_mi(cov, d), d, d, _gaussian_sampler(cov, d),
                         description="two pairs with correlation 0.8, other coordinates independent"))
    for d in (3, 5):
        out.append(_task(f"additive-{d}v{d}-0.5", d * additive_uniform_mi(0.5), d, d, _additive_sampler(d, 0.5),
                         description="independent coordinates X_i ~ U(0,1), Y_i = X_i + U(-0.5, 0.5)"))
    for d, dof in ((2, 1), (2, 2), (3, 2), (3, 3), (5, 2), (5, 3)):
        out.append(_task(f"student-identity-{d}-{d}-{dof}", student_t_mi_correction(dof, d, d), d, d,
                         _student_sampler(np.eye(2 * d), d, dof), description=f"Student-t, dof {dof}"))
    for tr in ("normal_cdf", "half_cube", "spiral"):
        for d in (3, 5, 25):
            cov = sparse_covariance(d, d, 2, 0.8)
            out.append(_task(f"{tr}-multinormal-sparse-{d}-{d}-2-0.8", gaussian_mi(cov, d), d, d,
                             _transformed(_gaussian_sampler(cov, d), tr),
                             description=f"{tr} of the sparse multinormal"))
    for d, dof in ((2, 1), (3, 2), (5, 2)):
        out.append(_task(f"asinh-student-identity-{d}-{d}-{dof}", student_t_mi_correction(dof, d, d), d, d,
                         _transformed(_student_sampler(np.eye(2 * d), d, dof), "asinh"),
                         description=f"asinh of Student-t margins, dof {dof}"))
    return tuple(out)


def tasks(*, max_dim: int | None = None, kind: str | None = None, multivariate: bool | None = None) -> list:
    """All ground-truth tasks, optionally filtered.

    Parameters
    ----------
    max_dim : int, optional
        Keep tasks with ``max(dim_x, dim_y) <= max_dim``.
    kind : {"continuous", "mixed"}, optional
    multivariate : bool, optional
        True: only tasks with ``dim_x > 1`` or ``dim_y > 1``; False: only 1×1 tasks.
    """
    out = list(_all_tasks())
    if max_dim is not None:
        out = [t for t in out if max(t.dim_x, t.dim_y) <= max_dim]
    if kind is not None:
        out = [t for t in out if t.kind == kind]
    if multivariate is not None:
        out = [t for t in out if (max(t.dim_x, t.dim_y) > 1) == bool(multivariate)]
    return out


def get_task(name: str) -> Task:
    """The task called ``name`` (see :func:`tasks`)."""
    for t in _all_tasks():
        if t.name == name:
            return t
    names = ", ".join(repr(t.name) for t in _all_tasks())
    raise InvalidParameterError(f"`name` must be one of {{{names}}}; got {name!r}")
