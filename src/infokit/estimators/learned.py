r"""A learned (amortised) mutual-information estimator in the spirit of MIST [1]_: "MIST-tiny".

A small permutation-invariant set model maps a sample :math:`\{(x_i, y_i)\}_{i=1}^n` to quantiles of the
mutual information :math:`I(X;Y)` (nats). It was trained once, by ``scripts/train_learned_mi.py``, on a
meta-dataset of synthetic distributions whose MI is known in closed form (the families of
:mod:`infokit.testing.samplers`); the weights ship with the package in ``_learned_weights/`` and inference
is **pure numpy** (no torch needed, no training at run time).

Pipeline (one forward pass, no randomness):

1. **copula normalisation** — every column is replaced by its rank-based normal scores
   :math:`z = \Phi^{-1}(\mathrm{rank}/(n+1))`. MI is invariant under strictly increasing maps of each
   column, and so is this encoding, *exactly*: rescaling, shifting, ``asinh``, half-cube, the normal CDF...
   leave the estimate unchanged;
2. **row embedding** — each row becomes ``[z_x (padded to 5), z_y (padded to 5), z_x ⊗ z_y (5×5)]`` and
   passes through a 3-layer SiLU MLP :math:`\phi` (width ``hidden``);
3. **pooling** — mean and max over rows (permutation invariant in the rows);
4. **head** — an MLP :math:`\rho` on ``[mean φ, max φ, Î_GC, log n / log 2048, d_x/5, d_y/5]`` outputs nine
   quantiles, built non-crossing (the median plus cumulative softplus steps), with the median a residual on
   the Gaussian-copula MI :math:`\hat I_{GC}` of the normal scores;
5. **symmetrisation** — the quantiles of ``(x, y)`` and ``(y, x)`` are averaged, so the estimate is exactly
   symmetric;
6. **conformal calibration** — the interval :math:`[q_{(1-c)/2}, q_{(1+c)/2}]` is widened (or narrowed) by a
   normalised split-conformal factor fitted on a held-out calibration meta-set (conformalized quantile
   regression, [2]_), stored with the weights.

Limits of the shipped model (from its training configuration): ``1 <= d_x, d_y <= 5`` columns per variable,
``n >= 32`` rows (more than 2048 rows are used in full, but the model is told ``n = 2048``, which makes the
interval conservative). Beyond 5 columns it raises instead of truncating.

References
----------
.. [1] Gritsai, G., Richards, M., Méloux, M., Cho, K. & Peyrard, M. (2025). MIST: Mutual Information via
   Supervised Training. arXiv:2511.18945
.. [2] Romano, Y., Patterson, E. & Candès, E. (2019). Conformalized quantile regression. NeurIPS 32.
   arXiv:1905.03222
"""

from __future__ import annotations

import functools
import json
import math
import pathlib

import numpy as np
from scipy import special, stats

from .._units import check_base, to_base, unit_name
from .._validation import apply_nan_policy, as_sample, check_nan_policy, check_same_length
from ..exceptions import InvalidParameterError, InvalidSampleError

__all__ = [
    "learned_mutual_information",
    "learned_mi",
    "learned_mi_quantiles",
    "learned_mi_interval",
    "load_learned_model",
    "LearnedModel",
    "D_MAX",
    "N_MIN",
    "N_REF",
    "QUANTILE_LEVELS",
]

#: largest number of columns per variable the shipped model was trained on
D_MAX = 5
#: fewest rows accepted (the smallest training sample size)
N_MIN = 32
#: largest training sample size; larger samples are fed in full but with the size feature clamped here
N_REF = 2048
#: quantile levels of the head, in increasing order (the middle one is the median)
QUANTILE_LEVELS = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.975)
#: shrinkage of the normal-score correlation matrix towards the identity, so that an exact copy (a singular
#: correlation) gives a large finite Î_GC (≈ 6.9 nats per dimension) instead of inf
_CORR_SHRINK = 1e-6

WEIGHTS_DIR = pathlib.Path(__file__).resolve().parent / "_learned_weights"
WEIGHTS_FILE = WEIGHTS_DIR / "mist_tiny.npz"
CONFIG_FILE = WEIGHTS_DIR / "mist_tiny.json"


# --------------------------------------------------------------------------------------------- encoding
def normal_scores(a: np.ndarray) -> np.ndarray:
    r"""Per-column rank-based normal scores :math:`\Phi^{-1}(r_i/(n+1))` (ties get their average rank)."""
    a = np.asarray(a, dtype=np.float64)
    n = a.shape[0]
    ranks = stats.rankdata(a, axis=0, method="average")
    return special.ndtri(ranks / (n + 1.0))


def gaussian_copula_mi_scores(zx: np.ndarray, zy: np.ndarray) -> float:
    r"""Gaussian MI of normal scores: :math:`\tfrac12[\log\det R_{XX} + \log\det R_{YY} - \log\det R]`.

    ``R`` is the correlation matrix of ``[zx, zy]`` shrunk by ``_CORR_SHRINK`` towards the identity.
    """
    z = np.concatenate([zx, zy], axis=1)
    z = z - z.mean(axis=0)
    sd = np.sqrt((z * z).mean(axis=0))
    z = z / sd
    r = (z.T @ z) / z.shape[0]
    r = (1.0 - _CORR_SHRINK) * r + _CORR_SHRINK * np.eye(r.shape[0])
    dx = zx.shape[1]
    ld = lambda m: np.linalg.slogdet(m)[1]  # noqa: E731
    return float(max(0.5 * (ld(r[:dx, :dx]) + ld(r[dx:, dx:]) - ld(r)), 0.0))


def row_features(zx: np.ndarray, zy: np.ndarray) -> np.ndarray:
    """Row inputs of the embedding MLP: ``[zx padded to D_MAX, zy padded to D_MAX, zx ⊗ zy]`` (n, 35)."""
    n = zx.shape[0]
    px = np.zeros((n, D_MAX))
    py = np.zeros((n, D_MAX))
    px[:, : zx.shape[1]] = zx
    py[:, : zy.shape[1]] = zy
    cross = (px[:, :, None] * py[:, None, :]).reshape(n, D_MAX * D_MAX)
    return np.concatenate([px, py, cross], axis=1)


def set_features(zx: np.ndarray, zy: np.ndarray) -> np.ndarray:
    """Set-level inputs of the head: ``[Î_GC, log min(n, N_REF) / log N_REF, d_x / D_MAX, d_y / D_MAX]``."""
    n = zx.shape[0]
    return np.array([
        gaussian_copula_mi_scores(zx, zy),
        math.log(min(n, N_REF)) / math.log(N_REF),
        zx.shape[1] / D_MAX,
        zy.shape[1] / D_MAX,
    ])


def encode(x: np.ndarray, y: np.ndarray):
    """(row features (n, 35), set features (4,)) of a sample — the model's whole view of the data."""
    zx, zy = normal_scores(x), normal_scores(y)
    return row_features(zx, zy), set_features(zx, zy)


# --------------------------------------------------------------------------------------------- the model
def _silu(a):
    # x·sigmoid(x), written with expit for stability at large |x|
    return a * special.expit(a)


def _softplus(a):
    return np.logaddexp(0.0, a)


def assemble_quantiles(raw: np.ndarray, gc: np.ndarray, mid: int) -> np.ndarray:
    """Non-crossing quantiles from the head's raw outputs (..., K).

    The median is ``gc + raw[mid]``; the quantiles above it add cumulative softplus steps of ``raw[mid+1:]``,
    those below subtract cumulative softplus steps of ``raw[:mid]`` (read from the median outwards).
    """
    med = gc + raw[..., mid]
    up = med[..., None] + np.cumsum(_softplus(raw[..., mid + 1:]), axis=-1)
    down = med[..., None] - np.cumsum(_softplus(raw[..., :mid][..., ::-1]), axis=-1)
    return np.concatenate([down[..., ::-1], med[..., None], up], axis=-1)


class LearnedModel:
    """The shipped weights (float64 copies, read-only) and their JSON configuration.

    ``config`` holds the architecture, the training configuration and data seed, the training time, the
    conformal factors and the held-out metrics written by ``scripts/train_learned_mi.py``.
    """

    def __init__(self, params: dict, config: dict):
        self.params = {}
        for k, v in params.items():
            a = np.array(v, dtype=np.float64)
            a.setflags(write=False)
            self.params[k] = a
        self.config = config
        self.n_phi = int(config["architecture"]["n_phi_layers"])
        self.n_rho = int(config["architecture"]["n_rho_layers"])
        self.levels = tuple(float(t) for t in config["architecture"]["quantile_levels"])
        self.mid = self.levels.index(0.5)

    def raw_quantiles(self, rows: np.ndarray, sfeat: np.ndarray) -> np.ndarray:
        """Quantiles (K,) of one encoded sample (no symmetrisation, no calibration)."""
        p = self.params
        h = rows
        for i in range(self.n_phi):
            h = _silu(h @ p[f"phi{i}.weight"].T + p[f"phi{i}.bias"])
        g = np.concatenate([h.mean(axis=0), h.max(axis=0), sfeat])
        for i in range(self.n_rho - 1):
            g = _silu(g @ p[f"rho{i}.weight"].T + p[f"rho{i}.bias"])
        last = self.n_rho - 1
        raw = g @ p[f"rho{last}.weight"].T + p[f"rho{last}.bias"]
        return assemble_quantiles(raw, np.float64(sfeat[0]), self.mid)

    def conformal_factor(self, confidence: float) -> float:
        table = self.config.get("conformal", {})
        key = f"{confidence:g}"
        if key not in table:
            raise InvalidParameterError(
                f"`confidence` must be one of {{{', '.join(sorted(table))}}} (the levels the learned estimator was "
                f"calibrated for); got {confidence!r}"
            )
        return float(table[key]["factor"])


@functools.lru_cache(maxsize=1)
def load_learned_model() -> LearnedModel:
    """Load the shipped weights and configuration (cached)."""
    if not WEIGHTS_FILE.exists() or not CONFIG_FILE.exists():  # pragma: no cover - packaging error
        raise FileNotFoundError(
            f"the learned MI estimator's weights are missing ({WEIGHTS_FILE}); reinstall infokit or run "
            "scripts/train_learned_mi.py"
        )
    with np.load(WEIGHTS_FILE) as f:
        params = {k: f[k] for k in f.files}
    config = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    return LearnedModel(params, config)


# --------------------------------------------------------------------------------------------- kernels
def _too_many_columns(name: str, d: int) -> InvalidSampleError:
    return InvalidSampleError(
        f"`{name}` has {d} columns, but the learned estimator was trained on at most {D_MAX} columns per "
        f"variable; reduce the dimension (e.g. PCA to {D_MAX}) or use method='ksg' / 'copula_max'"
    )


def _too_few_rows(n: int) -> InvalidSampleError:
    return InvalidSampleError(
        f"the learned estimator needs at least {N_MIN} rows (its smallest training sample size); got n={n}; "
        "pass more data or use method='ksg'"
    )


def _check_shapes(x: np.ndarray, y: np.ndarray, names=("x", "y")):
    for a, nm in zip((x, y), names):
        if a.shape[1] > D_MAX:
            raise _too_many_columns(nm, a.shape[1])
    if x.shape[0] < N_MIN:
        raise _too_few_rows(x.shape[0])


def learned_mi_quantiles(x, y, *, model: LearnedModel | None = None) -> np.ndarray:
    """Symmetrised, uncalibrated quantiles (at ``QUANTILE_LEVELS``) of I(X;Y) in nats.

    ``x`` (n, d_x) and ``y`` (n, d_y) float arrays without missing values (kernel level: no conversion).
    """
    model = load_learned_model() if model is None else model
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if y.ndim == 1:
        y = y[:, None]
    _check_shapes(x, y)
    zx, zy = normal_scores(x), normal_scores(y)
    # averaged over both orders so that (x, y) and (y, x) give bit-identical features
    gc = 0.5 * (gaussian_copula_mi_scores(zx, zy) + gaussian_copula_mi_scores(zy, zx))
    base = [math.log(min(x.shape[0], N_REF)) / math.log(N_REF)]
    s_xy = np.array([gc, *base, zx.shape[1] / D_MAX, zy.shape[1] / D_MAX])
    s_yx = np.array([gc, *base, zy.shape[1] / D_MAX, zx.shape[1] / D_MAX])
    q1 = model.raw_quantiles(row_features(zx, zy), s_xy)
    q2 = model.raw_quantiles(row_features(zy, zx), s_yx)
    return 0.5 * (q1 + q2)


def _interval(q: np.ndarray, confidence: float, model: LearnedModel):
    """(point, low, high) in nats: median and the conformally rescaled central interval, clipped at 0."""
    levels = model.levels
    lo_level = round((1 - confidence) / 2, 6)
    hi_level = round((1 + confidence) / 2, 6)
    lo = float(q[levels.index(lo_level)])
    hi = float(q[levels.index(hi_level)])
    factor = model.conformal_factor(confidence)
    width = max(hi - lo, 1e-3)
    point = max(float(q[model.mid]), 0.0)  # MI >= 0
    low = max(min(lo - factor * width, point), 0.0)
    high = max(hi + factor * width, point)
    return point, low, high


def learned_mi(x, y) -> float:
    """Registry kernel (``style="arrays"``): the median of the learned estimator, in nats (>= 0)."""
    q = learned_mi_quantiles(x, y)
    return max(float(q[load_learned_model().mid]), 0.0)


def learned_mi_interval(x, y, confidence: float = 0.9):
    """Kernel-level ``(point, low, high)`` in nats: the median and the calibrated interval at ``confidence``.

    For the dispatcher (``estimate_mutual_information(..., method="learned", ci=0.9)``): ``x``, ``y`` are float
    arrays with no constant column; ``confidence`` must be a calibrated level (0.5, 0.8, 0.9, 0.95).
    """
    model = load_learned_model()
    model.conformal_factor(float(confidence))
    q = learned_mi_quantiles(x, y, model=model)
    return _interval(q, float(confidence), model)


# --------------------------------------------------------------------------------------------- public
def learned_mutual_information(x, y, *, confidence: float = 0.9, base=None, nan_policy: str = "raise"):
    r"""Learned estimate of :math:`I(X;Y)` with a calibrated interval (MIST-tiny, [1]_).

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Paired continuous samples, ``1 <= d <= 5`` columns each and ``n >= 32`` rows. Numpy arrays, lists,
        pandas / polars columns and CPU torch tensors are accepted; inputs are not modified.
    confidence : float
        Level of the interval: one of the calibrated levels 0.5, 0.8, 0.9 (default) and 0.95.
    base : float, optional
        Logarithm base of the result: ``None`` (nats), ``2`` (bits).
    nan_policy : {"raise", "omit"}
        ``"omit"`` drops rows missing in either variable.

    Returns
    -------
    EstimateResult
        ``value`` (the median), ``ci`` = ``(low, high)`` (conformally calibrated, clipped at 0 and always
        containing ``value``), ``confidence_level``, ``unit``, ``method="learned"``, ``n``.

    Notes
    -----
    The head outputs quantiles :math:`\hat q_\tau(D)` trained with the pinball loss
    :math:`\ell_\tau(u) = \max(\tau u, (\tau-1)u)`, :math:`u = I - \hat q_\tau` (MIST-QR, [1]_). The interval at
    level :math:`c` is :math:`[\hat q_{lo} - s\,w,\ \hat q_{hi} + s\,w]` with :math:`w = \hat q_{hi} - \hat q_{lo}` and
    :math:`s` the :math:`\lceil (m+1)c\rceil / m` empirical quantile of the normalised conformity scores
    :math:`\max(\hat q_{lo} - I, I - \hat q_{hi}) / w` on ``m`` held-out calibration tasks ([2]_, normalised
    variant). Coverage is therefore guaranteed *on average over the meta-distribution* the model was trained
    on (Gaussian, Student-t and additive-uniform-noise dependence, 1–5 columns per variable, n = 32–2048);
    on other distributions it is an empirical claim, reported in ``docs/learned.md``.

    Columns that are constant are dropped (they carry no information); a variable with no varying column gives
    0 with the interval (0, 0).

    # Deviation from [1]: a DeepSets-style model (mean + max pooling) on copula-normalised rows with the
    # Gaussian-copula MI as a residual baseline, instead of a 5.5M-parameter set transformer on raw rows,
    # because the model must train on two CPU cores in minutes; the copula step also makes the estimate
    # exactly invariant to monotone maps of the columns (the paper's model is not).

    References
    ----------
    .. [1] Gritsai, G., Richards, M., Méloux, M., Cho, K. & Peyrard, M. (2025). MIST: Mutual Information via
       Supervised Training. arXiv:2511.18945
    .. [2] Romano, Y., Patterson, E. & Candès, E. (2019). Conformalized quantile regression. NeurIPS 32.
       arXiv:1905.03222

    Examples
    --------
    A bivariate normal with correlation 0.9 has :math:`I = -\tfrac12\log(1-0.81) = 0.830` nats:

    >>> import numpy as np
    >>> from infokit.estimators.learned import learned_mutual_information
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(1000)
    >>> y = 0.9 * x + np.sqrt(1 - 0.81) * rng.standard_normal(1000)
    >>> r = learned_mutual_information(x, y)
    >>> r.ci[0] <= r.value <= r.ci[1]
    True
    >>> abs(r.value - 0.830) < 0.15
    True
    """
    from ._api import EstimateResult

    b = check_base(base)
    check_nan_policy(nan_policy)
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.floating)):
        raise InvalidParameterError(f"`confidence` must be a number such as 0.9; got {confidence!r}")
    model = load_learned_model()
    model.conformal_factor(float(confidence))  # validates the level before any work
    sx, sy = as_sample(x, "x"), as_sample(y, "y")
    check_same_length([sx, sy])
    sx, sy = sx.to_numpy(), sy.to_numpy()
    (sx, sy), _ = apply_nan_policy([sx, sy], nan_policy)
    n = sx.n
    arrays = []
    for s in (sx, sy):
        try:
            cols = [np.asarray(c, dtype=np.float64) for c in s.columns]
        except (TypeError, ValueError):
            raise InvalidSampleError(
                f"`{s.name}` must hold numbers; the learned estimator needs continuous data "
                "(use a discrete method such as 'chao_wang_jost' for symbols)"
            ) from None
        if len(cols) > D_MAX:
            raise _too_many_columns(s.name, len(cols))
        keep = [c for c in cols if c.size and c.min() < c.max()]  # constant columns carry no information
        arrays.append(np.column_stack(keep) if keep else np.empty((n, 0)))
    if n < N_MIN:
        raise _too_few_rows(n)
    if any(not np.all(np.isfinite(a)) for a in arrays):
        raise InvalidSampleError("`x` and `y` must be finite; got inf — remove or clip infinite values")
    if arrays[0].shape[1] == 0 or arrays[1].shape[1] == 0:
        point, low, high = 0.0, 0.0, 0.0  # a constant variable shares no information
    else:
        q = learned_mi_quantiles(arrays[0], arrays[1], model=model)
        point, low, high = _interval(q, float(confidence), model)
    return EstimateResult(
        value=float(to_base(point, b)),
        unit=unit_name(b),
        method="learned",
        n=int(n),
        ci=(float(to_base(low, b)), float(to_base(high, b))),
        confidence_level=float(confidence),
    )
