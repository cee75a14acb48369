r"""Public estimators of information quantities from samples.

``estimate_entropy``, ``estimate_mutual_information``, ``estimate_conditional_mutual_information``,
``estimate_kl_divergence`` and ``estimate_transfer_entropy`` share one pipeline:

1. **convert** every input (numpy, lists, pandas / polars Series and DataFrames, torch tensors) into columns
   without modifying it;
2. **classify** each column as discrete or continuous (``discrete=True/False/"auto"`` or a per-column mask;
   "auto": integer, bool, string and categorical columns are discrete, float columns continuous);
3. **validate** (lengths, missing values under ``nan_policy``, enough rows for ``k``, method vs data);
4. **encode**: discrete columns are factorised once into integer codes; continuous columns are
   **standardised** (z-scored per column) so that rescaling a variable never changes an MI estimate
   (the copula methods additionally rank-transform). Constant columns carry no information and are dropped;
5. **dispatch** to one private kernel per paper (the method registry, :mod:`infokit._registry`), in nats;
6. convert to ``base`` once, and return a float — or an :class:`EstimateResult` when ``ci=`` or
   ``permutations=`` asks for uncertainty.

``method="auto"`` picks by data kind and size; :func:`select_method` says what it would pick and why, and the
``method`` field of an :class:`EstimateResult` names the method that ran.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass

import numpy as np

from .._registry import Method, MethodUnavailableError, get_method, register
from .._registry import _REGISTRY
from .._units import check_base, to_base, unit_name
from .._validation import (
    Sample,
    apply_nan_policy,
    as_sample,
    check_confidence_level,
    check_enough_samples,
    check_nan_policy,
    check_positive_int,
    check_random_state,
    check_same_length,
    resolve_discrete,
    warn_ties,
)
from ..exceptions import (
    InfokitWarning,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

__all__ = [
    "EstimateResult",
    "estimate_entropy",
    "estimate_mutual_information",
    "estimate_conditional_mutual_information",
    "estimate_kl_divergence",
    "estimate_transfer_entropy",
    "select_method",
    "DISCRETE_METHODS",
]

_log = logging.getLogger("infokit")

# --------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class EstimateResult:
    """An estimate with its uncertainty (returned when ``ci=`` or ``permutations=`` is given).

    Attributes
    ----------
    value : float
        The point estimate, in ``unit``.
    unit : str
        "nats", "bits", ...
    method : str
        The method that ran (what ``method="auto"`` picked).
    n : int
        Rows used (after ``nan_policy="omit"``); for a KL divergence, the rows of the first sample.
    ci : tuple of float or None
        ``(low, high)`` confidence interval.
    confidence_level : float or None
    pvalue : float or None
        Permutation p-value of independence (``(1 + #{null >= value}) / (1 + permutations)``).
    null_mean : float or None
        Mean of the permutation null: the estimator's bias at independence.
    stderr : float or None
        Resampling standard error.
    """

    value: float
    unit: str
    method: str
    n: int
    ci: tuple | None = None
    confidence_level: float | None = None
    pvalue: float | None = None
    null_mean: float | None = None
    stderr: float | None = None

    def __float__(self) -> float:
        return float(self.value)


# --------------------------------------------------------------------------------------------- registry
DISCRETE_METHODS = (
    "plugin",
    "miller_madow",
    "grassberger",
    "chao_shen",
    "chao_wang_jost",
    "shrinkage",
    "zhang",
    "bayes",
    "jackknife",
    "nsb",
)
_DISCRETE_PAPERS = {
    "plugin": "maximum-likelihood plug-in estimator",
    "miller_madow": "Miller (1955), Note on the bias of information estimates",
    "grassberger": "Grassberger (2003), Entropy estimates from insufficient samplings, arXiv:physics/0307138",
    "chao_shen": "Chao & Shen (2003), Environ. Ecol. Stat. 10:429",
    "chao_wang_jost": "Chao, Wang & Jost (2013), Methods Ecol. Evol. 4:1091",
    "shrinkage": "Hausser & Strimmer (2009), JMLR 10:1469, James–Stein shrinkage",
    "zhang": "Zhang (2012), Neural Comput. 24:1368",
    "bayes": "posterior-mean entropy under a Dirichlet(α) prior (Wolpert & Wolf 1995)",
    "jackknife": "Zahl (1977), Ecology 58:907, jackknife",
    "nsb": "Nemenman, Shafee & Bialek (2002), NIPS 14, NSB",
}
_D = "infokit.estimators.discrete:"
_K = "infokit.estimators.knn:"
_G = "infokit.estimators.gaussian:"
_KR = "infokit.estimators.kernel:"
_B = "infokit.estimators.binning:"
_M = "infokit.estimators.mixed:"
_S = "infokit.estimators.spectral:"

_KSG = "Kraskov, Stögbauer & Grassberger (2004), PRE 69:066138"
_GCMI = "Ince et al. (2017), Hum. Brain Mapp. 38:1541"
_GIRALDO = "Giraldo, Rao & Príncipe (2015), IEEE TIT 61:535"
_CHEL = "Chelombiev, Houghton & O'Donnell (2019), ICLR"
_DSE = "Liao et al. (2023), diffusion spectral entropy, arXiv:2312.04823"


def _mi_chain_gao(x, y, z, k=3):
    """I(X;Y|Z) = I(X;(Y,Z)) − I(X;Z) with the mixed kNN estimator of Gao et al. (2017) for each term."""
    from .mixed import gao_mixed_mi

    return float(gao_mixed_mi(x, np.hstack([y, z]), k=k) - gao_mixed_mi(x, z, k=k))


def _ksg_copula_mi(x, y, k=3):
    """KSG-1 on copula-normalised data: every column rank-transformed to standard normal scores first.

    A strictly increasing map of each column is a bijection, so the MI is unchanged, while heavy tails and
    skew (which stretch the max-norm neighbourhoods of KSG) are removed.
    """
    from .gaussian import copula_normalize
    from .knn import ksg_mi

    return float(ksg_mi(copula_normalize(x), copula_normalize(y), k=k))


def _copula_max_mi(x, y, k=3):
    """max(Gaussian-copula MI, KSG-1 on copula-normalised data) — method="auto" for multivariate pairs."""
    from .gaussian import gaussian_copula_mi

    return max(float(gaussian_copula_mi(x, y, bias_correct=True)), _ksg_copula_mi(x, y, k=k))


def _adaptive_kde_ity(t, y_codes, *, noise_var=None, scale="layer_max", bound="upper", y_size=None):
    """I(T+ε; Y) of the adaptive-KDE information-plane estimator (the second coordinate)."""
    from .binning import adaptive_kde_mi

    return adaptive_kde_mi(t, y_codes, noise_var=noise_var, scale=scale, bound=bound, y_size=y_size)[1]


def _plugin_kl_codes(cx, cy, K):
    """Plug-in KL(P||Q) from two code samples over a shared alphabet of size K (inf off Q's support)."""
    from ..measures import kl_divergence

    p = np.bincount(cx, minlength=K) / cx.size
    q = np.bincount(cy, minlength=K) / cy.size
    return float(kl_divergence(p, q))


def _register_builtin():
    if "mutual_information" in _REGISTRY and "ksg" in _REGISTRY["mutual_information"]:
        return
    disc_data = ("discrete",)
    for name in DISCRETE_METHODS:
        paper = _DISCRETE_PAPERS[name]
        opts = {"method": name}
        register(Method(name, _D + "entropy_discrete", "entropy", paper, data=disc_data, style="codes",
                        options=opts, estimand="Shannon entropy"))
        register(Method(name, _D + "mutual_information_discrete", "mutual_information", paper + " (H(X)+H(Y)−H(X,Y))",
                        data=disc_data, style="codes", options=opts, estimand="Shannon MI"))
        register(Method(name, _D + "conditional_mutual_information_discrete", "conditional_mutual_information",
                        paper + " (entropy decomposition)", data=disc_data, style="codes", options=opts,
                        estimand="Shannon CMI"))
        register(Method(name, _D + "conditional_mutual_information_discrete", "transfer_entropy",
                        paper + "; Schreiber (2000) PRL 85:461 as CMI", data=disc_data, style="codes",
                        options=opts, estimand="Shannon transfer entropy"))
    # ---- entropy, continuous
    register(Method("kl", _K + "kl_entropy", "entropy", "Kozachenko & Leonenko (1987); " + _KSG + ", Eq. (20)",
                    backend=("numpy", "torch"), scale="shift", resample="subsample",
                    estimand="Shannon differential entropy", torch_fn=_K + "kl_entropy_torch"))
    register(Method("gaussian", _G + "gaussian_entropy", "entropy", "Gaussian closed form, bias-corrected (Misra et al. 2005)",
                    scale="shift", estimand="Shannon differential entropy of a Gaussian fit"))
    register(Method("kde", _KR + "kde_entropy", "entropy", "KDE plug-in, leave-one-out by default (Joe 1989)",
                    scale="shift", resample="subsample", estimand="Shannon differential entropy"))
    register(Method("knn_renyi", _K + "knn_renyi_entropy", "entropy",
                    "Leonenko, Pronzato & Savani (2008), Ann. Stat. 36:2153", scale="shift", resample="subsample",
                    estimand="Rényi α differential entropy (pass alpha=)"))
    register(Method("knn_tsallis", _K + "knn_tsallis_entropy", "entropy",
                    "Leonenko, Pronzato & Savani (2008), Ann. Stat. 36:2153", scale="raw", resample="subsample",
                    estimand="Tsallis q entropy (pass q=), on the raw scale"))
    register(Method("matrix_renyi", _KR + "matrix_renyi_entropy", "entropy", _GIRALDO, resample="subsample",
                    estimand="matrix-based Rényi α-entropy of the Gram matrix (standardised data)"))
    register(Method("binning", _B + "binned_entropy", "entropy", _CHEL + " (EBAB, equal-mass, fixed-width)",
                    scale="raw", estimand="plug-in entropy of the binned variable (layer-wide bins)"))
    register(Method("dse", _S + "diffusion_spectral_entropy", "entropy", _DSE, scale="raw", resample="subsample",
                    estimand="diffusion spectral entropy of the raw representation"))
    # ---- MI, continuous / mixed
    register(Method("ksg", _K + "ksg_mi", "mutual_information", _KSG + ", Eq. (8) (KSG-1)", backend=("numpy", "torch"),
                    options={"variant": 1}, resample="subsample", estimand="Shannon MI",
                    torch_fn=_K + "ksg_mi_torch"))
    register(Method("ksg2", _K + "ksg_mi", "mutual_information", _KSG + ", Eq. (9) (KSG-2)", backend=("numpy", "torch"),
                    options={"variant": 2}, resample="subsample", estimand="Shannon MI",
                    torch_fn=_K + "ksg_mi_torch"))
    register(Method("ksg_copula", _ksg_copula_mi, "mutual_information",
                    _KSG + ", Eq. (8), on copula-normalised margins (" + _GCMI + ")", resample="subsample",
                    estimand="Shannon MI"))
    register(Method("copula_max", _copula_max_mi, "mutual_information",
                    "max of " + _GCMI + " and KSG-1 on copula-normalised margins", resample="subsample",
                    estimand="Shannon MI (the larger of two estimates that undershoot in high dimension)"))
    register(Method("gao", _M + "gao_mixed_mi", "mutual_information",
                    "Gao, Kannan, Oh & Viswanath (2017), NeurIPS, mixed KSG", data=("mixed", "continuous", "discrete"),
                    style="gao", resample="subsample", estimand="Shannon MI of discrete–continuous mixtures"))
    register(Method("ross", _M + "ross_mi", "mutual_information", "Ross (2014), PLoS ONE 9:e87357, Eq. (2)",
                    data=("mixed",), style="ross", resample="subsample",
                    estimand="Shannon MI between one discrete and one continuous variable"))
    register(Method("gaussian", _G + "gaussian_mi", "mutual_information", "Gaussian closed form, bias-corrected; " + _GCMI,
                    estimand="Shannon MI of a Gaussian fit (exact for Gaussians, a lower bound otherwise)"))
    register(Method("gaussian_copula", _G + "gaussian_copula_mi", "mutual_information", _GCMI,
                    estimand="Shannon MI of the Gaussian copula (rank-transformed margins)"))
    register(Method("cca", _G + "cca_mi", "mutual_information", "canonical correlations, −½Σlog(1−ρ²)",
                    estimand="Shannon MI of a Gaussian fit via CCA"))
    register(Method("kde", _KR + "kde_mi", "mutual_information", "KDE plug-in (Moon, Rajagopalan & Lall 1995)",
                    resample="subsample", estimand="Shannon MI"))
    register(Method("matrix_renyi", _KR + "matrix_renyi_mi", "mutual_information", _GIRALDO, resample="subsample",
                    estimand="matrix-based Rényi α mutual information"))
    register(Method("cs_qmi", _KR + "cs_qmi", "mutual_information", "Yu, Yu, Løkse, Jenssen & Príncipe (2024), ICLR, CS-QMI (Prop. 2)",
                    resample="subsample", estimand="Cauchy–Schwarz quadratic MI (not Shannon MI)"))
    register(Method("binning", _B + "binned_mi", "mutual_information", _CHEL + " (EBAB, equal-mass, fixed-width)",
                    data=("mixed", "continuous"), style="binning", scale="raw",
                    estimand="plug-in MI of the binned X (layer-wide bins) with Y (binned if continuous)"))
    register(Method("adaptive_kde", _adaptive_kde_ity, "mutual_information", _CHEL + " (adaptive KDE)",
                    data=("mixed",), style="binning", scale="raw", resample="subsample",
                    estimand="aKDE I(T+ε;Y) between a deterministic layer T and labels Y"))
    register(Method("dsmi", _S + "diffusion_spectral_mutual_information", "mutual_information", _DSE,
                    data=("mixed", "continuous"), style="binning", scale="raw", resample="subsample",
                    estimand="diffusion spectral MI between a representation and labels (raw scale)"))
    # ---- CMI
    register(Method("fp", _K + "fp_cmi", "conditional_mutual_information", "Frenzel & Pompe (2007), PRL 99:204101 (conditional KSG-1)",
                    backend=("numpy", "torch"), resample="subsample", estimand="Shannon CMI",
                    torch_fn=_K + "fp_cmi_torch"))
    register(Method("gaussian", _G + "gaussian_cmi", "conditional_mutual_information", "Gaussian closed form; " + _GCMI,
                    estimand="Shannon CMI of a Gaussian fit"))
    register(Method("gaussian_copula", _G + "gaussian_copula_cmi", "conditional_mutual_information", _GCMI,
                    estimand="Shannon CMI of the Gaussian copula"))
    register(Method("gao", _mi_chain_gao, "conditional_mutual_information",
                    "Gao et al. (2017) mixed KSG, chain rule I(X;Y,Z) − I(X;Z)", data=("mixed", "continuous", "discrete"),
                    style="gao", resample="subsample", estimand="Shannon CMI of mixtures"))
    # ---- KL divergence
    register(Method("knn", _K + "knn_kl_divergence", "kl_divergence", "Wang, Kulkarni & Verdú (2009), IEEE TIT 55:2392, Eq. (5)",
                    resample="subsample", estimand="KL divergence D(P||Q)"))
    register(Method("plugin", _plugin_kl_codes, "kl_divergence", "plug-in KL of the empirical pmfs",
                    data=("discrete",), style="kl_codes", estimand="KL divergence D(P||Q) of empirical pmfs"))
    # ---- transfer entropy = CMI on the delay embedding
    register(Method("knn", _K + "fp_cmi", "transfer_entropy", "Schreiber (2000), PRL 85:461, Eq. (4); Frenzel & Pompe (2007) CMI",
                    backend=("numpy", "torch"), resample="subsample", estimand="Shannon transfer entropy",
                    torch_fn=_K + "fp_cmi_torch"))
    register(Method("gaussian", _G + "gaussian_cmi", "transfer_entropy", "Schreiber (2000); Gaussian CMI (= Granger/2, Barnett 2009)",
                    estimand="transfer entropy of a Gaussian fit"))
    register(Method("gaussian_copula", _G + "gaussian_copula_cmi", "transfer_entropy", "Schreiber (2000); " + _GCMI,
                    estimand="transfer entropy of the Gaussian copula"))


_register_builtin()

# Registrations of the torch leaves (neural variational bounds, the learned estimator) live beside them in
# modules that import nothing heavy; their kernels load torch only when called.
from . import _register_neural as _register_neural_mod  # noqa: E402,F401
from . import _register_learned as _register_learned_mod  # noqa: E402,F401

# --------------------------------------------------------------------------------------------- auto choice
#: bias-corrected discrete estimators used by method="auto", chosen by the study in
#: ``benchmarks/bench_accuracy.py --discrete`` (lowest mean relative RMSE at n/K = 0.5 … 5; docs/BENCHMARKS.md):
#: the jackknife for entropies, Chao–Wang–Jost for MI / CMI / transfer entropy.
AUTO_DISCRETE_ENTROPY = "jackknife"
AUTO_DISCRETE = "chao_wang_jost"
#: continuous MI: KSG-1 when dim_x + dim_y <= AUTO_KSG_MAX_DIM, else "copula_max" (see select_method)
AUTO_KSG_MAX_DIM = 2
#: a continuous column in which at least this fraction of the rows share their value with another row holds
#: ties (a point mass, rounded or integer data): method="auto" then routes MI / CMI to the mixed kNN estimator
#: of Gao et al. (2017), which counts ties at distance zero correctly, where KSG and Ross (2014) do not
#: (Ross gives -0.93 nats for a truth of +0.22 on a zero-inflated column). Same threshold as the report job.
AUTO_TIES = 0.05


def _tied_fraction(sample: Sample, mask) -> float:
    """Largest fraction of rows, over the continuous numpy columns of ``sample``, that repeat a value."""
    if sample.tensor is not None:  # tensors are continuous by construction; ties are not checked on device
        return 0.0
    worst = 0.0
    for j, c in enumerate(sample.columns):
        if mask[j] or c.dtype.kind not in "biuf":
            continue
        v = np.asarray(c, dtype=float)
        v = v[np.isfinite(v)]
        if v.size < 2:
            continue
        _, counts = np.unique(v, return_counts=True)
        worst = max(worst, float(counts[counts > 1].sum()) / v.size)
    return worst


def select_method(quantity: str, *data, discrete="auto") -> tuple:
    """The method ``method="auto"`` would run on these data, and why.

    Parameters
    ----------
    quantity : {"entropy", "mutual_information", "conditional_mutual_information", "kl_divergence",
        "transfer_entropy"}
    *data : array_like
        The samples, as passed to the ``estimate_*`` function.
    discrete : bool, "auto", or per-variable / per-column masks
        As in the ``estimate_*`` functions.

    Returns
    -------
    (name, reason) : tuple of str

    Examples
    --------
    >>> import numpy as np
    >>> select_method("mutual_information", np.array([0, 1, 1]), np.array(["a", "b", "b"]))[0]
    'chao_wang_jost'
    """
    names = {"entropy": ("x",), "mutual_information": ("x", "y"),
             "conditional_mutual_information": ("x", "y", "z"), "kl_divergence": ("x", "y"),
             "transfer_entropy": ("source", "target")}
    if quantity not in names:
        raise InvalidParameterError(
            f"`quantity` must be one of {{{', '.join(repr(q) for q in names)}}}; got {quantity!r}"
        )
    if len(data) != len(names[quantity]):
        raise InvalidParameterError(f"{quantity} takes {len(names[quantity])} samples; got {len(data)}")
    samples = [as_sample(d, nm) for d, nm in zip(data, names[quantity])]
    masks, _ = _masks(samples, discrete, quantity)
    kinds = [_kind(m) for m in masks]
    n = min(s.n for s in samples)
    dims = [s.d for s in samples]
    tied = max(_tied_fraction(s, m) for s, m in zip(samples, masks))
    return _auto(quantity, kinds, n, dims, tied)


def _kind(mask) -> str:
    if mask.all():
        return "discrete"
    if not mask.any():
        return "continuous"
    return "mixed"


def _overall(kinds) -> str:
    if all(k == "discrete" for k in kinds):
        return "discrete"
    if all(k == "continuous" for k in kinds):
        return "continuous"
    return "mixed"


def _auto(quantity, kinds, n, dims, tied=0.0):
    overall = _overall(kinds)
    if overall == "discrete":
        name = ("plugin" if quantity == "kl_divergence" else
                AUTO_DISCRETE_ENTROPY if quantity == "entropy" else AUTO_DISCRETE)
        why = ("all variables are discrete: plug-in KL of the empirical pmfs" if name == "plugin" else
               f"all variables are discrete: {name} had the lowest relative RMSE at small n/K "
               "(benchmarks/bench_accuracy.py --discrete)")
        return name, why
    if quantity == "entropy":
        if overall == "continuous":
            return "kl", "continuous data: Kozachenko–Leonenko kNN entropy"
        raise InvalidParameterError(
            "`x` mixes discrete and continuous columns; the entropy of a mixed variable is not estimated — "
            "estimate the discrete and continuous parts separately, or pass discrete=True/False for all columns"
        )
    if quantity == "kl_divergence":
        if overall == "continuous":
            return "knn", "continuous data: kNN KL divergence (Wang, Kulkarni & Verdú 2009)"
        raise InvalidParameterError(
            "`x`/`y` mix discrete and continuous columns; no KL-divergence estimator handles mixtures — "
            "pass discrete=True (plug-in) or discrete=False (kNN) for all columns"
        )
    if quantity in ("mutual_information", "conditional_mutual_information") and tied >= AUTO_TIES:
        return "gao", (
            f"{100 * tied:.0f}% of the rows of a continuous column repeat a value (a point mass, rounded or integer "
            "data): Gao et al. (2017) mixed KSG, which counts ties at distance zero correctly")
    if quantity == "mutual_information":
        if overall == "continuous":
            if sum(dims) <= AUTO_KSG_MAX_DIM:
                return "ksg", "continuous 1×1 pair: KSG-1 (nearly unbiased in one dimension)"
            return "copula_max", (
                "continuous multivariate pair: the larger of the Gaussian-copula MI and KSG-1 on copula-normalised "
                "margins (lowest mean relative error on the multivariate ground-truth tasks, "
                "benchmarks/bench_accuracy.py)")
        if all(k != "mixed" for k in kinds):
            return "ross", "one discrete and one continuous variable: Ross (2014)"
        return "gao", "a variable mixes discrete and continuous columns: Gao et al. (2017) mixed KSG"
    if quantity in ("conditional_mutual_information",):
        if overall == "continuous":
            return "fp", "continuous data: Frenzel–Pompe kNN CMI"
        return "gao", "mixed discrete/continuous data: Gao et al. (2017) mixed KSG via the chain rule"
    if quantity == "transfer_entropy":
        if overall == "continuous":
            return "knn", "continuous series: Frenzel–Pompe kNN CMI on the delay embedding"
        raise InvalidParameterError(
            "`source` and `target` must both be discrete or both continuous for transfer entropy; "
            "pass discrete=True or discrete=False"
        )
    raise InvalidParameterError(f"no automatic method for {quantity}")  # pragma: no cover


# --------------------------------------------------------------------------------------------- preparation
def _masks(samples, discrete, quantity):
    """Per-variable discrete masks and per-variable 'explicit' masks from the ``discrete=`` argument."""
    nvar = len(samples)
    if isinstance(discrete, dict):
        unknown = set(discrete) - {s.name for s in samples}
        if unknown:
            raise InvalidParameterError(
                f"`discrete` keys must name the samples ({', '.join(s.name for s in samples)}); got {sorted(unknown)}"
            )
        specs = [discrete.get(s.name, "auto") for s in samples]
    elif isinstance(discrete, (bool, np.bool_, str)) or discrete is None:
        if discrete is None or (isinstance(discrete, str) and discrete != "auto"):
            raise InvalidParameterError(
                f"`discrete` must be True, False, 'auto', a per-{'column' if nvar == 1 else 'variable'} list "
                f"or a dict; got {discrete!r}"
            )
        specs = [discrete] * nvar
    else:
        try:
            seq = list(discrete)
        except TypeError:
            raise InvalidParameterError(f"`discrete` must be True, False, 'auto' or a list; got {discrete!r}") from None
        if nvar == 1:
            specs = [seq]
        else:
            if len(seq) != nvar:
                raise InvalidParameterError(
                    f"`discrete` as a list must have one entry per variable "
                    f"({', '.join(s.name for s in samples)}); got {len(seq)} entries"
                )
            specs = seq
    masks, explicit = [], []
    for s, spec in zip(samples, specs):
        masks.append(resolve_discrete(s, spec, "discrete"))
        if isinstance(spec, (bool, np.bool_)):
            explicit.append(np.ones(s.d, dtype=bool))
        elif isinstance(spec, str):
            explicit.append(np.zeros(s.d, dtype=bool))
        else:
            explicit.append(np.array([not (isinstance(v, str) and v == "auto") for v in spec], dtype=bool))
    return masks, explicit


def _non_numeric(sample: Sample, j: int) -> bool:
    return sample.tensor is None and sample.columns[j].dtype.kind in "OUS"


def _coerce(method: Method, samples, masks, explicit):
    """Make the data kinds fit an explicitly chosen method (only columns left on "auto" move)."""
    kinds = [_kind(m) for m in masks]
    overall = _overall(kinds)
    if method.style == "ross":
        nd = sum(k == "discrete" for k in kinds)
        if not (len(kinds) == 2 and nd == 1 and "mixed" not in kinds):
            raise InvalidParameterError(
                f"method 'ross' needs one discrete and one continuous variable; got {', '.join(kinds)} "
                f"({', '.join(f'`{s.name}`' for s in samples)}); pass discrete=[True, False] or use method='gao'"
            )
        return masks
    if method.style == "binning" and method.quantity == "mutual_information":
        need_y = "discrete" if method.name == "adaptive_kde" else None
        if kinds[0] != "continuous" and not explicit[0].any() and not any(
                _non_numeric(samples[0], j) for j in range(samples[0].d)):
            masks = [np.zeros_like(masks[0]), masks[1]]
        if need_y and kinds[1] != "discrete" and not explicit[1].any():
            masks = [masks[0], np.ones_like(masks[1])]
        kinds = [_kind(m) for m in masks]
        if kinds[0] != "continuous" or kinds[1] == "mixed" or (need_y and kinds[1] != need_y):
            raise InvalidParameterError(
                f"method {method.name!r} needs a continuous `x` (the representation) and a "
                f"{need_y or 'discrete or continuous'} `y`; got `x` {kinds[0]} and `y` {kinds[1]}"
            )
        return masks
    if overall in method.data:
        return masks
    target = None
    if method.data == ("discrete",):
        target = True
    elif "continuous" in method.data and "discrete" not in method.data:
        target = False
    if target is None:
        return masks
    new = []
    for s, m, e in zip(samples, masks, explicit):
        m = m.copy()
        for j in range(len(m)):
            if m[j] == target:
                continue
            if e[j]:
                raise InvalidParameterError(
                    f"method {method.name!r} needs {'discrete' if target else 'continuous'} data, but "
                    f"`{s.name}` column {s.labels[j]} was declared {'continuous' if target else 'discrete'} "
                    f"with `discrete=`; use a method in {_methods_for(method.quantity, 'discrete' if not target else 'continuous')} "
                    "or change `discrete=`"
                )
            if not target and _non_numeric(s, j):
                raise InvalidParameterError(
                    f"method {method.name!r} needs continuous data, but `{s.name}` column {s.labels[j]} holds "
                    f"non-numeric symbols (dtype {s.columns[j].dtype}); use a discrete method such as "
                    f"'{AUTO_DISCRETE}' or method='auto'"
                )
            m[j] = target
        new.append(m)
    return new


def _methods_for(quantity, kind):
    return "{" + ", ".join(repr(n) for n, m in _REGISTRY.get(quantity, {}).items() if kind in m.data) + "}"


class _Var:
    """One prepared variable: its sample, its discrete mask, and cached encodings."""

    def __init__(self, sample: Sample, mask):
        self.s = sample
        self.mask = np.asarray(mask, dtype=bool)
        self.kind = _kind(self.mask)
        self._codes = None
        self._floats = None

    @property
    def name(self):
        return self.s.name

    def codes(self):
        """(codes, K): the rows of the discrete columns as one integer symbol."""
        if self._codes is None:
            from .discrete import combine_codes, factorize

            cols = [factorize(c, dense=False, name=self.s.name)[0:2] for c in self.s.columns]
            if len(cols) == 1:
                self._codes = (np.asarray(cols[0][0], dtype=np.int64), int(cols[0][1]))
            else:
                c, K = combine_codes([c for c, _ in cols], [k for _, k in cols], dense=False)
                self._codes = (np.asarray(c, dtype=np.int64), int(K))
        return self._codes

    def floats(self, standardize=True):
        """(array (n, d'), log_scale): continuous columns z-scored, constant columns dropped.

        ``log_scale`` = Σ log sd of the kept columns (the shift of a differential entropy under scaling).
        """
        key = bool(standardize)
        if self._floats is None or self._floats[0] != key:
            cols, logs = [], 0.0
            for c in self.s.columns:
                c = np.asarray(c, dtype=np.float64)
                lo, hi = float(c.min()), float(c.max())
                if lo == hi:
                    continue  # a constant column carries no information
                if standardize:
                    sd = float(c.std())
                    if sd <= 0 or not math.isfinite(sd):  # pragma: no cover - max > min implies sd > 0
                        continue
                    cols.append((c - c.mean()) / sd)
                    logs += math.log(sd)
                else:
                    cols.append(c)
            arr = np.column_stack(cols) if cols else np.empty((self.s.n, 0))
            self._floats = (key, np.ascontiguousarray(arr), logs)
        return self._floats[1], self._floats[2]

    def gao(self):
        """Float array for the mixed estimator: continuous columns z-scored, discrete columns as codes spaced
        farther apart than any continuous distance (so that neighbours never cross categories)."""
        cont, disc = [], []
        for j, c in enumerate(self.s.columns):
            if self.mask[j]:
                from .discrete import factorize

                disc.append(np.asarray(factorize(c)[0], dtype=np.float64))
            else:
                c = np.asarray(c, dtype=np.float64)
                sd = float(c.std())
                if sd > 0:
                    cont.append((c - c.mean()) / sd)
        spread = max((float(c.max() - c.min()) for c in cont), default=0.0)
        gap = 2.0 * spread + 1.0
        return np.column_stack(cont + [d * gap for d in disc]) if (cont or disc) else np.empty((self.s.n, 0))

    def take(self, rows):
        v = _Var(self.s.take(rows), self.mask)
        return v


def _torch_arrays(vars_, standardize=True):
    """Standardised CUDA tensors (constant columns dropped) for the torch kernels."""
    out = []
    for v in vars_:
        t = v.s.tensor
        sd = t.std(dim=0, unbiased=False)
        keep = sd > 0
        t = t[:, keep]
        if standardize:
            t = (t - t.mean(dim=0)) / sd[keep]
        out.append(t)
    return out


# --------------------------------------------------------------------------------------------- engine
@dataclass
class _Plan:
    quantity: str
    method: Method
    reason: str
    vars: list
    n: int
    torch: bool
    random_state: object = None


def _check_common(k, base, nan_policy, ci, permutations, n_bootstrap):
    k = check_positive_int(k, "k")
    b = check_base(base)
    check_nan_policy(nan_policy)
    level = None if ci is None or ci is False else check_confidence_level(ci, "ci")
    perms = None if permutations is None else check_positive_int(permutations, "permutations")
    nb = None if n_bootstrap is None else check_positive_int(n_bootstrap, "n_bootstrap")
    return k, b, level, perms, nb


def _plan(quantity, named, *, method, discrete, k, nan_policy, paired=True, backend="auto"):
    if not isinstance(method, str):
        raise InvalidParameterError(f"`method` must be a string; got {method!r}")
    check_choice_backend(backend)
    samples = [as_sample(x, nm) for nm, x in named]
    use_torch = backend == "torch" or (
        backend == "auto" and all(s.tensor is not None for s in samples)
    )
    if paired:
        check_same_length(samples)
    masks, explicit = _masks(samples, discrete, quantity)
    if method == "auto":
        kinds = [_kind(m) for m in masks]
        tied = max(_tied_fraction(s, mm) for s, mm in zip(samples, masks))
        name, reason = _auto(quantity, kinds, min(s.n for s in samples), [s.d for s in samples], tied)
        m = get_method(quantity, name)
    else:
        m = get_method(quantity, method, extra=("auto",))
        reason = "chosen by the caller"
        masks = _coerce(m, samples, masks, explicit)
    kinds = [_kind(mm) for mm in masks]
    if _overall(kinds) not in m.data and m.style not in ("ross", "binning"):
        raise InvalidParameterError(
            f"method {m.name!r} cannot handle {_overall(kinds)} data ({', '.join(f'`{s.name}` {kd}' for s, kd in zip(samples, kinds))}); "
            f"use one of {_methods_for(quantity, _overall(kinds))} or method='auto'"
        )
    use_torch = use_torch and "torch" in m.backend and all(kd == "continuous" for kd in kinds)
    if not use_torch:
        samples = [s.to_numpy() for s in samples]
        if backend == "torch":
            raise InvalidParameterError(f"backend='torch' is not available for method {m.name!r} on these data")
    else:
        samples = [_to_torch_sample(s) for s in samples]
    for s, mm in zip(samples, masks):
        warn_ties(s, mm, explicit=True, stacklevel=4)
    # missing values: jointly for paired samples, separately otherwise
    if paired:
        samples, _ = apply_nan_policy(samples, nan_policy)
    else:
        samples = [apply_nan_policy([s], nan_policy)[0][0] for s in samples]
    vars_ = [_Var(s, mm) for s, mm in zip(samples, masks)]
    n = vars_[0].s.n
    for v in vars_:
        check_enough_samples(v.s.n, k=k if _uses_k(m) else None, what=f"method {m.name!r}")
    if method == "auto":
        _log.debug("infokit: %s method='auto' picked %r (%s)", quantity, m.name, reason)
    return _Plan(quantity, m, reason, vars_, n, use_torch)


def check_choice_backend(backend):
    if backend not in ("auto", "numpy", "torch"):
        raise InvalidParameterError(f"`backend` must be one of {{'auto', 'numpy', 'torch'}}; got {backend!r}")


def _to_torch_sample(s: Sample) -> Sample:
    if s.tensor is not None:
        return s
    import torch

    arr = np.column_stack([np.asarray(c, dtype=np.float64) for c in s.columns])
    out = Sample(s.name, [], s.labels, s.auto_discrete, s.integer_floats, s.n, tensor=torch.from_numpy(arr))
    out.missing_cols = s.missing_cols
    out.missing = s.missing
    return out


def _uses_k(m: Method) -> bool:
    try:
        return m.uses_k
    except MethodUnavailableError:
        return False


def _kernel_kwargs(m: Method, k, options, *, torch=False, random_state=None):
    fn = m.resolve("torch_fn" if torch else "fn")
    import inspect

    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # pragma: no cover
        params = {}
    has_var_kw = any(p.kind == p.VAR_KEYWORD for p in params.values())
    kw = dict(m.options)
    if "k" in params:
        kw["k"] = k
    if random_state is not None and "random_state" in params and "random_state" not in options:
        kw["random_state"] = random_state  # seeded jitter / subsampling inside the kernel
    fixed = set(kw) | {"k"}
    for key, val in options.items():
        if key in fixed and key != "k":
            raise InvalidParameterError(f"`{key}` is fixed by method {m.name!r}; choose another method instead")
        if key not in params and not has_var_kw:
            allowed = sorted(p for p in params if p not in fixed and params[p].default is not inspect.Parameter.empty)
            raise InvalidParameterError(
                f"`{key}` is not an option of method {m.name!r}; its options are {{{', '.join(allowed)}}}"
            )
        kw[key] = val
    return fn, kw


def _finite_or_raise(value, m: Method, *, allow_inf=False) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:  # pragma: no cover - kernels return floats
        raise InvalidSampleError(f"method {m.name!r} returned {value!r}, not a number") from exc
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise InvalidSampleError(
            f"method {m.name!r} returned {v} on these data (degenerate sample: too few distinct values or rows); "
            "try another method or more data"
        )
    return v


# --------------------------------------------------------------------------------------------- evaluation
def _mi_value(plan: _Plan, vars_, k, options):
    """Evaluate the plan's MI/CMI/TE kernel on prepared variables (list of _Var, in the quantity's order)."""
    m = plan.method
    if plan.torch:
        fn, kw = _kernel_kwargs(m, k, options, torch=True, random_state=plan.random_state)
        arrays = _torch_arrays(vars_)
        if any(a.shape[1] == 0 for a in arrays[:2]):
            return 0.0
        if len(arrays) == 3 and arrays[2].shape[1] == 0:
            fn2 = get_method("mutual_information", "ksg")
            fn, kw = _kernel_kwargs(fn2, k, options, torch=True)
            arrays = arrays[:2]
        return float(fn(*arrays, **kw))
    fn, kw = _kernel_kwargs(m, k, options, random_state=plan.random_state)
    if m.style == "codes":
        args = []
        for v in vars_:
            args.extend(v.codes())
        return fn(*args, **kw)
    if m.style == "ross":
        dv = vars_[0] if vars_[0].kind == "discrete" else vars_[1]
        cv = vars_[1] if dv is vars_[0] else vars_[0]
        cont, _ = cv.floats()
        if cont.shape[1] == 0:
            return 0.0
        return fn(dv.codes()[0], cont, **kw)
    if m.style == "gao":
        arrays = [v.gao() for v in vars_]
        if any(a.shape[1] == 0 for a in arrays[:2]):
            return 0.0
        if len(arrays) == 3 and arrays[2].shape[1] == 0:
            from .mixed import gao_mixed_mi

            return gao_mixed_mi(arrays[0], arrays[1], k=kw.get("k", k))
        return fn(*arrays, **kw)
    if m.style == "binning":
        x, _ = vars_[0].floats(standardize=m.scale != "raw")
        if x.shape[1] == 0:
            return 0.0
        vy = vars_[1]
        params = m.kernel_parameters()
        if vy.kind == "discrete":
            c, K = vy.codes()
            extra = {"y_discrete": True, "y_size": int(K)}
            yarg = c
        else:
            yarg, _ = vy.floats(standardize=m.scale != "raw")
            if yarg.shape[1] == 0:
                return 0.0
            extra = {"y_discrete": False}
        kw.update({key: val for key, val in extra.items() if key in params and key not in kw})
        return fn(x, yarg, **kw)
    # arrays
    arrays = [v.floats(standardize=m.scale != "raw")[0] for v in vars_]
    if any(a.shape[1] == 0 for a in arrays[:2]):
        return 0.0  # a constant variable shares no information
    if len(arrays) == 3 and arrays[2].shape[1] == 0:
        # constant condition: I(X;Y|Z) = I(X;Y); use the MI twin of the method
        twin = {"fp": "ksg", "gaussian": "gaussian", "gaussian_copula": "gaussian_copula", "knn": "ksg"}[m.name]
        fn2, kw2 = _kernel_kwargs(get_method("mutual_information", twin), k, options,
                                  random_state=plan.random_state)
        return fn2(arrays[0], arrays[1], **kw2)
    return fn(*arrays, **kw)


def _entropy_value(plan: _Plan, var: _Var, k, options):
    m = plan.method
    if plan.torch:
        fn, kw = _kernel_kwargs(m, k, options, torch=True, random_state=plan.random_state)
        t = var.s.tensor
        sd = t.std(dim=0, unbiased=False)
        if bool((sd == 0).any()):
            return -math.inf
        z = (t - t.mean(dim=0)) / sd
        return float(fn(z, **kw)) + float(sd.log().sum())
    fn, kw = _kernel_kwargs(m, k, options, random_state=plan.random_state)
    if m.style == "codes":
        return fn(*var.codes(), **kw)
    x, logscale = var.floats(standardize=m.scale != "raw")
    if x.shape[1] < var.s.d:
        if m.scale in ("shift", "raw") and m.name not in ("binning",):
            warnings.warn(
                f"`{var.name}` has a constant column: a degenerate continuous distribution has differential "
                "entropy -inf", InfokitWarning, stacklevel=4)
            return -math.inf
        if x.shape[1] == 0:
            return 0.0
    value = fn(x, **kw)
    if m.scale == "shift":
        value = float(value) + logscale
    return value


# --------------------------------------------------------------------------------------------- resampling
def _uncertainty(plan: _Plan, compute, level, perms, nb, rng, permute=None, paired=True):
    """Run CI / permutation machinery; ``compute(rows_per_var, perm)`` returns a float in nats."""
    from ..stats._resampling import _permutation_result

    ci = stderr = pvalue = null_mean = None
    if level is not None:
        n_res = nb if nb is not None else (1000 if plan.method.resample == "bootstrap" else 200)
        alpha = 1 - level
        est = compute(None, None)
        if plan.method.resample == "bootstrap":
            vals = []
            for _ in range(n_res):
                if paired:
                    idx = rng.integers(0, plan.n, size=plan.n)
                    rows = [idx] * len(plan.vars)
                else:
                    rows = [rng.integers(0, v.s.n, size=v.s.n) for v in plan.vars]
                vals.append(compute(rows, None))
            vals = np.asarray(vals, dtype=np.float64)
            _require_finite(vals, plan.method)
            ci = (float(np.quantile(vals, alpha / 2)), float(np.quantile(vals, 1 - alpha / 2)))
            stderr = float(vals.std(ddof=1)) if n_res > 1 else 0.0
        else:
            devs = []
            for _ in range(n_res):
                if paired:
                    idx = np.sort(rng.choice(plan.n, size=plan.n // 2, replace=False))
                    rows = [idx] * len(plan.vars)
                else:
                    rows = [np.sort(rng.choice(v.s.n, size=v.s.n // 2, replace=False)) for v in plan.vars]
                devs.append(compute(rows, None) - est)
            devs = np.asarray(devs, dtype=np.float64)
            _require_finite(devs, plan.method)
            ci = (float(est - np.quantile(devs, 1 - alpha / 2)), float(est - np.quantile(devs, alpha / 2)))
            stderr = float(devs.std(ddof=1)) if n_res > 1 else 0.0
    if perms is not None:
        obs = compute(None, None)
        null = np.asarray([compute(None, permute(rng)) for _ in range(perms)], dtype=np.float64)
        _require_finite(null, plan.method)
        res = _permutation_result(obs, null, "greater")
        pvalue, null_mean = res.pvalue, res.null_mean
    return ci, stderr, pvalue, null_mean


def _require_finite(vals, m):
    bad = ~np.isfinite(vals)
    if bad.any():
        raise InvalidSampleError(
            f"method {m.name!r} returned {int(bad.sum())} non-finite value(s) on resampled data; "
            "the sample is too small or degenerate for this interval/test — pass more data or use another method"
        )


def _finish(plan, value, base, level, ci, stderr, pvalue, null_mean, want_result):
    v = to_base(value, base)
    if not want_result:
        return float(v)
    conv = (lambda t: None if t is None else float(to_base(t, base)))
    return EstimateResult(
        value=float(v),
        unit=unit_name(base),
        method=plan.method.name,
        n=int(plan.n),
        ci=None if ci is None else (conv(ci[0]), conv(ci[1])),
        confidence_level=level,
        pvalue=pvalue,
        null_mean=conv(null_mean),
        stderr=conv(stderr),
    )


def _pop_backend(method_options):
    """Split ``backend=``: "numpy" / "torch" / "auto" choose the kernel family here; any other value (e.g. the
    kNN kernels' neighbour engines "scipy" / "sklearn") is passed on to the numpy kernel."""
    opts = dict(method_options)
    backend = opts.get("backend", "auto")
    if backend in ("auto", "numpy", "torch"):
        opts.pop("backend", None)
        return backend, opts
    return "numpy", opts


def _strata(var: _Var):
    """Strata for conditional permutations: codes of a discrete Z, else blocks of ~10 rows along Z's first
    principal axis (a local permutation in the spirit of Runge 2018)."""
    if var.kind == "discrete":
        return var.codes()[0]
    z, _ = var.gao() if var.kind == "mixed" else var.floats()
    if z.shape[1] == 0:
        return np.zeros(var.s.n, dtype=np.int64)
    if z.shape[1] > 1:
        _, _, vt = np.linalg.svd(z - z.mean(axis=0), full_matrices=False)
        proj = z @ vt[0]
    else:
        proj = z[:, 0]
    order = np.argsort(proj, kind="stable")
    strata = np.empty(var.s.n, dtype=np.int64)
    strata[order] = np.arange(var.s.n) // 10
    return strata


def _within_strata_permutation(strata, rng):
    keys = rng.random(strata.size)
    order = np.lexsort((keys, strata))  # rows grouped by stratum, shuffled inside
    base = np.argsort(strata, kind="stable")
    perm = np.empty_like(order)
    perm[base] = order
    return perm


# --------------------------------------------------------------------------------------------- public API
_COMMON_PARAMS = """
    method : str
        ``"auto"`` or a registered method name (see Notes). Unknown names raise
        ``InvalidParameterError: `method` must be one of {...}``.
    discrete : bool, "auto", list or dict
        Which columns are discrete. ``"auto"`` (default): integer, bool, string, categorical and object
        columns are discrete, float columns continuous (a float column holding only integers stays
        continuous, with a warning about ties). A list gives one entry per variable (each True / False /
        "auto" or a per-column list); a dict maps variable names ("x", "y", ...) to entries.
    k : int
        Neighbours of the kNN methods (ignored by the others). Must be smaller than the number of rows.
    base : float, optional
        Logarithm base of the result: ``None`` (nats), ``2`` (bits).
    nan_policy : {"raise", "omit"}
        Missing values (NaN, None, pandas NA): ``"raise"`` (default) names how many and where;
        ``"omit"`` drops every row that is incomplete in any variable (NaN is never counted as a symbol).
    ci : float or True, optional
        Confidence level (e.g. 0.95) of a resampling interval: percentile bootstrap for the discrete,
        Gaussian and binning methods; half-sampling without replacement (basic reflection) for kNN and
        kernel methods, whose estimates break on duplicated rows.
    n_bootstrap : int, optional
        Resamples for ``ci`` (default 1000 for the bootstrap, 200 for half-sampling).
    random_state : None, int or numpy.random.Generator
        Seed of the resampling / permutations (estimates themselves are deterministic).
    **method_options
        Passed to the method's kernel (e.g. ``alpha=`` for ``"bayes"``, ``bias_correct=`` for
        ``"gaussian"``, ``n_bins=`` for ``"binning"``); an unknown option raises and lists the valid ones.
        ``backend="torch"`` forces the torch kernel (CUDA tensors use it automatically)."""


def _doc(f):
    f.__doc__ = f.__doc__.replace("    %(common)s", _COMMON_PARAMS.strip("\n"))
    return f


@_doc
def estimate_entropy(
    x,
    *,
    method: str = "auto",
    discrete="auto",
    base=None,
    k: int = 3,
    nan_policy: str = "raise",
    ci=None,
    n_bootstrap: int | None = None,
    random_state=None,
    **method_options,
):
    r"""Entropy of a sample: :math:`H(X) = -E[\log p(X)]` (differential entropy for continuous ``x``).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Samples, one row per observation (numpy, list, pandas / polars, torch).
    %(common)s

    Returns
    -------
    float or EstimateResult
        The estimate in ``base`` units; an :class:`EstimateResult` when ``ci`` is given.

    Notes
    -----
    Discrete ``x`` (rows of several columns are one joint symbol): the estimators of
    ``infokit.estimators.DISCRETE_METHODS`` on the symbol counts :math:`n_i`, e.g. the plug-in
    :math:`-\sum_i \frac{n_i}{n}\log\frac{n_i}{n}`. ``method="auto"`` uses the jackknife
    (``AUTO_DISCRETE_ENTROPY``; lowest relative RMSE at n/K = 0.5…5 in ``benchmarks/bench_accuracy.py --discrete``).

    Continuous ``x``: ``"kl"`` (default; Kozachenko–Leonenko kNN, Eq. (20) of [1]_), ``"gaussian"``,
    ``"kde"``; also ``"knn_renyi"`` / ``"knn_tsallis"`` (Rényi / Tsallis entropies, pass ``alpha=`` /
    ``q=``), ``"matrix_renyi"``, ``"binning"`` and ``"dse"`` (estimands named in the registry table).
    Columns are standardised before estimation and :math:`\sum_j\log s_j` is added back
    (:math:`h(aX) = h(X) + \log|a|`), so the result is the entropy of the data as given, computed scale-safely.
    A constant column makes the differential entropy :math:`-\infty` (returned with a warning).

    References
    ----------
    .. [1] Kraskov, A., Stögbauer, H. & Grassberger, P. (2004). Estimating mutual information.
       Physical Review E 69, 066138. doi:10.1103/PhysRevE.69.066138

    Examples
    --------
    A fair coin seen equally often has one bit of entropy:

    >>> from infokit.estimators import estimate_entropy
    >>> estimate_entropy([0, 1, 0, 1], method="plugin", base=2)
    1.0
    """
    k, b, level, _, nb = _check_common(k, base, nan_policy, ci, None, n_bootstrap)
    backend, opts = _pop_backend(method_options)
    plan = _plan("entropy", [("x", x)], method=method, discrete=discrete, k=k, nan_policy=nan_policy,
                 backend=backend)
    plan.random_state = random_state
    var = plan.vars[0]
    if plan.method.style != "codes" and var.kind != "continuous":
        raise InvalidParameterError(f"method {plan.method.name!r} needs continuous `x`")

    def compute(rows, perm):
        v = var if rows is None else var.take(rows[0])
        return _finite_or_raise(_entropy_value(plan, v, k, opts), plan.method, allow_inf=True)

    value = compute(None, None)
    ci_ = stderr = None
    if level is not None:
        if not math.isfinite(value):
            raise InvalidSampleError("no confidence interval for an infinite entropy (constant column)")
        ci_, stderr, _, _ = _uncertainty(plan, compute, level, None, nb, check_random_state(random_state))
    return _finish(plan, value, b, level, ci_, stderr, None, None, level is not None)


def _self_information_warning(vx: _Var, vy: _Var):
    if vx.kind != "continuous" or vy.kind != "continuous" or vx.s.tensor is not None:
        return
    a, _ = vx.floats()
    bb, _ = vy.floats()
    if a.shape == bb.shape and a.size and np.array_equal(a, bb):
        warnings.warn(
            "`x` and `y` are the same continuous variable: I(X;X) of a continuous X is infinite in theory "
            "(knowing X removes infinitely many bits about it). The estimate is finite only because of the "
            "estimator's resolution and grows like log(n) with the sample size; it is not an information content. "
            "Use estimate_entropy(x) for the entropy, or discretise x first",
            InfokitWarning,
            stacklevel=3,
        )


@_doc
def estimate_mutual_information(
    x,
    y,
    *,
    method: str = "auto",
    discrete="auto",
    k: int = 3,
    base=None,
    nan_policy: str = "raise",
    ci=None,
    permutations: int | None = None,
    n_bootstrap: int | None = None,
    random_state=None,
    **method_options,
):
    r"""Mutual information of paired samples: :math:`I(X;Y) = H(X) + H(Y) - H(X,Y)`.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Paired samples (row i of ``x`` goes with row i of ``y``); numpy, lists, pandas / polars, torch.
    %(common)s
    permutations : int, optional
        Number of permutations of the rows of ``y`` for a test of independence; the result then carries
        ``pvalue`` (with the +1 correction) and ``null_mean`` (the estimator's bias at independence).

    Returns
    -------
    float or EstimateResult
        A float, or an :class:`EstimateResult` when ``ci`` or ``permutations`` is given.

    Notes
    -----
    ``method="auto"`` (see :func:`select_method`):

    * both discrete → ``"chao_wang_jost"`` (Chao–Wang–Jost entropies in :math:`H(X)+H(Y)-H(X,Y)`; lowest
      relative RMSE at small n/K in ``benchmarks/bench_accuracy.py --discrete``);
    * both continuous, 1×1 → ``"ksg"`` (KSG-1, Eq. (8) of [1]_);
    * both continuous, multivariate → ``"copula_max"``: the larger of the Gaussian-copula MI [4]_ and
      KSG-1 on copula-normalised margins. Both undershoot in high dimension (KSG loses 18–51 % on the BMI
      tasks; the copula MI misses non-Gaussian dependence), so the larger is the closer; on the
      ground-truth tasks it has the lowest mean relative error of every estimator we ran (docs/BENCHMARKS.md).
      At independence it carries a small positive bias (the larger of two noisy zeros);
    * one discrete and one continuous variable → ``"ross"`` [2]_;
    * a variable mixing discrete and continuous columns → ``"gao"`` [3]_;
    * a continuous column in which at least 5 % of the rows repeat a value (a point mass such as a
      zero-inflated amount, or rounded data) → ``"gao"`` [3]_ whatever the other variable is: it counts
      ties at distance zero correctly, where KSG and Ross do not (Ross returns −1.17 nats on a zero-inflated
      example whose MI is +0.29).

    Other methods: ``"ksg2"``, ``"ksg_copula"``, ``"gaussian"``, ``"gaussian_copula"``, ``"cca"``, ``"kde"``,
    ``"matrix_renyi"``, ``"cs_qmi"``, ``"binning"``, ``"adaptive_kde"``, ``"dsmi"`` and every discrete
    estimator name; with the ``torch`` extra the variational bounds ``"infonce"``, ``"nwj"``, ``"dv"``,
    ``"mine"``, ``"js"``, ``"smile"`` and the difference of entropies ``"doe"`` (each trains a critic with early
    stopping; ``ci=`` retrains it on every half-sample, so pass a small ``n_bootstrap``); and ``"learned"``, the
    MIST-tiny learned estimator (numpy inference, ≤ 5 columns per variable), whose ``ci=`` is its own
    conformally calibrated interval at the levels 0.5, 0.8, 0.9 or 0.95.

    Scale safety: continuous columns are z-scored before the kNN and kernel methods (and rank-transformed by
    the copula method), so multiplying ``x`` by 1000 does not change the estimate. A constant variable
    gives exactly 0. I(X;X) for continuous X warns: it is infinite in theory and its estimate grows with n.
    Estimates are not clipped at 0: a small negative value means "no detectable dependence".

    References
    ----------
    .. [1] Kraskov, A., Stögbauer, H. & Grassberger, P. (2004). Estimating mutual information.
       Physical Review E 69, 066138. doi:10.1103/PhysRevE.69.066138
    .. [2] Ross, B. C. (2014). Mutual information between discrete and continuous data sets.
       PLoS ONE 9(2), e87357. doi:10.1371/journal.pone.0087357
    .. [3] Gao, W., Kannan, S., Oh, S. & Viswanath, P. (2017). Estimating mutual information for
       discrete-continuous mixtures. NeurIPS 30. arXiv:1709.06212
    .. [4] Ince, R. A. A. et al. (2017). A statistical framework for neuroimaging data analysis based on
       mutual information estimated via a Gaussian copula. Human Brain Mapping 38(3), 1541–1573.
       doi:10.1002/hbm.23471

    Examples
    --------
    A copy of a fair coin carries one bit about it:

    >>> from infokit.estimators import estimate_mutual_information
    >>> estimate_mutual_information([0, 1, 0, 1], [0, 1, 0, 1], method="plugin", base=2)
    1.0
    """
    k, b, level, perms, nb = _check_common(k, base, nan_policy, ci, permutations, n_bootstrap)
    backend, opts = _pop_backend(method_options)
    plan = _plan("mutual_information", [("x", x), ("y", y)], method=method, discrete=discrete, k=k,
                 nan_policy=nan_policy, backend=backend)
    plan.random_state = random_state
    vx, vy = plan.vars
    _self_information_warning(vx, vy)

    def compute(rows, perm):
        vs = plan.vars if rows is None else [v.take(r) for v, r in zip(plan.vars, rows)]
        if perm is not None:
            vs = [vs[0], vs[1].take(perm)]
        return _finite_or_raise(_mi_value(plan, vs, k, opts), plan.method, allow_inf=plan.method.name == "gaussian")

    value = compute(None, None)
    want = level is not None or perms is not None
    ci_ = stderr = pvalue = null_mean = None
    # the learned estimator carries its own calibrated interval (its quantile heads, conformally calibrated):
    # resampling would show only the sampling spread, not the model's bias, and miss the truth
    own_ci = plan.method.name == "learned" and level is not None
    if want:
        rng = check_random_state(random_state)
        if not (own_ci and perms is None):
            ci_, stderr, pvalue, null_mean = _uncertainty(
                plan, compute, None if own_ci else level, perms, nb, rng, permute=lambda r: r.permutation(plan.n))
        if own_ci:
            ci_, stderr = _learned_interval(plan, level), None
    return _finish(plan, value, b, level, ci_, stderr, pvalue, null_mean, want)


def _learned_interval(plan, level):
    from .learned import learned_mi_interval

    xs, ys = (v.floats()[0] for v in plan.vars)
    if not (xs.shape[1] and ys.shape[1]):      # a constant variable: the estimate is exactly 0
        return (0.0, 0.0)
    return tuple(learned_mi_interval(xs, ys, level)[1:])


@_doc
def estimate_conditional_mutual_information(
    x,
    y,
    z,
    *,
    method: str = "auto",
    discrete="auto",
    k: int = 3,
    base=None,
    nan_policy: str = "raise",
    ci=None,
    permutations: int | None = None,
    n_bootstrap: int | None = None,
    random_state=None,
    **method_options,
):
    r"""Conditional mutual information :math:`I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)`.

    Parameters
    ----------
    x, y, z : array_like, shape (n,) or (n, d)
        Paired samples.
    %(common)s
    permutations : int, optional
        Conditional permutation test: rows of ``x`` are shuffled *within strata of z* (the categories of a
        discrete ``z``; blocks of 10 neighbouring rows along the first principal axis of a continuous ``z``),
        which keeps the X–Z and Y–Z dependence and breaks only X–Y given Z.

    Returns
    -------
    float or EstimateResult

    Notes
    -----
    ``method="auto"``: all discrete → ``AUTO_DISCRETE``; all continuous → ``"fp"`` (Frenzel–Pompe [1]_);
    otherwise ``"gao"`` (mixed KSG through :math:`I(X;Y,Z) - I(X;Z)`). Also ``"gaussian"``,
    ``"gaussian_copula"`` and every discrete estimator name. A constant ``z`` reduces to :math:`I(X;Y)`.

    References
    ----------
    .. [1] Frenzel, S. & Pompe, B. (2007). Partial mutual information for coupling analysis of
       multivariate time series. Physical Review Letters 99, 204101. doi:10.1103/PhysRevLett.99.204101

    Examples
    --------
    Y copies a fair coin X and Z is independent of both, so I(X;Y|Z) = H(X) = 1 bit:

    >>> from infokit.estimators import estimate_conditional_mutual_information
    >>> estimate_conditional_mutual_information([0, 1, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1],
    ...                                         method="plugin", base=2)
    1.0
    """
    k, b, level, perms, nb = _check_common(k, base, nan_policy, ci, permutations, n_bootstrap)
    backend, opts = _pop_backend(method_options)
    plan = _plan("conditional_mutual_information", [("x", x), ("y", y), ("z", z)], method=method,
                 discrete=discrete, k=k, nan_policy=nan_policy, backend=backend)
    plan.random_state = random_state
    return _cmi_like(plan, k, b, level, perms, nb, random_state, opts)


def _cmi_like(plan, k, b, level, perms, nb, random_state, opts):
    def compute(rows, perm):
        vs = plan.vars if rows is None else [v.take(r) for v, r in zip(plan.vars, rows)]
        if perm is not None:
            vs = [vs[0].take(perm), vs[1], vs[2]]
        return _finite_or_raise(_mi_value(plan, vs, k, opts), plan.method, allow_inf=plan.method.name == "gaussian")

    value = compute(None, None)
    want = level is not None or perms is not None
    ci_ = stderr = pvalue = null_mean = None
    if want:
        rng = check_random_state(random_state)
        strata = _strata(plan.vars[2]) if perms is not None else None
        ci_, stderr, pvalue, null_mean = _uncertainty(
            plan, compute, level, perms, nb, rng, permute=lambda r: _within_strata_permutation(strata, r))
    return _finish(plan, value, b, level, ci_, stderr, pvalue, null_mean, want)


@_doc
def estimate_kl_divergence(
    x,
    y,
    *,
    method: str = "auto",
    discrete="auto",
    k: int = 1,
    base=None,
    nan_policy: str = "raise",
    ci=None,
    permutations: int | None = None,
    n_bootstrap: int | None = None,
    random_state=None,
    **method_options,
):
    r"""KL divergence :math:`D(P\|Q) = E_P[\log p(X)/q(X)]` from a sample ``x`` of P and a sample ``y`` of Q.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Sample of P.
    y : array_like, shape (m, d)
        Sample of Q (``m`` may differ from ``n``; the columns must match).
    %(common)s
    permutations : int, optional
        Two-sample permutation test of P = Q (rows of the pooled sample are reassigned at random).

    Returns
    -------
    float or EstimateResult

    Notes
    -----
    ``"knn"`` (continuous; auto): Eq. (5) of [1]_,
    :math:`\hat D = \frac{d}{n}\sum_i\log\frac{\nu_k(i)}{\rho_k(i)} + \log\frac{m}{n-1}`, with
    :math:`\rho_k` the k-NN distance within ``x`` and :math:`\nu_k` the k-NN distance from ``x_i`` to ``y``.
    Both samples are standardised with the *pooled* mean and standard deviation (a common affine map leaves
    the divergence unchanged). ``"plugin"`` (discrete; auto): the KL of the empirical pmfs (``inf`` when Q
    misses a symbol that P has).

    References
    ----------
    .. [1] Wang, Q., Kulkarni, S. R. & Verdú, S. (2009). Divergence estimation for multidimensional
       densities via k-nearest-neighbor distances. IEEE Trans. Inf. Theory 55(5), 2392–2405.
       doi:10.1109/TIT.2009.2016060

    Examples
    --------
    P = fair coin, Q = a coin with P(1) = 1/4: D = ½log(½/¾) + ½log(½/¼) = ½log(4/3) ≈ 0.1438 nats:

    >>> from infokit.estimators import estimate_kl_divergence
    >>> round(estimate_kl_divergence([0, 1], [0, 0, 0, 1], method="plugin"), 4)
    0.1438
    """
    k, b, level, perms, nb = _check_common(k, base, nan_policy, ci, permutations, n_bootstrap)
    backend, opts = _pop_backend(method_options)
    plan = _plan("kl_divergence", [("x", x), ("y", y)], method=method, discrete=discrete, k=k,
                 nan_policy=nan_policy, paired=False, backend="numpy" if backend == "auto" else backend)
    plan.random_state = random_state
    vx, vy = plan.vars
    if vx.s.d != vy.s.d:
        raise ShapeMismatchError(
            f"`x` and `y` must have the same number of columns (samples of distributions on one space); "
            f"got {vx.s.d} and {vy.s.d}"
        )
    m = plan.method
    nx = vx.s.n

    def pooled(vs):
        a, bb = vs
        if m.style == "kl_codes":
            from .discrete import factorize

            both = [np.concatenate([ca, cb]) for ca, cb in zip(a.s.columns, bb.s.columns)]
            if len(both) == 1:
                codes, K = factorize(both[0])[:2]
            else:
                from .discrete import combine_codes

                fc = [factorize(c)[:2] for c in both]
                codes, K = combine_codes([c for c, _ in fc], [kk for _, kk in fc])
            codes = np.asarray(codes, dtype=np.int64)
            return codes[: a.s.n], codes[a.s.n:], int(K)
        xs = np.column_stack([np.asarray(c, dtype=np.float64) for c in a.s.columns])
        ys = np.column_stack([np.asarray(c, dtype=np.float64) for c in bb.s.columns])
        allr = np.vstack([xs, ys])
        mu, sd = allr.mean(axis=0), allr.std(axis=0)
        keep = sd > 0  # a column constant in both samples at one value does not separate P from Q
        return (xs[:, keep] - mu[keep]) / sd[keep], (ys[:, keep] - mu[keep]) / sd[keep]

    def compute(rows, perm):
        vs = plan.vars if rows is None else [v.take(r) for v, r in zip(plan.vars, rows)]
        if perm is not None:
            pool = [np.concatenate([ca, cb]) for ca, cb in zip(vs[0].s.columns, vs[1].s.columns)]
            pool = [c[perm] for c in pool]
            na = vs[0].s.n
            vs = [_Var(Sample("x", [c[:na] for c in pool], vs[0].s.labels, vs[0].s.auto_discrete,
                              vs[0].s.integer_floats, na), vs[0].mask),
                  _Var(Sample("y", [c[na:] for c in pool], vs[1].s.labels, vs[1].s.auto_discrete,
                              vs[1].s.integer_floats, len(pool[0]) - na), vs[1].mask)]
        fn, kw = _kernel_kwargs(m, k, opts, random_state=plan.random_state)
        args = pooled(vs)
        if m.style != "kl_codes" and args[0].shape[1] == 0:
            return 0.0
        return _finite_or_raise(fn(*args, **kw), m, allow_inf=True)

    value = compute(None, None)
    want = level is not None or perms is not None
    ci_ = stderr = pvalue = null_mean = None
    if want:
        rng = check_random_state(random_state)
        total = nx + vy.s.n
        ci_, stderr, pvalue, null_mean = _uncertainty(
            plan, compute, level, perms, nb, rng, permute=lambda r: r.permutation(total), paired=False)
    return _finish(plan, value, b, level, ci_, stderr, pvalue, null_mean, want)


def _embed(col: np.ndarray, lags, t0: int) -> list:
    """For rows t = t0..n-1, the lagged columns col[t - lag], one per lag (t0 >= every lag)."""
    n = col.shape[0]
    return [col[t0 - lag: n - lag] for lag in lags]


@_doc
def estimate_transfer_entropy(
    source,
    target,
    *,
    lag: int = 1,
    history: int = 1,
    method: str = "auto",
    discrete="auto",
    k: int = 3,
    base=None,
    nan_policy: str = "raise",
    ci=None,
    permutations: int | None = None,
    n_bootstrap: int | None = None,
    random_state=None,
    **method_options,
):
    r"""Transfer entropy :math:`T_{X\to Y} = I(Y_t;\, X^{(h)}_{t-\ell} \mid Y^{(h)}_{t-1})` of two time series.

    Parameters
    ----------
    source, target : array_like, shape (n,) or (n, d)
        Time series sampled at the same times (row t = time t).
    lag : int
        Source lag :math:`\ell \ge 1`: the source's most recent value used is :math:`X_{t-\ell}`.
    history : int
        Embedding length :math:`h` of both pasts: :math:`X^{(h)}_{t-\ell} = (X_{t-\ell}, …, X_{t-\ell-h+1})`
        and :math:`Y^{(h)}_{t-1} = (Y_{t-1}, …, Y_{t-h})`.
    %(common)s
    permutations : int, optional
        Surrogate test: the source-history rows are permuted within strata of the target history.

    Returns
    -------
    float or EstimateResult

    Notes
    -----
    Schreiber's transfer entropy [1]_ is computed as the conditional mutual information of the delay
    embedding, rows :math:`t = \max(\ell + h - 1, h) … n-1`: ``"knn"`` (auto for continuous series;
    Frenzel–Pompe CMI), ``"gaussian"`` (= half the Granger statistic for Gaussian processes),
    ``"gaussian_copula"``, and every discrete estimator name (auto for discrete series: ``AUTO_DISCRETE``).
    With ``nan_policy="omit"`` embedded rows that touch a missing value are dropped (the time alignment is
    kept).

    References
    ----------
    .. [1] Schreiber, T. (2000). Measuring information transfer. Physical Review Letters 85(2), 461.
       doi:10.1103/PhysRevLett.85.461

    Examples
    --------
    Y copies X one step later and X is a fair coin, so the source's past tells one bit about Y_t that
    Y's own past does not:

    >>> from infokit.estimators import estimate_transfer_entropy
    >>> x = [0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0]
    >>> y = [0] + x[:-1]
    >>> round(estimate_transfer_entropy(x, y, method="plugin", base=2), 1)
    1.0
    """
    k, b, level, perms, nb = _check_common(k, base, nan_policy, ci, permutations, n_bootstrap)
    lag = check_positive_int(lag, "lag")
    history = check_positive_int(history, "history")
    backend, opts = _pop_backend(method_options)
    src = as_sample(source, "source")
    tgt = as_sample(target, "target")
    check_same_length([src, tgt])
    src, tgt = src.to_numpy(), tgt.to_numpy()
    t0 = max(lag + history - 1, history)
    if src.n - t0 < 2:
        raise InvalidSampleError(
            f"the series are too short for lag={lag} and history={history}: {src.n} time points leave "
            f"{max(src.n - t0, 0)} embedded rows; pass longer series or smaller lag/history"
        )
    n_rows = src.n - t0
    x_lags = [lag + i for i in range(history)]
    y_lags = [1 + i for i in range(history)]
    future = [c[t0:] for c in tgt.columns]
    spast = [e for c in src.columns for e in _embed(c, x_lags, t0)]
    tpast = [e for c in tgt.columns for e in _embed(c, y_lags, t0)]
    assert all(len(e) == n_rows for e in spast + tpast + future)
    if isinstance(discrete, (list, tuple)) and len(discrete) == 2:
        disc = {"x": discrete[0], "y": discrete[1], "z": discrete[1]}
    elif isinstance(discrete, dict):
        disc = {"x": discrete.get("source", "auto"), "y": discrete.get("target", "auto"),
                "z": discrete.get("target", "auto")}
    else:
        disc = discrete
    if isinstance(disc, dict):
        # per-column specs must be replicated over the embedding
        def rep(spec, d_src, h):
            return spec if isinstance(spec, (bool, str)) else [v for v in spec for _ in range(h)]

        disc = {"x": rep(disc["x"], src.d, history), "y": disc["y"], "z": rep(disc["z"], tgt.d, history)}
    named = [("x", np.column_stack(spast)), ("y", np.column_stack(future)), ("z", np.column_stack(tpast))]
    named = [(nm, a[:, 0] if a.shape[1] == 1 else a) for nm, a in named]
    plan = _plan("transfer_entropy", named, method=method, discrete=disc, k=k, nan_policy=nan_policy,
                 backend=backend)
    plan.random_state = random_state
    plan.vars = [_rename(v, nm) for v, nm in zip(plan.vars, ("source history", "target future", "target history"))]
    return _cmi_like(plan, k, b, level, perms, nb, random_state, opts)


def _rename(v: _Var, name: str) -> _Var:
    v.s.name = name
    return v
