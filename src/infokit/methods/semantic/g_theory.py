r"""G theory: Lu Chenguang's semantic generalisation of Shannon's information theory [1]_.

A *semantic channel* is a set of truth functions :math:`T(\theta_j \mid x) \in [0, 1]`, one per label
:math:`y_j` (the fuzzy extension of "x is y_j", normalised so that :math:`\max_x T(\theta_j\mid x) = 1`),
next to the *Shannon channel* :math:`P(y_j \mid x)` that says how often the label is actually used. Arrays follow
infokit's channel convention: ``truth[i, j]`` is :math:`T(\theta_j \mid x_i)` (rows = facts x, columns =
labels), exactly like ``channel[i, j]`` is :math:`P(y_j \mid x_i)` and ``joint[i, j]`` is :math:`P(x_i, y_j)`.

The quantities (all logarithms in nats, converted once by ``base``):

* logical probability :math:`T(\theta_j) = \sum_i P(x_i) T(\theta_j\mid x_i)`;
* semantic Bayes :math:`P(x\mid\theta_j) = P(x) T(\theta_j\mid x) / T(\theta_j)`;
* semantic information :math:`I(x_i;\theta_j) = \log T(\theta_j\mid x_i)/T(\theta_j)`;
* semantic mutual information :math:`I(X;\Theta) = \sum_{ij} P(x_i, y_j)\log T(\theta_j\mid x_i)/T(\theta_j)
  = H(\Theta) - H(\Theta\mid X)`, never above the Shannon MI, equal to it for *matched* truth functions
  :math:`T^*(\theta_j\mid x) = P(y_j\mid x)/\max_x P(y_j\mid x)`;
* maximum-semantic-information classification, the MMI classification iteration of [2]_, the R(G) function
  and CM-EM for mixture models [3]_.

Zero truth values make semantic information :math:`-\infty` (a statement that is certainly false); every
function here returns ``-inf`` (with an :class:`~infokit.exceptions.InfokitWarning` naming the entries),
never NaN.

References
----------
.. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications. Entropy
   27(5):461. arXiv:2510.15871.
.. [2] Lu, C. (2017). Channels' matching algorithm for mixture models. Intelligence Science I (ICIS 2017),
   IFIP AICT 510:321–332. doi:10.1007/978-3-319-68121-4_35.
.. [3] Lu, C. (2018). From the EM algorithm to the CM-EM algorithm for global convergence of mixture models.
   arXiv:1810.11227.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from ..._backend import to_numpy
from ..._units import check_base, to_base, unit_name
from ..._validation import (
    as_float_array,
    check_choice,
    check_joint,
    check_nonneg_float,
    check_pmf,
    check_positive_int,
    check_random_state,
    default_atol,
)
from ...exceptions import (
    ConvergenceWarning,
    InfokitWarning,
    InvalidDistributionError,
    InvalidParameterError,
    ShapeMismatchError,
)
from ...measures import kl_divergence, mutual_information

__all__ = [
    "logical_probability",
    "semantic_bayes",
    "semantic_information",
    "semantic_entropy",
    "fuzzy_entropy",
    "semantic_mutual_information",
    "matched_truth_functions",
    "semantic_classify",
    "mmi_classification",
    "rate_fidelity",
    "rate_fidelity_curve",
    "mixture_information",
    "fit_gaussian_mixture",
    "SemanticClassification",
    "MMIClassification",
    "RateFidelityPoint",
    "RateFidelityCurve",
    "MixtureInformation",
    "GaussianMixtureFit",
]


def _frozen(a, dtype=np.float64):
    a = np.array(a, dtype=dtype, copy=True)
    a.setflags(write=False)
    return a


# ============================================================================================ validation
def _matrix(a, name):
    return np.asarray(to_numpy(as_float_array(a, name)), dtype=np.float64)


def _check_truth(truth, name="truth", *, normalize=False, atol=None):
    """Truth functions as a 2-D array (n_x, n_labels): finite, in [0, 1], each column reaching 1.

    Returns ``(T, was_1d)``. A 1-D input is one truth function (one label).
    """
    t = _matrix(truth, name)
    was_1d = t.ndim == 1
    if t.ndim not in (1, 2):
        raise InvalidDistributionError(
            f"`{name}` must be a truth function (n_x,) or a matrix (n_x, n_labels) with truth[i, j] = "
            f"T(theta_j | x_i); got shape {t.shape}"
        )
    t = t[:, None] if was_1d else t
    if not np.isfinite(t).all():
        bad = np.argwhere(~np.isfinite(t))[0]
        raise InvalidDistributionError(
            f"`{name}` must contain only finite truth values in [0, 1]; got {t[tuple(bad)]!r} at x index "
            f"{int(bad[0])}, label {int(bad[1])}"
        )
    if (t < 0).any() or ((t > 1).any() and not normalize):
        where = np.argwhere((t < 0) | (t > 1))[0]
        raise InvalidDistributionError(
            f"`{name}` values are truth values (fuzzy-set memberships) and must lie in [0, 1]; got "
            f"{t[tuple(where)]:.6g} at x index {int(where[0])}, label {int(where[1])}"
            + ("; negative truth values have no meaning" if t[tuple(where)] < 0 else
               "; pass normalize=True to divide each truth function by its maximum")
        )
    top = t.max(axis=0)
    if (top <= 0).any():
        j = int(np.flatnonzero(top <= 0)[0])
        raise InvalidDistributionError(
            f"`{name}` label {j} is false for every x (all truth values are 0): its logical probability is 0 "
            "and its semantic information is undefined; drop the label"
        )
    if normalize:
        return t / top[None, :], was_1d
    tol = default_atol(t) if atol is None else float(atol)
    off = np.abs(top - 1.0) > tol
    if off.any():
        j = int(np.flatnonzero(off)[0])
        raise InvalidDistributionError(
            f"`{name}` label {j} must reach truth value 1 for some x (a truth function is a membership "
            f"function with maximum 1); got maximum {top[j]:.6g} ({int(off.sum())} label(s) without a 1); "
            "pass normalize=True to divide each truth function by its maximum"
        )
    return t, was_1d


def _check_px(p_x, n_x, name="p_x"):
    p = np.asarray(to_numpy(check_pmf(p_x, name)), dtype=np.float64)
    if p.ndim != 1:
        raise InvalidDistributionError(f"`{name}` must be a 1-D pmf over the facts x; got shape {p.shape}")
    if p.size != n_x:
        raise ShapeMismatchError(
            f"`{name}` must have one probability per row of `truth` ({n_x} facts x); got {p.size} entries"
        )
    return p


def _check_logical(tj, where="p_x"):
    if (tj <= 0).any():
        j = int(np.flatnonzero(tj <= 0)[0])
        raise InvalidDistributionError(
            f"label {j} has logical probability T(theta_{j}) = 0 under `{where}`: it is true only where "
            f"`{where}` is 0, so its semantic Bayes posterior is undefined; drop the label or fix `{where}`"
        )


def _check_joint_truth(joint, truth, normalize):
    j = np.asarray(to_numpy(check_joint(joint, "joint")), dtype=np.float64)
    if j.ndim != 2:
        raise InvalidDistributionError(
            f"`joint` must be a 2-D table P(x, y) (rows = facts x, columns = labels y); got shape {j.shape}"
        )
    t, _ = _check_truth(truth, normalize=normalize)
    if t.shape != j.shape:
        raise ShapeMismatchError(
            f"`truth` and `joint` must have the same shape (n_x, n_labels): one truth function per label "
            f"column; got {t.shape} and {j.shape}"
        )
    return j, t


def _check_channel(channel, name="channel"):
    c = _matrix(channel, name)
    if c.ndim != 2:
        raise InvalidDistributionError(
            f"`{name}` must be a 2-D row-stochastic matrix, {name}[i, j] = P(y_j | x_i); got shape {c.shape}"
        )
    return np.asarray(check_pmf(c, name, axis=-1), dtype=np.float64)


def _warn_minus_inf(what, mask, stacklevel=3):
    i, j = (int(v) for v in np.argwhere(mask)[0])
    warnings.warn(
        f"{what} is -inf: {int(mask.sum())} pair(s) (the first x index {i}, label {j}) have truth value "
        "T(theta_j | x_i) = 0, i.e. a certainly false statement carries -inf semantic information; clip the truth "
        "functions away from 0 (e.g. np.maximum(truth, 1e-6)) for a finite value",
        InfokitWarning,
        stacklevel=stacklevel,
    )


# ================================================================================================ kernels
def _log(a):
    with np.errstate(divide="ignore"):
        return np.log(a)


def _log_m(t, p):
    """log m_ij = log T(θ_j|x_i) − log T(θ_j) (−inf where T = 0): the semantic information of [1]_ in nats."""
    tj = p @ t
    return _log(t) - _log(tj)[None, :], tj


def _weighted_log_sum(w, log_v):
    """Σ w·log_v over the entries with w > 0 (0·log 0 = 0); −inf if one of them has log_v = −inf."""
    pos = w > 0
    vals = np.broadcast_to(log_v, w.shape)[pos]
    if np.isneginf(vals).any():
        return -math.inf
    return float(np.sum(w[pos] * vals))


def _matched(channel):
    """T*(θ_j|x) = P(y_j|x) / max_x P(y_j|x) for the used labels; unused columns stay 0."""
    top = channel.max(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(top[None, :] > 0, channel / np.where(top > 0, top, 1.0)[None, :], 0.0)


def _scores(evidence, log_m):
    """score[z, j] = Σ_i P(x_i|z) log m_ij with 0·(−inf) = 0 (−inf where evidence meets a false x)."""
    shape = evidence.shape + (log_m.shape[1],)
    pos = np.broadcast_to(evidence[:, :, None] > 0, shape)
    lm = np.broadcast_to(log_m[None, :, :], shape)
    with np.errstate(invalid="ignore"):
        terms = np.where(pos, evidence[:, :, None] * np.where(pos, lm, 0.0), 0.0)
    s = terms.sum(axis=1)
    dead = (pos & np.isneginf(lm)).any(axis=1)
    s[dead] = -np.inf
    return s


# ================================================================================================ basics
def logical_probability(truth, p_x, *, normalize=False):
    r"""Logical probability :math:`T(\theta_j) = \sum_i P(x_i)\, T(\theta_j \mid x_i)` of each label.

    Parameters
    ----------
    truth : array_like, shape (n_x,) or (n_x, n_labels)
        Truth functions, ``truth[i, j]`` = :math:`T(\theta_j\mid x_i) \in [0, 1]` with maximum 1 per label.
    p_x : array_like, shape (n_x,)
        Prior pmf :math:`P(x)` of the facts.
    normalize : bool
        Divide each truth function by its maximum instead of requiring a 1.

    Returns
    -------
    float or ndarray, shape (n_labels,)
        :math:`T(\theta_j)`: the probability that label j is true of a random fact. Unlike
        :math:`P(y_j)`, these need not sum to 1 (a tautology has :math:`T(\theta) = 1`).

    Notes
    -----
    .. math:: T(\theta_j) = \sum_i P(x_i)\, T(\theta_j \mid x_i)

    the logical probability of [1]_, the normaliser of the semantic Bayes formula.

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.

    Examples
    --------
    "Young" among (child, youth, adult, elderly) with prior (0.2, 0.3, 0.3, 0.2):

    >>> from infokit.methods.semantic import logical_probability
    >>> round(logical_probability([1, 0.8, 0.2, 0.02], [0.2, 0.3, 0.3, 0.2]), 6)
    0.504
    """
    t, was_1d = _check_truth(truth, normalize=normalize)
    p = _check_px(p_x, t.shape[0])
    tj = p @ t
    return float(tj[0]) if was_1d else tj


def semantic_bayes(truth, p_x, *, normalize=False):
    r"""Semantic Bayes posterior :math:`P(x \mid \theta_j) = P(x)\, T(\theta_j\mid x) / T(\theta_j)`.

    Parameters are those of :func:`logical_probability`.

    Returns
    -------
    ndarray, shape (n_x,) or (n_x, n_labels)
        One pmf over x per label (columns): what hearing "y_j" (taken as true) tells about x.

    Raises
    ------
    InvalidDistributionError
        If a label is true only where ``p_x`` is 0 (logical probability 0).

    Notes
    -----
    .. math:: P(x \mid \theta_j) = \frac{P(x)\, T(\theta_j \mid x)}{\sum_{x'} P(x')\, T(\theta_j \mid x')}

    the semantic Bayes formula of [1]_; it is the likelihood that makes the maximum-semantic-information
    criterion a maximum-likelihood criterion.

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.

    Examples
    --------
    >>> from infokit.methods.semantic import semantic_bayes
    >>> semantic_bayes([1, 0.8, 0.2, 0.02], [0.2, 0.3, 0.3, 0.2]).round(4).tolist()
    [0.3968, 0.4762, 0.119, 0.0079]
    """
    t, was_1d = _check_truth(truth, normalize=normalize)
    p = _check_px(p_x, t.shape[0])
    tj = p @ t
    _check_logical(tj)
    post = p[:, None] * t / tj[None, :]
    return post[:, 0] if was_1d else post


def semantic_information(truth, p_x, *, base=None, normalize=False):
    r"""Semantic information :math:`I(x_i;\theta_j) = \log T(\theta_j\mid x_i) / T(\theta_j)` of every (fact, label).

    Parameters
    ----------
    truth, p_x, normalize
        As in :func:`logical_probability`.
    base : float, optional
        Unit: ``None`` (nats), ``2`` (bits).

    Returns
    -------
    ndarray, shape (n_x,) or (n_x, n_labels)
        Positive where the label is truer of :math:`x_i` than on average, negative for unlikely statements,
        0 for a tautology (:math:`T \equiv 1`), ``-inf`` where :math:`T(\theta_j\mid x_i) = 0` (with a
        warning).

    Notes
    -----
    .. math:: I(x_i;\theta_j) = \log\frac{T(\theta_j\mid x_i)}{T(\theta_j)}
              = \log\frac{P(x_i\mid\theta_j)}{P(x_i)}

    the semantic information measure of [1]_ (a log normalised likelihood).

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.

    Examples
    --------
    "Young" said of a child carries about one bit; said of an elderly person, it is strongly false:

    >>> from infokit.methods.semantic import semantic_information
    >>> semantic_information([1, 0.8, 0.2, 0.02], [0.2, 0.3, 0.3, 0.2], base=2).round(4).tolist()
    [0.9885, 0.6666, -1.3334, -4.6554]
    """
    b = check_base(base)
    t, was_1d = _check_truth(truth, normalize=normalize)
    p = _check_px(p_x, t.shape[0])
    lm, tj = _log_m(t, p)
    _check_logical(tj)
    zero = t == 0
    if zero.any():
        _warn_minus_inf("semantic information I(x_i; theta_j)", zero)
    out = to_base(lm, b)
    return out[:, 0] if was_1d else out


def semantic_entropy(joint, truth, *, base=None, normalize=False):
    r"""Semantic entropy :math:`H(\Theta) = -\sum_j P(y_j) \log T(\theta_j)`.

    Parameters
    ----------
    joint : array_like, shape (n_x, n_labels)
        :math:`P(x_i, y_j)`: how the labels are used (the Shannon channel times the prior).
    truth : array_like, shape (n_x, n_labels)
        The semantic channel :math:`T(\theta_j\mid x_i)`.
    base : float, optional
        Unit: ``None`` (nats), ``2`` (bits).
    normalize : bool
        Divide each truth function by its maximum instead of requiring a 1.

    Returns
    -------
    float
        A cross entropy of :math:`P(y)` against the logical probabilities; :math:`\ge 0`.

    Notes
    -----
    .. math:: H(\Theta) = -\sum_j P(y_j)\log T(\theta_j), \qquad T(\theta_j) = \sum_i P(x_i) T(\theta_j\mid x_i)

    with :math:`P(x), P(y)` the marginals of ``joint`` [1]_. :math:`I(X;\Theta) = H(\Theta) - H(\Theta\mid X)`.

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.

    Examples
    --------
    >>> from infokit.methods.semantic import semantic_entropy
    >>> semantic_entropy([[0.5, 0.0], [0.0, 0.5]], [[1.0, 0.0], [0.0, 1.0]], base=2)   # crisp labels: 1 bit
    1.0
    """
    b = check_base(base)
    j, t = _check_joint_truth(joint, truth, normalize)
    p, py = j.sum(axis=1), j.sum(axis=0)
    tj = p @ t
    used = py > 0
    if (tj[used] <= 0).any():
        _check_logical(tj[used], "joint")
    return float(to_base(-_weighted_log_sum(py, _log(tj)), b))


def fuzzy_entropy(joint, truth, *, base=None, normalize=False):
    r"""Fuzzy entropy :math:`H(\Theta\mid X) = -\sum_{ij} P(x_i, y_j)\log T(\theta_j\mid x_i)` (mean semantic distortion).

    Parameters are those of :func:`semantic_entropy`.

    Returns
    -------
    float
        :math:`\ge 0`; ``+inf`` (with a warning) when a label is used for a fact where it is false
        (:math:`P(x_i, y_j) > 0` and :math:`T(\theta_j\mid x_i) = 0`).

    Notes
    -----
    .. math:: H(\Theta\mid X) = -\sum_{i,j} P(x_i, y_j)\log T(\theta_j\mid x_i)
              = \mathbb E\, d(x, y), \quad d(x_i, y_j) = -\log T(\theta_j\mid x_i)

    the average semantic distortion of [1]_.

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.

    Examples
    --------
    >>> from infokit.methods.semantic import fuzzy_entropy
    >>> fuzzy_entropy([[0.5, 0.0], [0.0, 0.5]], [[1.0, 0.0], [0.0, 1.0]])   # crisp and always true: 0
    0.0
    """
    b = check_base(base)
    j, t = _check_joint_truth(joint, truth, normalize)
    bad = (j > 0) & (t == 0)
    if bad.any():
        _warn_minus_inf("the semantic information of the used pairs (fuzzy entropy = +inf)", bad)
        return math.inf
    return float(to_base(-_weighted_log_sum(j, _log(t)), b)) + 0.0


def semantic_mutual_information(joint, truth, *, base=None, normalize=False):
    r"""Semantic mutual information :math:`I(X;\Theta) = \sum_{ij} P(x_i,y_j)\log T(\theta_j\mid x_i)/T(\theta_j)`.

    Parameters
    ----------
    joint : array_like, shape (n_x, n_labels)
        :math:`P(x_i, y_j)`: the prior times the Shannon channel (how the labels are actually used).
    truth : array_like, shape (n_x, n_labels)
        The semantic channel :math:`T(\theta_j \mid x_i)`, values in [0, 1] with maximum 1 per label.
    base : float, optional
        Unit: ``None`` (nats), ``2`` (bits).
    normalize : bool
        Divide each truth function by its maximum instead of requiring a 1.

    Returns
    -------
    float
        :math:`I(X;\Theta) \le I(X;Y)`, with equality iff the truth functions are matched
        (:func:`matched_truth_functions`) on the used labels. ``-inf`` (with a warning), never NaN, when a label
        is used for a fact where its truth value is 0.

    Notes
    -----
    .. math::

        I(X;\Theta) = \sum_{i,j} P(x_i, y_j)\log\frac{T(\theta_j\mid x_i)}{T(\theta_j)}
                    = H(\Theta) - H(\Theta\mid X),

    [1]_. The gap to Shannon's MI is
    :math:`I(X;Y) - I(X;\Theta) = \sum_j P(y_j)\, D_{KL}[P(x\mid y_j)\,\|\,P(x\mid\theta_j)] \ge 0`.

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.

    Examples
    --------
    The worked example of the notes (ages and the labels "young" / "old"): 0.349 bits, below the Shannon MI
    0.418 bits of the same channel.

    >>> from infokit.methods.semantic import semantic_mutual_information
    >>> import numpy as np
    >>> p_x = np.array([0.2, 0.3, 0.3, 0.2])
    >>> young = np.array([0.9, 0.7, 0.2, 0.0])
    >>> joint = p_x[:, None] * np.stack([young, 1 - young], axis=1)
    >>> truth = np.array([[1, 0.8, 0.2, 0.02], [0.02, 0.1, 0.6, 1]]).T
    >>> round(semantic_mutual_information(joint, truth, base=2), 5)
    0.34895
    """
    b = check_base(base)
    j, t = _check_joint_truth(joint, truth, normalize)
    p, py = j.sum(axis=1), j.sum(axis=0)
    lm, tj = _log_m(t, p)
    used = py > 0
    if (tj[used] <= 0).any():
        _check_logical(tj[used], "joint")
    bad = (j > 0) & (t == 0)
    if bad.any():
        _warn_minus_inf("semantic mutual information I(X; Theta)", bad)
        return -math.inf
    return float(to_base(_weighted_log_sum(j, lm), b)) + 0.0


def matched_truth_functions(channel):
    r"""Truth functions matched to a Shannon channel: :math:`T^*(\theta_j\mid x) = P(y_j\mid x) / \max_x P(y_j\mid x)`.

    Parameters
    ----------
    channel : array_like, shape (n_x, n_labels)
        Row-stochastic Shannon channel, ``channel[i, j]`` = :math:`P(y_j\mid x_i)`.

    Returns
    -------
    ndarray, shape (n_x, n_labels)
        :math:`T^*`; with it the semantic MI equals the Shannon MI of the channel ("the semantic channel
        matches the Shannon channel", [1]_), and :math:`P(x\mid\theta_j^*) = P(x\mid y_j)`.

    Raises
    ------
    InvalidDistributionError
        If ``channel`` is not row-stochastic, or a label is never used (a column of zeros has no maximum).

    Notes
    -----
    .. math:: T^*(\theta_j\mid x) = \frac{P(y_j\mid x)}{\max_{x'} P(y_j\mid x')}

    The learning rule of [1]_: the matched truth function is the maximum-semantic-information (= maximum
    likelihood) truth function for the sample the channel generates.

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.

    Examples
    --------
    >>> from infokit.methods.semantic import matched_truth_functions
    >>> matched_truth_functions([[0.9, 0.1], [0.7, 0.3], [0.2, 0.8], [0.0, 1.0]]).round(4).T.tolist()
    [[1.0, 0.7778, 0.2222, 0.0], [0.1, 0.3, 0.8, 1.0]]
    """
    c = _check_channel(channel)
    top = c.max(axis=0)
    if (top <= 0).any():
        j = int(np.flatnonzero(top <= 0)[0])
        raise InvalidDistributionError(
            f"`channel` column {j} is all zeros: label {j} is never used, so it has no matched truth function; "
            "drop the label (its column)"
        )
    return _matched(c)


# ========================================================================================= classification
@dataclass(frozen=True)
class SemanticClassification:
    """Result of :func:`semantic_classify`.

    Attributes
    ----------
    labels : ndarray of int, shape (n_z,) (or int for one evidence)
        The label of maximum semantic information for each evidence; -1 where every label is -inf.
    scores : ndarray, shape (n_z, n_labels) (or (n_labels,))
        :math:`I(X;\\theta_j \\mid z) = \\sum_i P(x_i\\mid z)\\log T(\\theta_j\\mid x_i)/T(\\theta_j)`.
    unit : str
    """

    labels: np.ndarray | int
    scores: np.ndarray
    unit: str


def semantic_classify(evidence, truth, p_x, *, base=None, normalize=False) -> SemanticClassification:
    r"""Label of maximum semantic information for evidence :math:`P(x\mid z)`: :math:`\arg\max_j \sum_i P(x_i\mid z)\, I(x_i;\theta_j)`.

    Parameters
    ----------
    evidence : array_like, shape (n_x,) or (n_z, n_x)
        Posterior pmf(s) :math:`P(x\mid z)` of the facts given each observation z.
    truth : array_like, shape (n_x, n_labels)
        The semantic channel.
    p_x : array_like, shape (n_x,)
        Prior :math:`P(x)` (defines the logical probabilities).
    base : float, optional
        Unit of the scores.
    normalize : bool
        Divide each truth function by its maximum instead of requiring a 1.

    Returns
    -------
    SemanticClassification
        ``labels`` and ``scores``.

    Notes
    -----
    "The Shannon channel matches the semantic channel" [1]_:

    .. math:: y^*(z) = \arg\max_j \sum_i P(x_i\mid z)\log\frac{T(\theta_j\mid x_i)}{T(\theta_j)} .

    A label false (:math:`T = 0`) for a fact the evidence allows scores ``-inf``; if all labels do, the
    label is -1 (with a warning).

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.

    Examples
    --------
    >>> from infokit.methods.semantic import semantic_classify
    >>> truth = [[1, 0.02], [0.8, 0.1], [0.2, 0.6], [0.02, 1]]
    >>> r = semantic_classify([0.1, 0.5, 0.3, 0.1], truth, [0.2, 0.3, 0.3, 0.2], base=2)
    >>> r.labels, r.scores.round(4).tolist()   # "young"
    (0, [-0.4334, -1.1741])
    """
    b = check_base(base)
    t, _ = _check_truth(truth, normalize=normalize)
    p = _check_px(p_x, t.shape[0])
    e = _matrix(evidence, "evidence")
    single = e.ndim == 1
    e2 = e[None, :] if single else e
    if e2.ndim != 2 or e2.shape[1] != t.shape[0]:
        raise ShapeMismatchError(
            f"`evidence` must be P(x | z) of shape (n_x,) or (n_z, n_x) with n_x = {t.shape[0]} (rows of "
            f"`truth`); got shape {e.shape}"
        )
    e2 = np.asarray(check_pmf(e2, "evidence", axis=-1), dtype=np.float64)
    lm, tj = _log_m(t, p)
    _check_logical(tj)
    s = _scores(e2, lm)
    labels = np.argmax(s, axis=1)
    dead = np.isneginf(s).all(axis=1)
    if dead.any():
        labels[dead] = -1
        warnings.warn(
            f"{int(dead.sum())} evidence row(s) (the first {int(np.flatnonzero(dead)[0])}) give -inf semantic "
            "information for every label (each label is false, T = 0, for some x the evidence allows); their "
            "label is -1",
            InfokitWarning,
            stacklevel=2,
        )
    s = to_base(s, b)
    return SemanticClassification(labels=int(labels[0]) if single else _frozen(labels, np.int64),
                                  scores=_frozen(s[0] if single else s), unit=unit_name(b))


@dataclass(frozen=True)
class MMIClassification:
    """Result of :func:`mmi_classification`.

    Attributes
    ----------
    labels : ndarray of int, shape (n_z,)
        The final partition of the observations.
    channel : ndarray, shape (n_x, n_labels)
        The Shannon channel :math:`P(y_j\\mid x) = \\sum_{z \\in C_j} P(z\\mid x)` of the partition.
    truth : ndarray, shape (n_x, n_labels)
        The matched truth functions of that channel (zero columns for labels left empty).
    mutual_information : float
        :math:`I(X;Y)` of the final partition (equal to its semantic MI, the truth functions being matched).
    history : ndarray
        :math:`I(X;Y)` of the starting partition and after each reclassification (non-decreasing).
    iterations : int
    converged : bool
        Whether the partition stopped changing before ``max_iter``.
    unit : str
    """

    labels: np.ndarray
    channel: np.ndarray
    truth: np.ndarray
    mutual_information: float
    history: np.ndarray
    iterations: int
    converged: bool
    unit: str


def mmi_classification(likelihood, p_x, *, init=None, n_labels=None, n_restarts=0, max_iter=100, random_state=None,
                       base=None) -> MMIClassification:
    r"""Maximum-mutual-information classification by channels matching [1]_ [2]_.

    Parameters
    ----------
    likelihood : array_like, shape (n_x, n_z)
        Row-stochastic :math:`P(z\mid x)`: how each fact x shows up as an observation z.
    p_x : array_like, shape (n_x,)
        Prior :math:`P(x)`.
    init : array_like of int, shape (n_z,), optional
        Starting labels (a partition of z into ``n_labels`` classes). Default: the maximum-a-posteriori fact,
        :math:`\arg\max_x P(x) P(z\mid x)`.
    n_labels : int, optional
        Number of labels (default: ``max(init) + 1``, or ``n_x``).
    n_restarts : int
        Extra runs from uniformly random partitions; the run with the largest :math:`I(X;Y)` is returned.
        The iteration climbs to a local maximum only, so a few restarts find the best partition far more
        often on small problems.
    max_iter : int
        Maximum number of reclassifications per run.
    random_state : None, int or numpy.random.Generator
        Seed of the random restarts.
    base : float, optional
        Unit of the mutual information.

    Returns
    -------
    MMIClassification
        ``labels``, ``channel``, ``truth``, ``mutual_information``, ``history``, ``iterations``, ``converged``.

    Notes
    -----
    Alternate the two matchings of [1]_ until the partition is stable:

    1. semantic channel matches Shannon channel: :math:`P(y_j\mid x) = \sum_{z\in C_j} P(z\mid x)`,
       :math:`T^*(\theta_j\mid x) = P(y_j\mid x)/\max_x P(y_j\mid x)`;
    2. Shannon channel matches semantic channel: :math:`C_j = \{z : j = \arg\max_k
       \sum_i P(x_i\mid z)\log T^*(\theta_k\mid x_i)/T^*(\theta_k)\}`.

    With matched truth functions the score of step 2 is
    :math:`\sum_i P(x_i\mid z)\log P(x_i\mid y_k)/P(x_i)`, so step 2 maximises
    :math:`\sum_z P(z)\sum_x P(x\mid z)\log P(x\mid y(z))/P(x)` for the old :math:`P(x\mid y)`, and
    recomputing :math:`P(x\mid y)` can only raise it further (Gibbs' inequality): :math:`I(X;Y)` never
    decreases. It converges to a local maximum of :math:`I(X;Y)` over partitions.

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.
    .. [2] Lu, C. (2017). Channels' matching algorithm for mixture models. ICIS 2017, IFIP AICT 510:321–332.
       doi:10.1007/978-3-319-68121-4_35.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.methods.semantic import mmi_classification
    >>> lik = np.array([[0.6, 0.3, 0.1, 0.0], [0.0, 0.1, 0.3, 0.6]])   # P(z | x) for two facts
    >>> r = mmi_classification(lik, [0.5, 0.5], base=2)
    >>> r.labels.tolist(), round(r.mutual_information, 4)
    ([0, 0, 1, 1], 0.531)
    """
    b = check_base(base)
    lik = _check_channel(likelihood, "likelihood")
    p = _check_px(p_x, lik.shape[0])
    m = check_positive_int(max_iter, "max_iter")
    restarts = check_positive_int(n_restarts, "n_restarts", minimum=0)
    joint_xz = p[:, None] * lik
    pz = joint_xz.sum(axis=0)
    live = pz > 0
    if init is None:
        labels = np.argmax(joint_xz, axis=0).astype(np.int64)
        k = lik.shape[0] if n_labels is None else check_positive_int(n_labels, "n_labels")
        labels = np.minimum(labels, k - 1)
    else:
        lab = np.asarray(init)
        if lab.shape != (lik.shape[1],) or lab.dtype.kind not in "iu":
            raise InvalidParameterError(
                f"`init` must be integer labels, one per observation z ({lik.shape[1]}); got "
                f"shape {lab.shape} and dtype {lab.dtype}"
            )
        k = int(lab.max()) + 1 if n_labels is None else check_positive_int(n_labels, "n_labels")
        if lab.min() < 0 or lab.max() >= k:
            raise InvalidParameterError(
                f"`init` labels must lie in 0..{k - 1} (n_labels = {k}); got values in {int(lab.min())}..{int(lab.max())}"
            )
        labels = lab.astype(np.int64).copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        post = np.where(live[None, :], joint_xz / np.where(live, pz, 1.0)[None, :], 0.0).T  # (n_z, n_x)

    def channel_of(lab):
        onehot = np.zeros((lik.shape[1], k))
        onehot[np.arange(lik.shape[1]), lab] = 1.0
        return lik @ onehot

    def run(labels):
        ch = channel_of(labels)
        hist = [float(mutual_information(p[:, None] * ch))]
        converged = False
        it = 0
        for it in range(1, m + 1):
            t = _matched(ch)
            with np.errstate(invalid="ignore"):
                lm, _ = _log_m(t, p)
            lm[:, t.max(axis=0) <= 0] = -np.inf  # empty labels cannot be chosen
            new = np.argmax(_scores(post, lm), axis=1)
            new[~live] = labels[~live]  # observations of probability 0 keep their label
            if np.array_equal(new, labels):
                converged = True
                it -= 1
                break
            labels = new
            ch = channel_of(labels)
            hist.append(float(mutual_information(p[:, None] * ch)))
        return labels, ch, hist, it, converged

    best = run(labels)
    if restarts:
        rng = check_random_state(random_state)
        for _ in range(restarts):
            cand = run(rng.integers(0, k, size=lik.shape[1]))
            if cand[2][-1] > best[2][-1] + 1e-15:
                best = cand
    labels, ch, hist, it, converged = best
    if not converged:
        warnings.warn(
            f"mmi_classification stopped at max_iter={m} while the partition was still changing; increase `max_iter`",
            ConvergenceWarning,
            stacklevel=2,
        )
    t = _matched(ch)
    return MMIClassification(
        labels=_frozen(labels, np.int64),
        channel=_frozen(ch),
        truth=_frozen(t),
        mutual_information=float(to_base(hist[-1], b)),
        history=_frozen(to_base(np.asarray(hist), b)),
        iterations=int(it),
        converged=converged,
        unit=unit_name(b),
    )


# ============================================================================================ R(G) function
@dataclass(frozen=True)
class RateFidelityPoint:
    """One point of Lu's R(G) function (see :func:`rate_fidelity`).

    Attributes
    ----------
    rate : float
        :math:`R = I(X;Y)` of the optimal Shannon channel, in ``unit``.
    semantic_mi : float
        :math:`G = I(X;\\Theta)` reached by that channel, in ``unit``.
    s : float
        The slope :math:`dR/dG` of the curve at this point.
    channel : ndarray, shape (n_x, n_labels)
        :math:`P(y_j \\mid x_i) = P(y_j) m_{ij}^s / \\lambda_i`.
    output_distribution : ndarray, shape (n_labels,)
        :math:`P(y)`.
    iterations : int
    gap : float
        Upper minus lower bound on :math:`R - sG` at the stop (nats; the Blahut-type certificate).
    converged : bool
    unit : str
    """

    rate: float
    semantic_mi: float
    s: float
    channel: np.ndarray
    output_distribution: np.ndarray
    iterations: int
    gap: float
    converged: bool
    unit: str


@dataclass(frozen=True)
class RateFidelityCurve:
    """Points of the R(G) function, one per slope (see :func:`rate_fidelity_curve`)."""

    s: np.ndarray
    rates: np.ndarray
    semantic_mis: np.ndarray
    converged: np.ndarray
    unit: str


def _rg_kernel(p, log_m, s, tol, max_iter, q0=None):
    """Blahut-type iteration of the R(G) function [1]_ in log space; returns (channel, q, its, gap, ok)."""
    n, k = log_m.shape
    if s == 0.0:
        slm = np.zeros_like(log_m)
    else:
        slm = s * log_m  # s > 0: -inf stays -inf (the pair is never used); s < 0 is checked finite
    log_q = _log(np.full(k, 1.0 / k) if q0 is None else q0)
    gap = math.inf
    it = 0
    for it in range(1, max_iter + 1):
        lw = log_q[None, :] + slm
        log_lam = logsumexp(lw, axis=1, keepdims=True)
        log_ch = lw - log_lam
        ch = np.exp(log_ch)
        q_new = p @ ch
        with np.errstate(divide="ignore", invalid="ignore"):
            log_c = np.where(q_new > 0, _log(q_new) - log_q, -np.inf)  # c_j = q_new_j / q_j
        live = np.isfinite(log_c)
        gap = float(np.max(log_c[live]) - np.sum(q_new[live] * log_c[live]))
        log_q = _log(q_new)
        if gap <= tol:
            break
    lw = log_q[None, :] + slm
    ch = np.exp(lw - logsumexp(lw, axis=1, keepdims=True))
    return ch, p @ ch, it, max(gap, 0.0), gap <= tol


def _check_slope(s, name="s"):
    if isinstance(s, bool) or not isinstance(s, numbers.Real) or not math.isfinite(float(s)):
        raise InvalidParameterError(f"`{name}` must be a finite real slope dR/dG; got {s!r}")
    return float(s)


def _rg_inputs(p_x, truth, normalize):
    t, _ = _check_truth(truth, normalize=normalize)
    p = _check_px(p_x, t.shape[0])
    lm, tj = _log_m(t, p)
    _check_logical(tj)
    return p, t, lm


def _rg_point(p, lm, s, tol, max_iter):
    if s < 0 and np.isneginf(lm[p > 0]).any():
        raise InvalidParameterError(
            f"`s` = {s:g} < 0 (the branch G < G(R=0)) needs truth values > 0 wherever p_x > 0: m^s is infinite "
            "where T(theta_j | x) = 0; use s >= 0 or clip the truth functions away from 0"
        )
    ch, q, it, gap, ok = _rg_kernel(p, lm, s, tol, max_iter)
    joint = p[:, None] * ch
    rate = float(mutual_information(joint))
    g = _weighted_log_sum(joint, lm)
    return rate, g, ch, q, it, gap, ok


def rate_fidelity(p_x, truth, s, *, base=None, tol=1e-12, max_iter=20_000, normalize=False) -> RateFidelityPoint:
    r"""A point of Lu's R(G) function: the least Shannon MI :math:`R` that reaches semantic MI :math:`G`, at slope ``s``.

    Parameters
    ----------
    p_x : array_like, shape (n_x,)
        Source pmf :math:`P(x)`.
    truth : array_like, shape (n_x, n_labels)
        The semantic channel (fixed); the Shannon channel :math:`P(y\mid x)` is optimised.
    s : float
        Slope :math:`s = dR/dG`. :math:`s > 0`: the branch where more semantic information costs rate;
        :math:`s = 0`: a zero-rate point (the channel ignores x, :math:`P(y)` uniform); :math:`s < 0`: the
        branch below the zero-rate :math:`G` (needs all truth values > 0).
    base : float, optional
        Unit of ``rate`` and ``semantic_mi``.
    tol : float
        Stop when the certified gap of the iteration (nats) is at most ``tol``.
    max_iter : int
        Maximum number of updates; reaching it emits ``ConvergenceWarning``.
    normalize : bool
        Divide each truth function by its maximum instead of requiring a 1.

    Returns
    -------
    RateFidelityPoint
        ``rate``, ``semantic_mi``, ``s``, ``channel``, ``output_distribution``, ``iterations``, ``gap``, ...

    Notes
    -----
    With :math:`m_{ij} = T(\theta_j\mid x_i)/T(\theta_j)` the parametric solution of [1]_ is

    .. math::

        P(y_j\mid x_i) = \frac{P(y_j)\, m_{ij}^s}{\lambda_i},\quad \lambda_i = \sum_k P(y_k) m_{ik}^s,\quad
        P(y_j) \leftarrow \sum_i P(x_i) P(y_j\mid x_i),

        G(s) = \sum_{ij} P(x_i) P(y_j\mid x_i)\log m_{ij}, \qquad R(s) = s\,G(s) - \sum_i P(x_i)\log\lambda_i .

    This is Blahut's rate–distortion iteration with distortion :math:`d_{ij} = -\log m_{ij}` and slope
    :math:`s` (so :math:`R(G) = R(D{=}-G)`); the stopping gap is Blahut's certificate, as in
    :func:`infokit.rate_distortion`. Always :math:`R \ge G`: their difference is
    :math:`\sum_j P(y_j) D_{KL}[P(x\mid y_j)\,\|\,P(x\mid\theta_j)]`.

    References
    ----------
    .. [1] Lu, C. (2025). A semantic generalization of Shannon's information theory and applications.
       Entropy 27(5):461. arXiv:2510.15871.

    Examples
    --------
    >>> from infokit.methods.semantic import rate_fidelity
    >>> truth = [[1, 0.02], [0.8, 0.1], [0.2, 0.6], [0.02, 1]]
    >>> pt = rate_fidelity([0.2, 0.3, 0.3, 0.2], truth, 1.0, base=2)
    >>> bool(pt.rate >= pt.semantic_mi)
    True
    """
    b = check_base(base)
    s = _check_slope(s)
    t_ = check_nonneg_float(tol, "tol", strict=True)
    m = check_positive_int(max_iter, "max_iter")
    p, t, lm = _rg_inputs(p_x, truth, normalize)
    rate, g, ch, q, it, gap, ok = _rg_point(p, lm, s, t_, m)
    if not ok:
        warnings.warn(f"rate_fidelity stopped at max_iter={m} with gap {gap:.3g} > tol={t_:.3g}; increase "
                      "`max_iter`", ConvergenceWarning, stacklevel=2)
    if g == -math.inf:
        _warn_minus_inf("the semantic MI G of this R(G) point", (p[:, None] * ch > 0) & np.isneginf(lm))
    return RateFidelityPoint(rate=float(to_base(rate, b)), semantic_mi=float(to_base(g, b)), s=s,
                             channel=_frozen(ch), output_distribution=_frozen(q), iterations=int(it), gap=gap,
                             converged=bool(ok), unit=unit_name(b))


def rate_fidelity_curve(p_x, truth, s_values, *, base=None, tol=1e-12, max_iter=20_000,
                        normalize=False) -> RateFidelityCurve:
    r"""Points of the R(G) function for several slopes (see :func:`rate_fidelity`).

    Returns
    -------
    RateFidelityCurve
        Arrays ``s``, ``rates``, ``semantic_mis``, ``converged`` in the order of ``s_values``.

    Examples
    --------
    >>> from infokit.methods.semantic import rate_fidelity_curve
    >>> truth = [[1, 0.02], [0.8, 0.1], [0.2, 0.6], [0.02, 1]]
    >>> c = rate_fidelity_curve([0.2, 0.3, 0.3, 0.2], truth, [0.5, 1.0, 2.0, 4.0])
    >>> bool((c.rates[1:] >= c.rates[:-1]).all() and (c.semantic_mis[1:] >= c.semantic_mis[:-1]).all())
    True
    """
    b = check_base(base)
    t_ = check_nonneg_float(tol, "tol", strict=True)
    m = check_positive_int(max_iter, "max_iter")
    ss = np.asarray(to_numpy(as_float_array(s_values, "s_values")), dtype=np.float64)
    if ss.ndim != 1:
        raise InvalidParameterError(f"`s_values` must be a 1-D sequence of slopes; got shape {ss.shape}")
    for i, v in enumerate(ss):
        _check_slope(float(v), f"s_values[{i}]")
    p, t, lm = _rg_inputs(p_x, truth, normalize)
    rates, gs, oks = np.zeros(ss.size), np.zeros(ss.size), np.zeros(ss.size, dtype=bool)
    for i, s in enumerate(ss):
        rates[i], gs[i], _, _, _, _, oks[i] = _rg_point(p, lm, float(s), t_, m)
    if not oks.all():
        warnings.warn(f"rate_fidelity_curve: {int((~oks).sum())} point(s) stopped at max_iter={m}; increase "
                      "`max_iter`", ConvergenceWarning, stacklevel=2)
    if np.isneginf(gs).any():
        warnings.warn("some points of the R(G) curve have G = -inf (s = 0 with zero truth values); see "
                      "rate_fidelity", InfokitWarning, stacklevel=2)
    return RateFidelityCurve(s=_frozen(ss), rates=_frozen(to_base(rates, b)), semantic_mis=_frozen(to_base(gs, b)),
                             converged=_frozen(oks, bool), unit=unit_name(b))


# ============================================================================================ mixtures (CM-EM)
@dataclass(frozen=True)
class MixtureInformation:
    r"""The information quantities of a mixture model (see :func:`mixture_information`).

    Attributes
    ----------
    rate : float
        :math:`R = I(X;Y)` of the Shannon channel :math:`P(y_j\mid x) = P(y_j)P(x\mid\theta_j)/Q(x)` under P(x).
    semantic_mi : float
        :math:`G = \sum_{x,j} P(x)P(y_j\mid x)\log P(x\mid\theta_j)/P(x)`.
    kl_data_model : float
        :math:`D_{KL}(P\,\|\,Q)`, the data-to-mixture divergence (what EM minimises).
    kl_weights : float
        :math:`D_{KL}(P^+_Y\,\|\,P_Y)` between the implied and the assumed label weights.
    next_weights : ndarray
        :math:`P^+(y_j) = \sum_x P(x)P(y_j\mid x)`.
    unit : str
    """

    rate: float
    semantic_mi: float
    kl_data_model: float
    kl_weights: float
    next_weights: np.ndarray
    unit: str


def _mixture_kernel(p, log_lik, w):
    """Shannon channel, P⁺, R, G, KL(P‖Q), KL(P⁺‖w) in nats for likelihood columns log P(x|θ_j)."""
    with np.errstate(divide="ignore"):
        lw = _log(w)[None, :] + log_lik
    log_q = logsumexp(lw, axis=1)
    ch = np.exp(lw - log_q[:, None])
    live = p > 0
    ch[~live] = w  # facts of probability 0: any row (they carry no weight)
    joint = p[:, None] * ch
    w_plus = joint.sum(axis=0)
    rate = float(mutual_information(joint))
    g = _weighted_log_sum(joint, log_lik - _log(p)[:, None])
    kl_pq = float(kl_divergence(p, np.exp(log_q), normalize=True))
    kl_w = float(kl_divergence(w_plus, w))
    return ch, w_plus, rate, g, kl_pq, kl_w


def mixture_information(p, likelihoods, weights, *, base=None) -> MixtureInformation:
    r"""R, G and the two KL terms of a mixture model, with :math:`R - G = D(P\|Q) - D(P^+_Y\|P_Y)` [2]_ [3]_.

    Parameters
    ----------
    p : array_like, shape (n_x,)
        Data pmf :math:`P(x)` (e.g. a histogram on a grid).
    likelihoods : array_like, shape (n_x, k)
        Component pmfs :math:`P(x\mid\theta_j)` as columns (each sums to 1 over x).
    weights : array_like, shape (k,)
        Mixture weights :math:`P(y_j)`.
    base : float, optional
        Unit of every quantity.

    Returns
    -------
    MixtureInformation
        ``rate``, ``semantic_mi``, ``kl_data_model``, ``kl_weights``, ``next_weights``.

    Notes
    -----
    With :math:`Q(x) = \sum_j P(y_j)P(x\mid\theta_j)` and the Shannon channel
    :math:`P(y_j\mid x) = P(y_j)P(x\mid\theta_j)/Q(x)`,

    .. math::

        R - G = D_{KL}(P\,\|\,Q) - D_{KL}(P^+_Y\,\|\,P_Y), \qquad P^+(y_j) = \sum_x P(x)P(y_j\mid x),

    which follows by expanding :math:`\log P(y_j\mid x)/P^+(y_j)`. At a self-consistent :math:`P_Y = P^+_Y`
    (the CM step of [3]_) the gap is exactly :math:`D(P\|Q)` — Lu's ":math:`H(Q\|P) = R - G`" — so
    minimising :math:`R - G` fits the mixture.

    References
    ----------
    .. [2] Lu, C. (2017). Channels' matching algorithm for mixture models. ICIS 2017, IFIP AICT 510:321–332.
       doi:10.1007/978-3-319-68121-4_35.
    .. [3] Lu, C. (2018). From the EM algorithm to the CM-EM algorithm for global convergence of mixture
       models. arXiv:1810.11227.

    Examples
    --------
    A mixture that fits the data exactly, with self-consistent weights: R = G.

    >>> from infokit.methods.semantic import mixture_information
    >>> lik = [[0.5, 0.0], [0.5, 0.5], [0.0, 0.5]]
    >>> r = mixture_information([0.25, 0.5, 0.25], lik, [0.5, 0.5])
    >>> round(r.rate - r.semantic_mi, 12), round(r.kl_data_model, 12)
    (0.0, 0.0)
    """
    b = check_base(base)
    pp = np.asarray(to_numpy(check_pmf(p, "p")), dtype=np.float64)
    if pp.ndim != 1:
        raise InvalidDistributionError(f"`p` must be a 1-D pmf over the data points; got shape {pp.shape}")
    lik = _matrix(likelihoods, "likelihoods")
    if lik.ndim != 2 or lik.shape[0] != pp.size:
        raise ShapeMismatchError(
            f"`likelihoods` must have shape (n_x, k) = ({pp.size}, k): one pmf over x per component (columns); "
            f"got shape {lik.shape}"
        )
    lik = np.asarray(check_pmf(lik, "likelihoods", axis=0), dtype=np.float64)
    w = np.asarray(to_numpy(check_pmf(weights, "weights")), dtype=np.float64)
    if w.shape != (lik.shape[1],):
        raise ShapeMismatchError(f"`weights` must have one entry per component ({lik.shape[1]}); got shape {w.shape}")
    q = lik @ w
    if ((pp > 0) & (q <= 0)).any():
        i = int(np.flatnonzero((pp > 0) & (q <= 0))[0])
        raise InvalidDistributionError(
            f"the mixture gives probability 0 to data point {i} where `p` is {pp[i]:.3g} > 0: KL(P||Q) is infinite "
            "and the Shannon channel is undefined there; give every component with weight support on the data"
        )
    _, w_plus, rate, g, kl_pq, kl_w = _mixture_kernel(pp, _log(lik), w)
    return MixtureInformation(rate=float(to_base(rate, b)), semantic_mi=float(to_base(g, b)),
                              kl_data_model=float(to_base(kl_pq, b)), kl_weights=float(to_base(kl_w, b)),
                              next_weights=_frozen(w_plus), unit=unit_name(b))


@dataclass(frozen=True)
class GaussianMixtureFit:
    """Result of :func:`fit_gaussian_mixture`.

    Attributes
    ----------
    weights, means, stds : ndarray, shape (k,)
        The fitted mixture.
    kl : float
        Final :math:`D_{KL}(P\\,\\|\\,Q)` in ``unit`` (= negative log-likelihood per sample minus H(P)).
    kl_history : ndarray
        :math:`D_{KL}(P\\,\\|\\,Q)` at the start and after every M-step.
    iterations : int
        Number of M-steps (the iteration count that [3]_ compares between EM and CM-EM).
    inner_iterations : int
        Total E-steps (for EM equal to ``iterations``; CM-EM repeats the E-step until the weights are
        self-consistent).
    converged : bool
    method : str
    unit : str
    """

    weights: np.ndarray
    means: np.ndarray
    stds: np.ndarray
    kl: float
    kl_history: np.ndarray
    iterations: int
    inner_iterations: int
    converged: bool
    method: str
    unit: str


def _grid_log_lik(x, means, stds):
    z = -0.5 * ((x[:, None] - means[None, :]) / stds[None, :]) ** 2
    return z - logsumexp(z, axis=0, keepdims=True)  # each component normalised on the grid


def fit_gaussian_mixture(grid, p, *, means, stds, weights=None, method="cm_em", tol=1e-8, max_iter=1000,
                         inner_tol=1e-4, inner_max_iter=1000, min_std=None, base=None) -> GaussianMixtureFit:
    r"""Fit a 1-D Gaussian mixture to a pmf on a grid by EM or by Lu's CM-EM [3]_.

    Parameters
    ----------
    grid : array_like, shape (n,)
        Support points :math:`x_i` (finite, distinct).
    p : array_like, shape (n,)
        Data pmf :math:`P(x_i)` (a histogram, or a sample's empirical pmf on its values).
    means, stds : array_like, shape (k,)
        Starting component means and standard deviations (> 0).
    weights : array_like, shape (k,), optional
        Starting weights :math:`P(y_j)` (default uniform).
    method : {"cm_em", "em"}
        ``"em"``: E-step, weights, M-step. ``"cm_em"``: repeat the E-step and the weight update
        :math:`P(y) \leftarrow P^+(y)` until the weights are self-consistent (the CM step), then the M-step.
    tol : float
        Stop when an M-step lowers :math:`D_{KL}(P\|Q)` by at most ``tol`` nats.
    max_iter : int
        Maximum number of M-steps.
    inner_tol, inner_max_iter
        The CM step stops repeating the E-step when :math:`D_{KL}(P^+_Y\|P_Y) \le` ``inner_tol`` nats, or after
        ``inner_max_iter`` repeats. (Driving it to round-off can push the weights of a poorly placed
        component to 0 before the M-step can move it: the weight update alone is maximum likelihood for fixed
        components.)
    min_std : float, optional
        Floor on the standard deviations (default: a tenth of the smallest grid spacing), which keeps a
        component from collapsing onto one grid point.
    base : float, optional
        Unit of ``kl``.

    Returns
    -------
    GaussianMixtureFit

    Notes
    -----
    Components are Gaussians normalised on the grid,
    :math:`P(x_i\mid\theta_j) \propto \exp(-(x_i-\mu_j)^2/2\sigma_j^2)`. E-step (semantic Bayes with the
    likelihoods as truth functions): :math:`P(y_j\mid x) = P(y_j)P(x\mid\theta_j)/Q(x)`; weights
    :math:`P(y_j) \leftarrow P^+(y_j) = \sum_x P(x)P(y_j\mid x)`; M-step (maximises G for the Gaussian
    family): :math:`\mu_j, \sigma_j^2` = mean and variance of x under :math:`P(x)P(y_j\mid x)/P^+(y_j)`.
    CM-EM [3]_ repeats the first two until :math:`P_Y = P^+_Y`, which by
    :func:`mixture_information`'s identity makes :math:`R - G = D(P\|Q)` before each M-step.

    References
    ----------
    .. [3] Lu, C. (2018). From the EM algorithm to the CM-EM algorithm for global convergence of mixture
       models. arXiv:1810.11227.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.methods.semantic import fit_gaussian_mixture
    >>> x = np.linspace(-6, 12, 181)
    >>> dens = 0.7 * np.exp(-0.5 * x**2) + 0.3 * np.exp(-0.5 * ((x - 6) / 1.5) ** 2) / 1.5
    >>> fit = fit_gaussian_mixture(x, dens / dens.sum(), means=[1.0, 2.0], stds=[3.0, 3.0])
    >>> (fit.means.round(2) + 0.0).tolist(), fit.weights.round(2).tolist()
    ([0.0, 6.0], [0.7, 0.3])
    """
    check_choice(method, "method", ("cm_em", "em"))
    b = check_base(base)
    x = np.asarray(to_numpy(as_float_array(grid, "grid")), dtype=np.float64)
    if x.ndim != 1 or not np.isfinite(x).all() or np.unique(x).size != x.size:
        raise InvalidParameterError(
            f"`grid` must be a 1-D array of distinct finite points; got shape {x.shape}"
            + ("" if x.ndim != 1 or np.isfinite(x).all() else " with non-finite values")
        )
    pp = np.asarray(to_numpy(check_pmf(p, "p")), dtype=np.float64)
    if pp.shape != x.shape:
        raise ShapeMismatchError(f"`p` must have one probability per grid point ({x.size}); got shape {pp.shape}")
    mu = np.array(to_numpy(as_float_array(means, "means")), dtype=np.float64).reshape(-1)
    sd = np.array(to_numpy(as_float_array(stds, "stds")), dtype=np.float64).reshape(-1)
    if mu.shape != sd.shape:
        raise ShapeMismatchError(f"`means` and `stds` must have one entry per component; got {mu.size} and {sd.size}")
    if not (np.isfinite(mu).all() and np.isfinite(sd).all()) or (sd <= 0).any():
        raise InvalidParameterError(f"`means` must be finite and `stds` finite and > 0; got means={mu}, stds={sd}")
    k = mu.size
    w = np.full(k, 1.0 / k) if weights is None else np.asarray(to_numpy(check_pmf(weights, "weights")), dtype=np.float64)
    if w.shape != (k,):
        raise ShapeMismatchError(f"`weights` must have one entry per component ({k}); got shape {w.shape}")
    t_ = check_nonneg_float(tol, "tol", strict=True)
    m = check_positive_int(max_iter, "max_iter")
    it_ = check_nonneg_float(inner_tol, "inner_tol", strict=True)
    im = check_positive_int(inner_max_iter, "inner_max_iter")
    spacing = np.diff(np.sort(x)).min() if x.size > 1 else 1.0
    floor = 0.1 * spacing if min_std is None else check_nonneg_float(min_std, "min_std", strict=True)
    sd = np.maximum(sd, floor)

    def kl_now(mu, sd, w):
        log_q = logsumexp(_log(w)[None, :] + _grid_log_lik(x, mu, sd), axis=1)
        return float(kl_divergence(pp, np.exp(log_q), normalize=True))

    hist = [kl_now(mu, sd, w)]
    inner_total = 0
    converged = False
    it = 0
    for it in range(1, m + 1):
        ll = _grid_log_lik(x, mu, sd)
        for _ in range(im if method == "cm_em" else 1):
            # E-step (Shannon channel) and weight update; CM-EM repeats them to self-consistency
            lw = _log(w)[None, :] + ll
            ch = np.exp(lw - logsumexp(lw, axis=1, keepdims=True))
            w_new = pp @ ch
            inner_total += 1
            moved = float(kl_divergence(w_new, w, normalize=True))  # D(P+_Y || P_Y): [3]_'s self-consistency test
            w = w_new
            if moved <= it_:
                break
        if method == "cm_em":  # the channel of the self-consistent weights
            lw = _log(w)[None, :] + ll
            ch = np.exp(lw - logsumexp(lw, axis=1, keepdims=True))
        resp = pp[:, None] * ch  # P(x) P(y_j | x)
        mass = resp.sum(axis=0)
        ok = mass > 0
        # M-step: weighted moments. Deviation from [3]: the moments are the exact maximiser for a Gaussian on
        # the real line; for components renormalised on a finite grid they are the maximiser up to the
        # discretisation and truncation error (negligible when the grid is fine and covers the data), because
        # the closed form keeps the M-step cheap and identical for EM and CM-EM.
        mu = np.where(ok, (resp * x[:, None]).sum(axis=0) / np.where(ok, mass, 1.0), mu)
        var = np.where(ok, (resp * (x[:, None] - mu[None, :]) ** 2).sum(axis=0) / np.where(ok, mass, 1.0), sd**2)
        sd = np.maximum(np.sqrt(var), floor)
        hist.append(kl_now(mu, sd, w))
        if hist[-2] - hist[-1] <= t_:
            converged = True
            break
    if not converged:
        warnings.warn(f"fit_gaussian_mixture ({method}) stopped at max_iter={m} before KL(P||Q) settled within "
                      f"tol={t_:g}; increase `max_iter`", ConvergenceWarning, stacklevel=2)
    return GaussianMixtureFit(weights=_frozen(w), means=_frozen(mu), stds=_frozen(sd),
                              kl=float(to_base(hist[-1], b)), kl_history=_frozen(to_base(np.asarray(hist), b)),
                              iterations=int(it), inner_iterations=int(inner_total), converged=converged,
                              method=method, unit=unit_name(b))
