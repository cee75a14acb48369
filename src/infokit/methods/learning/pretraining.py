r"""The provable advantage of unsupervised pretraining [1]_: MLE pretraining on unlabelled data, then ERM on
a few labels, against supervised learning alone.

The framework of [1]_: unlabelled :math:`x_1,\dots,x_m \sim p_{\phi^*}(x)` from a latent-variable model
:math:`p_\phi(x, z)`; labelled pairs :math:`(x_j, y_j)`, :math:`j \le n`, with :math:`y` depending on the latent
:math:`z`. Step 1 fits :math:`\hat\phi` by maximum likelihood on the unlabelled data; step 2 fits the downstream
map by ERM through the learned representation (here :math:`\mathbb E_{\hat\phi}[z\mid x]`). Under the paper's
κ-informative condition the excess risk is :math:`\tilde O(\sqrt{C_\Phi/m} + \sqrt{C_\Psi/n})` against
:math:`\tilde O(\sqrt{C_{\Phi\circ\Psi}/n})` for supervised learning alone.

Two of the paper's examples are implemented with their Bayes predictors:

* :class:`FactorModel` — :math:`x = Bz + \sigma\varepsilon`, :math:`z\sim N(0, I_r)`, :math:`y = \beta^\top z +
  \sigma_y\eta`. Pretraining is the probabilistic-PCA MLE (Tipping & Bishop [2]_, :func:`fit_ppca`); ERM is
  least squares on :math:`\hat{\mathbb E}[z\mid x]`. Bayes predictor :math:`\beta^\top B^\top(BB^\top +
  \sigma^2 I)^{-1}x`, Bayes risk :math:`\sigma_y^2 + \beta^\top(I - B^\top(BB^\top+\sigma^2 I)^{-1}B)\beta`.
* :class:`GaussianMixtureModel` — :math:`z` uniform over K components, :math:`x\mid z \sim N(\mu_z, I)`,
  :math:`y = z`. Pretraining is EM for the means (:func:`fit_gaussian_mixture_em`); ERM assigns a label to each
  learned component by majority vote of the labelled points. Supervised baseline: nearest class mean
  estimated from the labelled points alone.

:func:`excess_risk_curve` runs the simulation over n and returns the table.

References
----------
.. [1] Ge, J., Tang, S., Fan, J., Jin, C. (2024). On the provable advantage of unsupervised pretraining.
   ICLR 2024. arXiv:2303.01566.
.. [2] Tipping, M. E., Bishop, C. M. (1999). Probabilistic principal component analysis. JRSS B 61(3), 611–622.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import logsumexp

from ..._validation import as_float_array, check_nonneg_float, check_positive_int, check_random_state
from ...exceptions import InvalidParameterError, ShapeMismatchError

__all__ = [
    "FactorModel",
    "GaussianMixtureModel",
    "PPCAFit",
    "fit_ppca",
    "fit_gaussian_mixture_em",
    "pretrain_then_erm",
    "supervised_erm",
    "excess_risk_curve",
    "ExcessRiskCurve",
]


def _check_x(x, name, d=None):
    a = as_float_array(x, name)
    if a.ndim != 2:
        raise ShapeMismatchError(f"`{name}` must be a 2-D array (n, d); got shape {a.shape}")
    if d is not None and a.shape[1] != d:
        raise ShapeMismatchError(f"`{name}` must have {d} columns; got {a.shape[1]}")
    if not np.all(np.isfinite(a)):
        raise InvalidParameterError(f"`{name}` holds NaN or inf; drop or impute those rows first")
    return a


# --------------------------------------------------------------------------------------------- factor model
@dataclass(frozen=True)
class FactorModel:
    """Linear factor model :math:`x = Bz + \\sigma\\varepsilon`, :math:`y = \\beta^\\top z + \\sigma_y\\eta`."""

    loadings: np.ndarray          # B, shape (d, r)
    beta: np.ndarray              # shape (r,)
    sigma: float = 1.0
    sigma_y: float = 0.5

    @classmethod
    def random(cls, d=50, r=3, *, sigma=1.0, sigma_y=0.5, scale=None, random_state=None) -> "FactorModel":
        """Loadings with i.i.d. N(0, scale²) entries (scale = 1 by default) and β ~ N(0, I_r)."""
        d, r = check_positive_int(d, "d"), check_positive_int(r, "r")
        if r > d:
            raise InvalidParameterError(f"`r` (latent dimension) must be <= `d`; got r={r}, d={d}")
        rng = check_random_state(random_state)
        s = 1.0 if scale is None else check_nonneg_float(scale, "scale", strict=True)
        B = rng.normal(0.0, s, (d, r))
        beta = rng.normal(size=r)
        return cls(B, beta, check_nonneg_float(sigma, "sigma", strict=True), check_nonneg_float(sigma_y, "sigma_y"))

    @property
    def d(self) -> int:
        return self.loadings.shape[0]

    @property
    def r(self) -> int:
        return self.loadings.shape[1]

    def sample(self, n, *, random_state=None):
        """``(x, y, z)`` with n rows."""
        n = check_positive_int(n, "n")
        rng = check_random_state(random_state)
        z = rng.normal(size=(n, self.r))
        x = z @ self.loadings.T + self.sigma * rng.normal(size=(n, self.d))
        y = z @ self.beta + self.sigma_y * rng.normal(size=n)
        return x, y, z

    def _gain(self):
        B = self.loadings
        return np.linalg.solve(B @ B.T + self.sigma ** 2 * np.eye(self.d), B).T   # B^T (BB^T + s^2 I)^{-1}

    def bayes_predict(self, x) -> np.ndarray:
        """:math:`\\mathbb E[y\\mid x] = \\beta^\\top\\mathbb E[z\\mid x]`."""
        x = _check_x(x, "x", self.d)
        return x @ (self._gain().T @ self.beta)

    def bayes_risk(self) -> float:
        """Mean squared error of the Bayes predictor (closed form)."""
        cov_z_given_x = np.eye(self.r) - self._gain() @ self.loadings
        return float(self.sigma_y ** 2 + self.beta @ cov_z_given_x @ self.beta)

    def risk(self, predict, *, n_test=20_000, random_state=None) -> float:
        """Monte Carlo test MSE of a predictor ``predict(x) -> yhat``."""
        x, y, _ = self.sample(n_test, random_state=random_state)
        return float(np.mean((predict(x) - y) ** 2))


@dataclass(frozen=True)
class PPCAFit:
    """Probabilistic-PCA maximum-likelihood fit: loadings W (d, r), noise variance σ², mean μ."""

    loadings: np.ndarray
    noise_variance: float
    mean: np.ndarray

    def posterior_mean(self, x) -> np.ndarray:
        """:math:`\\mathbb E[z\\mid x] = (W^\\top W + \\sigma^2 I)^{-1} W^\\top (x - \\mu)` (Tipping & Bishop Eq. 6)."""
        x = _check_x(x, "x", self.mean.size)
        W = self.loadings
        M = W.T @ W + self.noise_variance * np.eye(W.shape[1])
        return np.linalg.solve(M, W.T @ (x - self.mean).T).T


def fit_ppca(x, r) -> PPCAFit:
    r"""Maximum-likelihood probabilistic PCA (closed form of [2]_, Eqs. 7–8).

    :math:`\hat\sigma^2` is the mean of the :math:`d - r` smallest eigenvalues of the sample covariance and
    :math:`\hat W = U_r(\Lambda_r - \hat\sigma^2 I)^{1/2}` (rotation fixed to the identity).
    """
    x = _check_x(x, "x")
    r = check_positive_int(r, "r")
    n, d = x.shape
    if r >= d:
        raise InvalidParameterError(f"`r` must be < the number of columns ({d}) for PPCA; got {r}")
    if n < 2:
        raise InvalidParameterError(f"`x` needs at least 2 rows; got {n}")
    mu = x.mean(axis=0)
    S = np.cov(x, rowvar=False, bias=True)
    lam, U = np.linalg.eigh(S)
    lam, U = lam[::-1], U[:, ::-1]
    s2 = float(lam[r:].mean())
    W = U[:, :r] * np.sqrt(np.maximum(lam[:r] - s2, 0.0))
    return PPCAFit(W, s2, mu)


class _Linear:
    def __init__(self, coef, intercept, transform=None):
        self.coef, self.intercept, self.transform = coef, intercept, transform

    def __call__(self, x):
        f = x if self.transform is None else self.transform(x)
        return f @ self.coef + self.intercept


def _ols(f, y):
    A = np.column_stack([f, np.ones(len(f))])
    sol, *_ = np.linalg.lstsq(A, y, rcond=None)
    return sol[:-1], sol[-1]


def pretrain_then_erm(x_unlabeled, x, y, r):
    """Factor model: PPCA-MLE on the unlabelled rows, then least squares of y on the posterior mean of z.

    Returns a predictor ``f(x) -> yhat``.
    """
    fit = fit_ppca(x_unlabeled, r)
    x = _check_x(x, "x", fit.mean.size)
    y = as_float_array(y, "y")
    if y.shape != (x.shape[0],):
        raise ShapeMismatchError(f"`y` must have one value per row of `x` ({x.shape[0]}); got shape {y.shape}")
    coef, b = _ols(fit.posterior_mean(x), y)
    return _Linear(coef, b, fit.posterior_mean)


def supervised_erm(x, y):
    """Least squares of y on x (with intercept) from the labelled rows alone (minimum-norm when n <= d)."""
    x = _check_x(x, "x")
    y = as_float_array(y, "y")
    coef, b = _ols(x, y)
    return _Linear(coef, b)


# --------------------------------------------------------------------------------------------- mixture model
@dataclass(frozen=True)
class GaussianMixtureModel:
    """:math:`z` uniform over K components, :math:`x\\mid z\\sim N(\\mu_z, I_d)`, label :math:`y = z`."""

    means: np.ndarray   # (K, d)

    @classmethod
    def random(cls, k=2, d=10, *, separation=3.0, random_state=None) -> "GaussianMixtureModel":
        """Means drawn on a sphere of radius ``separation / 2`` (pairwise distances about ``separation``)."""
        k, d = check_positive_int(k, "k", minimum=2), check_positive_int(d, "d")
        rng = check_random_state(random_state)
        m = rng.normal(size=(k, d))
        m *= (check_nonneg_float(separation, "separation", strict=True) / 2) / np.linalg.norm(m, axis=1, keepdims=True)
        return cls(m)

    def sample(self, n, *, random_state=None):
        n = check_positive_int(n, "n")
        rng = check_random_state(random_state)
        z = rng.integers(0, self.means.shape[0], n)
        return self.means[z] + rng.normal(size=(n, self.means.shape[1])), z, z

    def bayes_predict(self, x):
        x = _check_x(x, "x", self.means.shape[1])
        return np.argmin(((x[:, None, :] - self.means[None]) ** 2).sum(-1), axis=1)

    def error(self, predict, *, n_test=20_000, random_state=None) -> float:
        x, y, _ = self.sample(n_test, random_state=random_state)
        return float(np.mean(predict(x) != y))


def fit_gaussian_mixture_em(x, k, *, n_iter=200, tol=1e-8, random_state=None):
    """EM for the means and weights of a mixture of unit-covariance Gaussians (the model's MLE).

    Initialised by k-means++ seeding. Returns ``(means (k, d), weights (k,))``.
    """
    x = _check_x(x, "x")
    k = check_positive_int(k, "k")
    rng = check_random_state(random_state)
    n = x.shape[0]
    if n < k:
        raise InvalidParameterError(f"`x` needs at least k={k} rows; got {n}")
    centers = [x[rng.integers(n)]]
    for _ in range(1, k):
        d2 = np.min(((x[:, None, :] - np.array(centers)[None]) ** 2).sum(-1), axis=1)
        centers.append(x[rng.choice(n, p=d2 / d2.sum())])
    mu = np.array(centers)
    logw = np.full(k, -np.log(k))
    prev = -np.inf
    for _ in range(n_iter):
        logp = logw - 0.5 * ((x[:, None, :] - mu[None]) ** 2).sum(-1)
        norm = logsumexp(logp, axis=1, keepdims=True)
        resp = np.exp(logp - norm)
        nk = resp.sum(0) + 1e-12
        mu = (resp.T @ x) / nk[:, None]
        logw = np.log(nk / n)
        ll = float(norm.sum())
        if ll - prev < tol * abs(ll):
            break
        prev = ll
    return mu, np.exp(logw)


def _gmm_pretrain_predictor(x_unlabeled, x, y, k, random_state):
    mu, _ = fit_gaussian_mixture_em(x_unlabeled, k, random_state=random_state)
    comp = np.argmin(((x[:, None, :] - mu[None]) ** 2).sum(-1), axis=1)
    labels = np.arange(k)
    for c in range(k):   # ERM over the component -> label map: majority vote (random label if unseen)
        hits = y[comp == c]
        labels[c] = np.bincount(hits, minlength=k).argmax() if hits.size else c
    return lambda t: labels[np.argmin(((t[:, None, :] - mu[None]) ** 2).sum(-1), axis=1)]


def _gmm_supervised_predictor(x, y, k):
    mu = np.stack([x[y == c].mean(0) if np.any(y == c) else np.zeros(x.shape[1]) for c in range(k)])
    return lambda t: np.argmin(((t[:, None, :] - mu[None]) ** 2).sum(-1), axis=1)


# --------------------------------------------------------------------------------------------- simulation
@dataclass(frozen=True)
class ExcessRiskCurve:
    """Mean excess test risk over the Bayes predictor for each n (MSE for the factor model, 0-1 error for
    the mixture), with standard errors over repetitions."""

    n: np.ndarray
    supervised: np.ndarray
    pretrained: np.ndarray
    supervised_se: np.ndarray
    pretrained_se: np.ndarray
    bayes_risk: float
    m: int
    repetitions: int
    details: dict = field(default_factory=dict)


def excess_risk_curve(model, n_values, *, m=10_000, repetitions=20, n_test=20_000, random_state=None):
    """Simulate pretraining + ERM vs supervised-only learning for each labelled-sample size n.

    Parameters
    ----------
    model : FactorModel or GaussianMixtureModel
    n_values : sequence of int
        Labelled sample sizes.
    m : int
        Unlabelled sample size for pretraining.
    repetitions : int
        Independent repetitions (fresh unlabelled, labelled and test data each time).
    """
    if not isinstance(model, (FactorModel, GaussianMixtureModel)):
        raise InvalidParameterError(f"`model` must be a FactorModel or GaussianMixtureModel; got {type(model).__name__}")
    ns = [check_positive_int(v, "n_values") for v in np.atleast_1d(n_values)]
    m = check_positive_int(m, "m", minimum=2)
    reps = check_positive_int(repetitions, "repetitions")
    rng = check_random_state(random_state)
    sup = np.zeros((len(ns), reps))
    pre = np.zeros((len(ns), reps))
    # the factor model's Bayes risk is exact; the mixture's Bayes error is measured on each test set, so
    # that the excess error is a paired difference (no test-set noise between the two terms)
    bayes_runs = []
    for j in range(reps):
        xu, _, _ = model.sample(m, random_state=rng)
        xt, yt, _ = model.sample(n_test, random_state=rng)
        if isinstance(model, FactorModel):
            bayes = model.bayes_risk()
        else:
            bayes = float(np.mean(model.bayes_predict(xt) != yt))
        bayes_runs.append(bayes)
        for i, n in enumerate(ns):
            x, y, _ = model.sample(n, random_state=rng)
            if isinstance(model, FactorModel):
                f_sup = supervised_erm(x, y)
                f_pre = pretrain_then_erm(xu, x, y, model.r)
                sup[i, j] = np.mean((f_sup(xt) - yt) ** 2) - bayes
                pre[i, j] = np.mean((f_pre(xt) - yt) ** 2) - bayes
            else:
                k = model.means.shape[0]
                f_sup = _gmm_supervised_predictor(x, y, k)
                f_pre = _gmm_pretrain_predictor(xu, x, y, k, rng)
                sup[i, j] = np.mean(f_sup(xt) != yt) - bayes
                pre[i, j] = np.mean(f_pre(xt) != yt) - bayes
    se = lambda a: a.std(axis=1, ddof=1) / np.sqrt(reps) if reps > 1 else np.zeros(len(ns))  # noqa: E731
    return ExcessRiskCurve(np.array(ns), sup.mean(1), pre.mean(1), se(sup), se(pre), float(np.mean(bayes_runs)), m, reps)
