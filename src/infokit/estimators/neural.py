r"""Neural variational bounds on mutual information and the Wasserstein dependency measure (torch leaf).

One critic-score interface for the whole family. A *critic* :math:`f(x, y)` scores pairs; on a batch of
:math:`B` joint samples :math:`(x_i, y_i)` it returns the matrix :math:`S_{ij} = f(x_i, y_j)`, whose diagonal
holds joint pairs and whose off-diagonal entries stand in for samples of :math:`p(x)p(y)`. Every bound below
is a function of ``scores = S`` only (nats, differentiable, a 0-d tensor):

================================  ============================================================  ========
function                          value                                                          ceiling
================================  ============================================================  ========
:func:`infonce_lower_bound`       :math:`\log B + \frac1B\sum_i [S_{ii} - \log\sum_j e^{S_{ij}}]`  log B
:func:`nwj_lower_bound`           :math:`\frac1B\sum_i S_{ii} - \frac{1}{e}\,\mathrm{mean}_{i\ne j} e^{S_{ij}}`
:func:`tuba_lower_bound`          :math:`1 + \mathrm{mean}(S_{ii}-a_i) - \mathrm{mean}_{i\ne j}e^{S_{ij}-a_j}`
:func:`dv_lower_bound`            :math:`\frac1B\sum_i S_{ii} - \log\mathrm{mean}_{i\ne j} e^{S_{ij}}`
:func:`mine_lower_bound`          DV value, gradient de-biased with a moving average (MINE)
:func:`js_fgan_lower_bound`       :math:`-\mathrm{mean}\,\mathrm{sp}(-S_{ii}) - \mathrm{mean}_{i\ne j}\mathrm{sp}(S_{ij})`
:func:`js_lower_bound`            TUBA value of the JS-trained critic, JS gradient
:func:`smile_lower_bound`         DV with the partition term clipped to :math:`[-\tau,\tau]`, JS gradient
:func:`wdm_lower_bound`           :math:`\frac1B\sum_i S_{ii} - \mathrm{mean}_{i\ne j} S_{ij}` (a Lipschitz critic)
================================  ============================================================  ========

Each has a ``*_loss`` twin (its negative, to be minimised). :func:`gradient_penalty`, :func:`wdm_loss` and
:func:`wpc_loss` add the Lipschitz constraint of the Wasserstein dependency measure [1]_ (gradient penalty, or
spectral normalisation of the critic: ``SeparableCritic(..., spectral_norm=True)``).

Estimators: :func:`train_critic` trains a critic on a training split with early stopping on a held-out split,
and reports the bound evaluated on held-out batches with its spread (:class:`NeuralMIResult`);
:func:`difference_of_entropies` is the DoE estimator of McAllester & Stratos [6]_. Through the estimator API::

    infokit.estimate_mutual_information(x, y, method="smile", random_state=0)

with methods ``"infonce"``, ``"nwj"``, ``"dv"``, ``"mine"``, ``"js"``, ``"smile"`` and ``"doe"``.

Notes
-----
The optimal critic of NWJ is :math:`1 + \log\frac{p(x,y)}{p(x)p(y)}`; DV, MINE, SMILE and InfoNCE are
invariant to adding a function of :math:`x` (DV, SMILE: a constant) and are tight at
:math:`\log\frac{p(y|x)}{p(y)}` up to their finite-batch limits: InfoNCE never exceeds :math:`\log B`
(Eq. (2) of [3]_), which is why it saturates on high-MI tasks, and the variance of NWJ/MINE grows like
:math:`e^{I}` [5]_. SMILE [5]_ trades a bias (the clip) for bounded variance.

References
----------
.. [1] Ozair, S., Lynch, C., Bengio, Y., van den Oord, A., Levine, S. & Sermanet, P. (2019). Wasserstein
   dependency measure for representation learning. NeurIPS 32. arXiv:1903.11780
.. [2] Belghazi, M. I., Baratin, A., Rajeswar, S., Ozair, S., Bengio, Y., Courville, A. & Hjelm, R. D. (2018).
   Mutual information neural estimation. ICML. arXiv:1801.04062
.. [3] Poole, B., Ozair, S., van den Oord, A., Alemi, A. A. & Tucker, G. (2019). On variational bounds of
   mutual information. ICML. arXiv:1905.06922
.. [4] Nguyen, X., Wainwright, M. J. & Jordan, M. I. (2010). Estimating divergence functionals and the
   likelihood ratio by convex risk minimization. IEEE Trans. Inf. Theory 56(11), 5847–5861.
.. [5] Song, J. & Ermon, S. (2020). Understanding the limitations of variational mutual information
   estimators. ICLR. arXiv:1910.06222
.. [6] McAllester, D. & Stratos, K. (2020). Formal limitations on the measurement of mutual information.
   AISTATS. arXiv:1811.04251
.. [7] van den Oord, A., Li, Y. & Vinyals, O. (2018). Representation learning with contrastive predictive
   coding. arXiv:1807.03748
.. [8] Gulrajani, I., Ahmed, F., Arjovsky, M., Dumoulin, V. & Courville, A. (2017). Improved training of
   Wasserstein GANs. NeurIPS 30. arXiv:1704.00028
.. [9] Miyato, T., Kataoka, T., Koyama, M. & Yoshida, Y. (2018). Spectral normalization for generative
   adversarial networks. ICLR. arXiv:1802.05957
"""

from __future__ import annotations

import copy
import math
import numbers
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._validation import check_random_state
from ..exceptions import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

__all__ = [
    "BOUNDS",
    "SeparableCritic",
    "ConcatCritic",
    "infonce_lower_bound",
    "nwj_lower_bound",
    "tuba_lower_bound",
    "dv_lower_bound",
    "mine_lower_bound",
    "js_fgan_lower_bound",
    "js_lower_bound",
    "smile_lower_bound",
    "wdm_lower_bound",
    "infonce_loss",
    "nwj_loss",
    "dv_loss",
    "js_loss",
    "smile_loss",
    "MINELoss",
    "gradient_penalty",
    "wdm_loss",
    "wpc_loss",
    "NeuralMIResult",
    "train_critic",
    "difference_of_entropies",
    "neural_mi",
    "doe_mi",
]

#: the MI bounds :func:`train_critic` can train and report
BOUNDS = ("infonce", "nwj", "dv", "mine", "js", "smile")


# --------------------------------------------------------------------------------------------- validation
def _check_scores(scores, name: str = "scores", *, square: bool = True):
    if not isinstance(scores, torch.Tensor):
        raise InvalidInputTypeError(
            f"`{name}` must be a torch tensor of critic scores S[i, j] = f(x_i, y_j); got "
            f"{type(scores).__name__}; wrap it with torch.as_tensor"
        )
    if scores.ndim != 2 or scores.shape[0] < 2 or (square and scores.shape[0] != scores.shape[1]):
        want = "a square (B, B) matrix with B >= 2" if square else "a (B, M) matrix with B >= 2"
        raise ShapeMismatchError(
            f"`{name}` must be {want} (row i: x_i against every y_j, joint pairs on the diagonal); "
            f"got shape {tuple(scores.shape)}"
        )
    if not scores.is_floating_point():
        raise InvalidInputTypeError(f"`{name}` must be a floating-point tensor; got dtype {scores.dtype}")
    if not bool(torch.isfinite(scores).all()):
        bad = int((~torch.isfinite(scores)).sum())
        raise InvalidSampleError(
            f"`{name}` holds {bad} non-finite value(s) (NaN or inf); check the critic (exploding outputs) "
            "or lower the learning rate"
        )
    return scores


def _check_real(value, name, *, low=None, high=None, low_open=False, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        raise InvalidParameterError(f"`{name}` must be a finite real number; got {value!r}")
    v = float(value)
    if low is not None and (v < low or (low_open and v == low)):
        raise InvalidParameterError(f"`{name}` must be {'>' if low_open else '>='} {low}; got {value!r}")
    if high is not None and v >= high:
        raise InvalidParameterError(f"`{name}` must be < {high}; got {value!r}")
    return v


def _check_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise InvalidParameterError(f"`{name}` must be an integer >= {minimum}; got {value!r}")
    return int(value)


def _offdiag_mask(b: int, device) -> torch.Tensor:
    return ~torch.eye(b, dtype=torch.bool, device=device)


def _logmeanexp_offdiag(s: torch.Tensor) -> torch.Tensor:
    """log of the mean of exp(S_ij) over the B(B-1) off-diagonal entries (log-sum-exp, stable)."""
    b = s.shape[0]
    masked = s.masked_fill(~_offdiag_mask(b, s.device), float("-inf"))
    return torch.logsumexp(masked.reshape(-1), dim=0) - math.log(b * (b - 1))


def _mean_offdiag(s: torch.Tensor) -> torch.Tensor:
    b = s.shape[0]
    return (s.sum() - s.diagonal().sum()) / (b * (b - 1))


def _value_with_gradient_of(value: torch.Tensor, surrogate: torch.Tensor) -> torch.Tensor:
    """A tensor whose value is ``value`` and whose gradient is that of ``surrogate`` (stop-gradient trick)."""
    return surrogate + (value - surrogate).detach()


# --------------------------------------------------------------------------------------------- bounds
def infonce_lower_bound(scores, *, positives=None):
    r"""InfoNCE / CPC bound :math:`\log B + \frac1B\sum_i [S_{ii} - \log\sum_j e^{S_{ij}}]` (nats).

    Parameters
    ----------
    scores : torch.Tensor, shape (B, B) — or (B, M) with ``positives``
        Critic scores :math:`S_{ij} = f(x_i, y_j)`; joint pairs on the diagonal.
    positives : torch.Tensor of bool, shape like ``scores``, optional
        Multi-positive InfoNCE: ``positives[i, j]`` marks the columns that are positives of row ``i``
        (each row needs at least one). The row term is then the mean over its positives of
        :math:`S_{ip} - \log\sum_j e^{S_{ij}}`, and :math:`\log B` becomes :math:`\log M`.

    Returns
    -------
    torch.Tensor
        0-d tensor, at most :math:`\log B` (:math:`\log M`) for *any* scores, since every log-softmax entry is
        :math:`\le 0`.

    Notes
    -----
    Eq. (4) of [1]_ (CPC) in the form of Eq. (12) of [2]_:

    .. math:: I(X;Y) \ge \mathbb E\Big[\frac1B\sum_{i=1}^B \log\frac{e^{f(x_i,y_i)}}
              {\frac1B\sum_{j=1}^B e^{f(x_i,y_j)}}\Big].

    References
    ----------
    .. [1] van den Oord, A., Li, Y. & Vinyals, O. (2018). Representation learning with contrastive predictive
       coding. arXiv:1807.03748
    .. [2] Poole, B., Ozair, S., van den Oord, A., Alemi, A. A. & Tucker, G. (2019). On variational bounds of
       mutual information. ICML. arXiv:1905.06922

    Examples
    --------
    A critic that cannot tell pairs apart (all scores equal) gets exactly 0:

    >>> import torch
    >>> float(infonce_lower_bound(torch.zeros(4, 4)))
    0.0
    """
    s = _check_scores(scores, square=positives is None)
    log_softmax = s - torch.logsumexp(s, dim=1, keepdim=True)
    if positives is None:
        return math.log(s.shape[1]) + log_softmax.diagonal().mean()
    if not isinstance(positives, torch.Tensor) or positives.shape != s.shape:
        raise ShapeMismatchError(
            f"`positives` must be a boolean tensor of the shape of `scores` {tuple(s.shape)}; got "
            f"{type(positives).__name__} of shape {tuple(getattr(positives, 'shape', ()))}"
        )
    pos = positives.to(device=s.device, dtype=torch.bool)
    counts = pos.sum(dim=1)
    if bool((counts == 0).any()):
        rows = torch.nonzero(counts == 0).flatten()[:5].tolist()
        raise InvalidParameterError(
            f"every row of `positives` needs at least one True entry; rows {rows} have none; mark each x_i's "
            "own y_i (the diagonal) at least"
        )
    row = (log_softmax * pos).sum(dim=1) / counts
    return math.log(s.shape[1]) + row.mean()


def tuba_lower_bound(scores, *, log_baseline=None):
    r"""TUBA bound :math:`1 + \frac1B\sum_i (S_{ii} - a_i) - \mathrm{mean}_{i\ne j}\, e^{S_{ij} - a_j}` (nats).

    Parameters
    ----------
    scores : torch.Tensor, shape (B, B)
        Critic scores, joint pairs on the diagonal.
    log_baseline : torch.Tensor, shape (B,), optional
        :math:`a_j = \log a(y_j)`; zero when omitted. Not modified.

    Notes
    -----
    Eq. (8) of Poole et al. (2019) [1]_; with :math:`a \equiv e` it is the NWJ bound. A lower bound on
    :math:`I(X;Y)` for every critic and baseline; tight at :math:`S = a + \log p(x,y)/(p(x)p(y))`.

    References
    ----------
    .. [1] Poole, B., Ozair, S., van den Oord, A., Alemi, A. A. & Tucker, G. (2019). On variational bounds of
       mutual information. ICML. arXiv:1905.06922

    Examples
    --------
    >>> import torch
    >>> float(tuba_lower_bound(torch.zeros(3, 3)))  # 1 + 0 - e^0
    0.0
    """
    s = _check_scores(scores)
    if log_baseline is not None:
        if not isinstance(log_baseline, torch.Tensor) or log_baseline.reshape(-1).shape[0] != s.shape[0]:
            raise ShapeMismatchError(
                f"`log_baseline` must be a tensor with one entry per row of `scores` ({s.shape[0]}); got "
                f"shape {tuple(getattr(log_baseline, 'shape', ()))}"
            )
        s = s - log_baseline.reshape(1, -1)  # a_j depends on y_j: subtract per column (new tensor)
    return 1.0 + s.diagonal().mean() - _logmeanexp_offdiag(s).exp()


def nwj_lower_bound(scores):
    r"""NWJ bound :math:`\frac1B\sum_i S_{ii} - e^{-1}\,\mathrm{mean}_{i\ne j} e^{S_{ij}}` (nats).

    Notes
    -----
    Nguyen, Wainwright & Jordan (2010) [1]_ (the f-divergence dual of the KL), written as TUBA with the
    constant baseline :math:`a = e` (Eq. (9) of [2]_). Tight at the critic
    :math:`S = 1 + \log p(x,y)/(p(x)p(y))`; its variance grows like :math:`e^{I}` [3]_.

    References
    ----------
    .. [1] Nguyen, X., Wainwright, M. J. & Jordan, M. I. (2010). Estimating divergence functionals and the
       likelihood ratio by convex risk minimization. IEEE Trans. Inf. Theory 56(11), 5847–5861.
    .. [2] Poole, B. et al. (2019). On variational bounds of mutual information. ICML. arXiv:1905.06922
    .. [3] Song, J. & Ermon, S. (2020). Understanding the limitations of variational mutual information
       estimators. ICLR. arXiv:1910.06222

    Examples
    --------
    >>> import torch
    >>> round(float(nwj_lower_bound(torch.ones(3, 3))), 6)  # 1 - e^{1-1}
    0.0
    """
    s = _check_scores(scores)
    return tuba_lower_bound(s - 1.0)


def dv_lower_bound(scores):
    r"""Donsker–Varadhan bound :math:`\frac1B\sum_i S_{ii} - \log\mathrm{mean}_{i\ne j} e^{S_{ij}}` (nats).

    Notes
    -----
    Eq. (2) of Belghazi et al. (2018) [1]_ on one batch. Invariant to :math:`S \to S + c`; never below the
    NWJ value of the same scores (:math:`\log u \le u/e`). The batch estimate of the log-partition is biased,
    so this is a lower bound only in expectation over large batches.

    References
    ----------
    .. [1] Belghazi, M. I. et al. (2018). Mutual information neural estimation. ICML. arXiv:1801.04062

    Examples
    --------
    >>> import torch
    >>> float(dv_lower_bound(torch.eye(3)))  # mean diag 1, off-diagonal e^0
    1.0
    """
    s = _check_scores(scores)
    return s.diagonal().mean() - _logmeanexp_offdiag(s)


def mine_lower_bound(scores, *, running_mean=None, momentum: float = 0.9):
    r"""MINE: the DV value, with the gradient of its log-partition de-biased by a moving average.

    Parameters
    ----------
    scores : torch.Tensor, shape (B, B)
    running_mean : torch.Tensor or float, optional
        Moving average of :math:`\mathrm{mean}_{i\ne j} e^{S_{ij}}` from earlier batches (``None`` on the
        first batch: the average starts at this batch's value).
    momentum : float in [0, 1)
        Weight of the past in the moving average (0.9 as in the reference code).

    Returns
    -------
    (bound, running_mean) : (torch.Tensor, torch.Tensor)
        ``bound`` has the DV value and the gradient
        :math:`\nabla\bar S_{\rm diag} - \nabla \overline{e^{S}}/\widehat{m}`, Eq. (12) of [1]_, where
        :math:`\widehat m` is the updated moving average (detached, clamped at 1e-4); pass ``running_mean``
        back on the next call.

    Notes
    -----
    # Deviation from the SMILE reference code: it carries the *current batch's* partition term to the next
    # step instead of the moving average, so its "average" spans two batches; this keeps a true EMA, as in [1]_.

    References
    ----------
    .. [1] Belghazi, M. I. et al. (2018). Mutual information neural estimation. ICML. arXiv:1801.04062

    Examples
    --------
    >>> import torch
    >>> b, m = mine_lower_bound(torch.eye(3))
    >>> float(b), float(m)
    (1.0, 1.0)
    """
    s = _check_scores(scores)
    mom = _check_real(momentum, "momentum", low=0.0, high=1.0)
    prev = None if running_mean is None else torch.as_tensor(running_mean, dtype=torch.float64, device=s.device)
    if prev is not None and not bool(prev > 0):
        raise InvalidParameterError(f"`running_mean` must be > 0 (a mean of exponentials); got {float(prev)!r}")
    bound, log_ema = _mine(s, None if prev is None else torch.log(prev), mom)
    return bound, log_ema.double().exp()


def _mine(s, log_prev, mom):
    """(MINE bound, log of the updated moving average), all in log space so that e^S never overflows."""
    diag = s.diagonal().mean()
    lme = _logmeanexp_offdiag(s)  # log of this batch's partition term
    with torch.no_grad():
        cur = lme.detach()
        if log_prev is None:
            log_ema = cur
        else:
            lp = log_prev.to(cur.dtype)
            log_ema = torch.logaddexp(math.log(mom) + lp if mom > 0 else torch.full_like(cur, -math.inf),
                                      math.log1p(-mom) + cur)
        log_ema = log_ema.clamp_min(math.log(1e-4))
    # gradient of the partition term: ∇(batch) / ema = exp(lme - log ema) ∇lme, a ratio <= 1 / (1 - momentum)
    surrogate = diag - torch.exp(lme - log_ema)
    return _value_with_gradient_of(diag - lme, surrogate), log_ema


def js_fgan_lower_bound(scores):
    r"""f-GAN Jensen–Shannon bound :math:`-\mathrm{mean}_i\,\mathrm{sp}(-S_{ii}) - \mathrm{mean}_{i\ne j}\,\mathrm{sp}(S_{ij})`.

    ``sp`` is the softplus. The value lower-bounds :math:`2\,\mathrm{JSD}(p_{XY}\|p_Xp_Y) - \log 4` (Nowozin et
    al. 2016, the GAN discriminator objective); its maximiser is :math:`S = \log p(x,y)/(p(x)p(y))`, the
    density ratio every other bound needs, reached with low-variance gradients [1]_.

    References
    ----------
    .. [1] Song, J. & Ermon, S. (2020). Understanding the limitations of variational mutual information
       estimators. ICLR. arXiv:1910.06222

    Examples
    --------
    >>> import torch
    >>> round(float(js_fgan_lower_bound(torch.zeros(3, 3))), 4)  # -2 log 2
    -1.3863
    """
    s = _check_scores(scores)
    return -F.softplus(-s.diagonal()).mean() - _mean_offdiag(F.softplus(s))


def js_lower_bound(scores):
    r"""MI from a JS-trained critic: the value of :func:`tuba_lower_bound` (:math:`a \equiv 1`), the gradient
    of :func:`js_fgan_lower_bound`.

    Notes
    -----
    The JS objective is maximised at :math:`S = \log r` with :math:`r = p(x,y)/(p(x)p(y))`, and NWJ is tight
    at :math:`1 + \log r`, so the MI is read off as NWJ(S + 1) = TUBA(S) =
    :math:`1 + \bar S_{\rm diag} - \mathrm{mean}_{i\ne j}e^{S_{ij}}` (Poole et al. 2019, §2.4, [1]_).

    # Deviation from the SMILE reference code: it reports NWJ(S) (= TUBA(S - 1)), which at the JS optimum
    # S = log r equals I - 1/e; NWJ(S + 1) is the value that is tight there.

    References
    ----------
    .. [1] Poole, B. et al. (2019). On variational bounds of mutual information. ICML. arXiv:1905.06922

    Examples
    --------
    >>> import torch
    >>> float(js_lower_bound(torch.zeros(3, 3)))
    0.0
    """
    s = _check_scores(scores)
    return _value_with_gradient_of(tuba_lower_bound(s), js_fgan_lower_bound(s))


def smile_lower_bound(scores, *, clip: float | None = 5.0):
    r"""SMILE(τ): :math:`\bar S_{\rm diag} - \log\mathrm{mean}_{i\ne j} e^{\mathrm{clip}(S_{ij}, -\tau, \tau)}`,
    with the gradient of :func:`js_fgan_lower_bound`.

    Parameters
    ----------
    scores : torch.Tensor, shape (B, B)
    clip : float or None
        :math:`\tau > 0`; ``None`` (τ = ∞) gives the DV value. The paper uses τ ∈ {1, 5, ∞}.

    Notes
    -----
    Eq. (17) of Song & Ermon (2020) [1]_: clipping the density ratio :math:`e^{S}` to
    :math:`[e^{-\tau}, e^{\tau}]` in the partition term bounds the variance by a constant while adding a
    bias that vanishes as τ grows.

    References
    ----------
    .. [1] Song, J. & Ermon, S. (2020). Understanding the limitations of variational mutual information
       estimators. ICLR. arXiv:1910.06222

    Examples
    --------
    >>> import torch
    >>> float(smile_lower_bound(torch.eye(3), clip=None))  # = the DV value
    1.0
    """
    s = _check_scores(scores)
    tau = _check_real(clip, "clip", low=0.0, low_open=True, allow_none=True)
    sc = s if tau is None else s.clamp(-tau, tau)
    value = s.diagonal().mean() - _logmeanexp_offdiag(sc)
    return _value_with_gradient_of(value, js_fgan_lower_bound(s))


def wdm_lower_bound(scores):
    r"""Kantorovich–Rubinstein dual of the Wasserstein dependency measure:
    :math:`\frac1B\sum_i S_{ii} - \mathrm{mean}_{i\ne j} S_{ij}`.

    Notes
    -----
    Eq. (6) of Ozair et al. (2019) [1]_: :math:`I_W(X;Y) = W_1(p_{XY}, p_Xp_Y) = \sup_{\|f\|_L\le 1}
    \mathbb E_{p_{XY}} f - \mathbb E_{p_Xp_Y} f`. A lower bound on :math:`I_W` only when the critic is
    1-Lipschitz (enforce it with :func:`gradient_penalty` or spectral normalisation); it is in units of the
    data's metric, not nats, and, unlike the KL bounds, is not capped by :math:`\log B`.

    References
    ----------
    .. [1] Ozair, S. et al. (2019). Wasserstein dependency measure for representation learning. NeurIPS 32.
       arXiv:1903.11780

    Examples
    --------
    >>> import torch
    >>> float(wdm_lower_bound(torch.eye(3)))
    1.0
    """
    s = _check_scores(scores)
    return s.diagonal().mean() - _mean_offdiag(s)


# --------------------------------------------------------------------------------------------- losses
def infonce_loss(scores, *, positives=None):
    """``-infonce_lower_bound(scores, positives=positives)`` (minimise it)."""
    return -infonce_lower_bound(scores, positives=positives)


def nwj_loss(scores):
    """``-nwj_lower_bound(scores)`` (minimise it)."""
    return -nwj_lower_bound(scores)


def dv_loss(scores):
    """``-dv_lower_bound(scores)`` (minimise it)."""
    return -dv_lower_bound(scores)


def js_loss(scores):
    """``-js_lower_bound(scores)``: the JS gradient, the negative MI read-out as its value (minimise it)."""
    return -js_lower_bound(scores)


def smile_loss(scores, *, clip: float | None = 5.0):
    """``-smile_lower_bound(scores, clip=clip)`` (minimise it)."""
    return -smile_lower_bound(scores, clip=clip)


class MINELoss(nn.Module):
    """Stateful MINE loss: ``-mine_lower_bound`` with the moving average kept in a buffer.

    Parameters
    ----------
    momentum : float in [0, 1)
        Weight of the past in the moving average of the partition term (0.9 as in the reference code).

    Examples
    --------
    >>> import torch
    >>> loss = MINELoss()
    >>> float(loss(torch.eye(3)))
    -1.0
    """

    def __init__(self, momentum: float = 0.9):
        super().__init__()
        self.momentum = _check_real(momentum, "momentum", low=0.0, high=1.0)
        self.register_buffer("running_mean", torch.tensor(float("nan")))

    def forward(self, scores):
        prev = None if bool(torch.isnan(self.running_mean)) else self.running_mean
        bound, ema = mine_lower_bound(scores, running_mean=prev, momentum=self.momentum)
        self.running_mean = ema.detach().to(self.running_mean.dtype)
        return -bound


# --------------------------------------------------------------------------------------------- critics
def _mlp(d_in, hidden, d_out, activation, sn):
    acts = {"relu": nn.ReLU, "elu": nn.ELU, "tanh": nn.Tanh, "leaky_relu": nn.LeakyReLU}
    if activation not in acts:
        raise InvalidParameterError(f"`activation` must be one of {{{', '.join(map(repr, acts))}}}; got {activation!r}")
    layers, d = [], d_in
    for h in hidden:
        lin = nn.Linear(d, h)
        layers += [nn.utils.parametrizations.spectral_norm(lin) if sn else lin, acts[activation]()]
        d = h
    lin = nn.Linear(d, d_out)
    layers.append(nn.utils.parametrizations.spectral_norm(lin) if sn else lin)
    return nn.Sequential(*layers)


def _check_hidden(hidden):
    if isinstance(hidden, numbers.Integral) and not isinstance(hidden, bool):
        hidden = (int(hidden),) * 2
    try:
        hidden = tuple(hidden)
    except TypeError:
        raise InvalidParameterError(f"`hidden` must be an int or a tuple of layer widths; got {hidden!r}") from None
    for h in hidden:
        _check_int(h, "hidden (each layer width)")
    return tuple(int(h) for h in hidden)


class SeparableCritic(nn.Module):
    r"""Separable critic :math:`f(x, y) = g(x)^\top h(y)` with MLP encoders (all B² scores in one matmul).

    Parameters
    ----------
    dim_x, dim_y : int
        Input widths.
    hidden : int or tuple of int
        Hidden widths of both encoders (an int means two layers of that width; the SMILE demo uses 256).
    embed_dim : int
        Width of :math:`g(x)` and :math:`h(y)` (32 in the SMILE demo).
    activation : {"relu", "elu", "tanh", "leaky_relu"}
    spectral_norm : bool
        Spectral normalisation [1]_ of every linear layer: each encoder is then 1-Lipschitz (with a
        1-Lipschitz activation). The bilinear score itself is Lipschitz only on bounded inputs.

    References
    ----------
    .. [1] Miyato, T. et al. (2018). Spectral normalization for GANs. ICLR. arXiv:1802.05957

    Examples
    --------
    >>> import torch
    >>> c = SeparableCritic(2, 3, hidden=8, embed_dim=4)
    >>> c(torch.zeros(5, 2), torch.zeros(5, 3)).shape
    torch.Size([5, 5])
    """

    def __init__(self, dim_x: int, dim_y: int, *, hidden=(256, 256), embed_dim: int = 32, activation="relu",
                 spectral_norm: bool = False):
        super().__init__()
        dx, dy = _check_int(dim_x, "dim_x"), _check_int(dim_y, "dim_y")
        hidden = _check_hidden(hidden)
        e = _check_int(embed_dim, "embed_dim")
        self.g = _mlp(dx, hidden, e, activation, spectral_norm)
        self.h = _mlp(dy, hidden, e, activation, spectral_norm)

    def forward(self, x, y):
        """Scores ``S[i, j] = g(x_i) · h(y_j)``, shape ``(len(x), len(y))``."""
        return self.g(x) @ self.h(y).T


class ConcatCritic(nn.Module):
    r"""Joint critic :math:`f(x, y) = \mathrm{MLP}([x; y])`, evaluated on all B² pairs (O(B²) memory).

    Parameters are those of :class:`SeparableCritic` (no ``embed_dim``). With ``spectral_norm=True`` and a
    1-Lipschitz activation the critic is 1-Lipschitz in :math:`(x, y)` (Euclidean), as the Wasserstein
    dependency measure asks.

    Examples
    --------
    >>> import torch
    >>> ConcatCritic(2, 1, hidden=8)(torch.zeros(4, 2), torch.zeros(3, 1)).shape
    torch.Size([4, 3])
    """

    def __init__(self, dim_x: int, dim_y: int, *, hidden=(256, 256), activation="relu", spectral_norm=False):
        super().__init__()
        dx, dy = _check_int(dim_x, "dim_x"), _check_int(dim_y, "dim_y")
        self.f = _mlp(dx + dy, _check_hidden(hidden), 1, activation, spectral_norm)

    def forward(self, x, y):
        """Scores ``S[i, j] = f([x_i; y_j])``, shape ``(len(x), len(y))``."""
        b, m = x.shape[0], y.shape[0]
        pairs = torch.cat([x[:, None, :].expand(b, m, x.shape[1]), y[None, :, :].expand(b, m, y.shape[1])], dim=-1)
        return self.f(pairs).squeeze(-1)


# --------------------------------------------------------------------------------------------- Lipschitz
def _check_critic_inputs(critic, x, y):
    if not callable(critic):
        raise InvalidInputTypeError(f"`critic` must be a callable (x, y) -> scores; got {type(critic).__name__}")
    for name, t in (("x", x), ("y", y)):
        if not isinstance(t, torch.Tensor) or t.ndim != 2:
            raise InvalidInputTypeError(
                f"`{name}` must be a 2-D torch tensor (rows are samples); got "
                f"{type(t).__name__}{'' if not isinstance(t, torch.Tensor) else ' of shape ' + str(tuple(t.shape))}"
            )
    if x.shape[0] != y.shape[0] or x.shape[0] < 2:
        raise ShapeMismatchError(
            f"`x` and `y` must hold the same number (>= 2) of paired rows; got {x.shape[0]} and {y.shape[0]}"
        )


def gradient_penalty(critic, x, y, *, one_sided: bool = False):
    r"""Gradient penalty :math:`\mathbb E[(\|\nabla_{(x,y)} f(x, y)\|_2 - 1)^2]` of a critic (WGAN-GP).

    Parameters
    ----------
    critic : callable
        ``critic(x, y)`` returns the (B, B) score matrix; entry (i, j) must depend on ``x[i]`` and ``y[j]``
        only (true of :class:`SeparableCritic` and :class:`ConcatCritic`).
    x, y : torch.Tensor, shape (B, d_x), (B, d_y)
        A batch of joint pairs. Not modified.
    one_sided : bool
        Penalise only gradient norms above 1: :math:`\mathbb E[\max(0, \|\nabla f\| - 1)^2]`.

    Returns
    -------
    torch.Tensor
        0-d tensor (differentiable: ``create_graph=True``).

    Notes
    -----
    Gulrajani et al. (2017) [1]_ penalise the input-gradient norm of the critic at points between the two
    distributions; here the gradient is taken with respect to the critic's inputs at the joint pairs
    :math:`(x_i, y_i)` and at product pairs :math:`(x_i, y_{i+1})` (the batch rolled by one), the two
    distributions of the dependency measure.

    # Deviation from [1]_: no random interpolates, because the joint and product samples share their
    # marginals and every point of both sets lies in the support the Lipschitz constraint matters on.

    References
    ----------
    .. [1] Gulrajani, I. et al. (2017). Improved training of Wasserstein GANs. NeurIPS. arXiv:1704.00028

    Examples
    --------
    The linear critic f(x, y) = 2x has gradient norm 2 everywhere, so the penalty is (2 - 1)² = 1:

    >>> import torch
    >>> critic = lambda x, y: 2 * x + 0 * y.T
    >>> float(gradient_penalty(critic, torch.randn(4, 1), torch.randn(4, 1)))
    1.0
    """
    _check_critic_inputs(critic, x, y)
    xs = torch.cat([x, x]).detach().requires_grad_(True)
    ys = torch.cat([y, torch.roll(y, shifts=1, dims=0)]).detach().requires_grad_(True)
    # f at the 2B pairs (x_i, y_i), (x_i, y_{i+1}); sum of the diagonal's gradient gives each pair's gradient
    b = x.shape[0]
    f = torch.cat([critic(xs[:b], ys[:b]).diagonal(), critic(xs[b:], ys[b:]).diagonal()])
    gx, gy = torch.autograd.grad(f.sum(), (xs, ys), create_graph=True)
    norm = torch.sqrt((gx ** 2).sum(dim=1) + (gy ** 2).sum(dim=1) + 1e-12)
    dev = norm - 1.0
    if one_sided:
        dev = dev.clamp_min(0.0)
    return (dev ** 2).mean()


def wdm_loss(critic, x, y, *, penalty_weight: float = 10.0, one_sided: bool = False):
    r"""Wasserstein dependency measure loss: :math:`-\mathrm{WDM}(S) + \lambda\,\mathrm{GP}` (minimise it).

    Parameters
    ----------
    critic : callable
        ``critic(x, y) -> (B, B)`` scores (e.g. :class:`ConcatCritic`, or a spectrally normalised one with
        ``penalty_weight=0``).
    x, y : torch.Tensor
        A batch of joint pairs.
    penalty_weight : float
        :math:`\lambda \ge 0` of :func:`gradient_penalty` (10, as in WGAN-GP).
    one_sided : bool
        One-sided penalty.

    Notes
    -----
    The dual objective of Eq. (6) of Ozair et al. (2019) [1]_, made approximately 1-Lipschitz with the
    penalty of [2]_.

    References
    ----------
    .. [1] Ozair, S. et al. (2019). Wasserstein dependency measure for representation learning. NeurIPS 32.
       arXiv:1903.11780
    .. [2] Gulrajani, I. et al. (2017). Improved training of Wasserstein GANs. NeurIPS. arXiv:1704.00028
    """
    _check_critic_inputs(critic, x, y)
    lam = _check_real(penalty_weight, "penalty_weight", low=0.0)
    loss = -wdm_lower_bound(critic(x, y))
    if lam > 0:
        loss = loss + lam * gradient_penalty(critic, x, y, one_sided=one_sided)
    return loss


def wpc_loss(critic, x, y, *, penalty_weight: float = 10.0, one_sided: bool = False, positives=None):
    r"""Wasserstein predictive coding: the InfoNCE loss of a Lipschitz-regularised critic (minimise it).

    :math:`-\mathrm{InfoNCE}(S) + \lambda\,\mathrm{GP}` — the practical WDM objective of Ozair et al. (2019)
    [1]_ (§4: regularise the CPC critic to be Lipschitz), beside plain :func:`infonce_loss`
    (``penalty_weight=0``).

    References
    ----------
    .. [1] Ozair, S. et al. (2019). Wasserstein dependency measure for representation learning. NeurIPS 32.
       arXiv:1903.11780
    """
    _check_critic_inputs(critic, x, y)
    lam = _check_real(penalty_weight, "penalty_weight", low=0.0)
    loss = infonce_loss(critic(x, y), positives=positives)
    if lam > 0:
        loss = loss + lam * gradient_penalty(critic, x, y, one_sided=one_sided)
    return loss


# --------------------------------------------------------------------------------------------- training
@dataclass(frozen=True)
class NeuralMIResult:
    """A neural MI estimate with its spread over held-out batches.

    Attributes
    ----------
    value : float
        Mean of the bound over held-out batches (nats).
    stderr : float
        Standard error of ``value`` (std over held-out batches / sqrt(batches per pass)).
    std : float
        Standard deviation of the bound over held-out batches (the per-batch spread).
    method : str
        The bound.
    batch_size : int
        Batch size B of training and evaluation (InfoNCE ≤ log B).
    n_train, n_valid : int
        Rows in the training and held-out splits.
    epochs : int
        Epochs run (early stopping may stop before ``epochs``).
    best_epoch : int
        Epoch whose critic was kept (lowest held-out training loss; 0 for DoE = its initial linear-Gaussian fit).
    history : tuple of float
        Held-out estimate after each epoch.
    critic : torch.nn.Module
        The trained critic (for DoE: the pair of density models).
    unit : str
    """

    value: float
    stderr: float
    std: float
    method: str
    batch_size: int
    n_train: int
    n_valid: int
    epochs: int
    best_epoch: int
    history: tuple = field(repr=False)
    critic: object = field(repr=False, compare=False)
    unit: str = "nats"

    def __float__(self) -> float:
        return float(self.value)


def _as_tensor_2d(a, name, device=None):
    if isinstance(a, torch.Tensor):
        t = a.detach()
    else:
        arr = np.asarray(a)
        if arr.dtype.kind not in "fiub":
            raise InvalidInputTypeError(f"`{name}` must be numeric; got dtype {arr.dtype}")
        t = torch.as_tensor(np.array(arr, dtype=np.float32, copy=True))
    if t.ndim == 1:
        t = t[:, None]
    if t.ndim != 2:
        raise ShapeMismatchError(f"`{name}` must be 1-D or 2-D (rows are samples); got shape {tuple(t.shape)}")
    t = t.to(dtype=torch.float32, device=device if device is not None else t.device)
    if not bool(torch.isfinite(t).all()):
        raise InvalidSampleError(f"`{name}` holds NaN or inf; drop those rows (or use nan_policy='omit')")
    return t


def _standardize(t):
    sd = t.std(dim=0, unbiased=False)
    sd = torch.where(sd > 0, sd, torch.ones_like(sd))
    return (t - t.mean(dim=0)) / sd


def _prepare(x, y, validation_fraction, batch_size, device):
    tx = _as_tensor_2d(x, "x", device)
    ty = _as_tensor_2d(y, "y", tx.device)
    if tx.shape[0] != ty.shape[0]:
        raise ShapeMismatchError(f"`x` and `y` must have the same number of rows; got {tx.shape[0]} and {ty.shape[0]}")
    n = tx.shape[0]
    frac = _check_real(validation_fraction, "validation_fraction", low=0.0, low_open=True, high=1.0)
    bs = _check_int(batch_size, "batch_size", minimum=2)
    n_valid = max(2, int(round(frac * n)))
    n_train = n - n_valid
    if n_train < 2:
        raise InvalidSampleError(
            f"neural estimators need at least 2 training and 2 held-out rows; got n={n} with "
            f"validation_fraction={frac}; pass more data"
        )
    return _standardize(tx), _standardize(ty), n, n_train, n_valid, min(bs, n_train, n_valid)


def _chunks(idx, b):
    """Consecutive chunks of ``idx`` of size ``b`` (the last, shorter one is dropped unless it is the only)."""
    k = max(1, len(idx) // b)
    return [idx[i * b:(i + 1) * b] for i in range(k)]


def _seed_of(random_state):
    rng = check_random_state(0 if random_state is None else random_state)
    return rng, int(rng.integers(0, 2**31 - 1))


def _objective(bound, s, mine_state, clip):
    """(training loss, reported value) of ``bound`` on one batch of scores (unchecked: the training loop's
    own critic output); ``mine_state`` is a one-item list holding MINE's moving average."""
    diag = s.diagonal().mean()
    if bound == "infonce":
        v = math.log(s.shape[0]) + (s.diagonal() - torch.logsumexp(s, dim=1)).mean()
        return -v, v
    if bound == "nwj":
        v = diag - _logmeanexp_offdiag(s - 1.0).exp()
        return -v, v
    if bound == "dv":
        v = diag - _logmeanexp_offdiag(s)
        return -v, v
    if bound == "mine":
        v, log_ema = _mine(s, mine_state[0], 0.9)
        if torch.is_grad_enabled():
            mine_state[0] = log_ema
        return -v, v
    js = -F.softplus(-s.diagonal()).mean() - _mean_offdiag(F.softplus(s))
    if bound == "js":
        value = 1.0 + diag - _logmeanexp_offdiag(s).exp()
    else:
        value = diag - _logmeanexp_offdiag(s if clip is None else s.clamp(-clip, clip))
    return -js, value.detach()


class _Adam:
    """Adam (Kingma & Ba 2015, Algorithm 1) with the usual defaults β = (0.9, 0.999), ε = 1e-8.

    # Deviation from torch.optim.Adam: the same update, written out here because constructing a
    # torch.optim optimiser imports torch._dynamo (tens of seconds on a loaded CPU, once per process).
    """

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
        self.params = [p for p in params if p.requires_grad]
        self.lr, (self.b1, self.b2), self.eps, self.t = lr, betas, eps, 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self, set_to_none=True):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        c1, c2 = 1 - self.b1 ** self.t, 1 - self.b2 ** self.t
        for p, m, v in zip(self.params, self.m, self.v):
            if p.grad is None:
                continue
            m.mul_(self.b1).add_(p.grad, alpha=1 - self.b1)
            v.mul_(self.b2).addcmul_(p.grad, p.grad, value=1 - self.b2)
            p.addcdiv_(m, (v / c2).sqrt_().add_(self.eps), value=-self.lr / c1)


def _make_critic(critic, dx, dy, hidden, embed_dim, spectral_norm):
    if isinstance(critic, nn.Module):
        return critic
    if critic == "separable":
        return SeparableCritic(dx, dy, hidden=hidden, embed_dim=embed_dim, spectral_norm=spectral_norm)
    if critic == "concat":
        return ConcatCritic(dx, dy, hidden=hidden, spectral_norm=spectral_norm)
    raise InvalidParameterError(
        f"`critic` must be 'separable', 'concat' or a torch.nn.Module (x, y) -> scores; got {critic!r}"
    )


def train_critic(
    x,
    y,
    *,
    bound: str = "smile",
    critic="separable",
    clip: float | None = 5.0,
    hidden=(64, 64),
    embed_dim: int = 32,
    spectral_norm: bool = False,
    batch_size: int = 64,
    epochs: int = 50,
    patience: int = 5,
    lr: float = 1e-3,
    validation_fraction: float = 0.3,
    eval_repeats: int = 4,
    device=None,
    random_state=None,
) -> NeuralMIResult:
    r"""Train a critic on one bound and estimate :math:`I(X;Y)` on held-out batches (nats).

    Parameters
    ----------
    x, y : array_like or torch.Tensor, shape (n,) or (n, d)
        Paired samples (each column is z-scored first; the inputs are not modified).
    bound : {"infonce", "nwj", "dv", "mine", "js", "smile"}
        The objective and read-out (``"js"`` and ``"smile"`` train on the JS objective and read out TUBA and
        SMILE(τ = ``clip``); ``"mine"`` reads out DV).
    critic : {"separable", "concat"} or torch.nn.Module
        :class:`SeparableCritic`, :class:`ConcatCritic`, or your own module ``(x, y) -> (B, B)`` scores.
    clip : float or None
        τ of SMILE.
    hidden, embed_dim, spectral_norm
        Architecture of the built-in critics.
    batch_size : int
        B, for training and evaluation (capped at the split sizes). InfoNCE can never exceed :math:`\log B`.
    epochs : int
        Maximum passes over the training split.
    patience : int
        Early stopping: stop after this many epochs without a lower held-out training loss, and keep the
        critic of the best epoch.
    lr : float
        Adam learning rate.
    validation_fraction : float in (0, 1)
        Share of rows held out for early stopping and for the reported estimate.
    eval_repeats : int
        Random batchings of the held-out split averaged in the reported value.
    device : str or torch.device, optional
        Where to train (default: the device of a tensor ``x``, else the CPU).
    random_state : None, int or numpy.random.Generator
        Seeds the split, the batches and the critic's initialisation (``None``: seed 0, so that estimates are
        reproducible like the other estimators'); the global torch RNG is left untouched.

    Returns
    -------
    NeuralMIResult

    Notes
    -----
    Evaluation on a held-out split matters: bounds computed on training batches are optimistically
    biased (the critic memorises the pairs). The early-stopping criterion is the training objective on the
    held-out split (for SMILE/JS: the JS objective), so the reported estimate is not itself selected.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(1000, 1)); y = x + rng.normal(size=(1000, 1))  # I = log(2)/2 = 0.35 nats
    >>> r = train_critic(x, y, bound="smile", hidden=32, epochs=30, random_state=0)
    >>> 0.1 < r.value < 0.6
    True
    """
    if bound not in BOUNDS:
        raise InvalidParameterError(f"`bound` must be one of {{{', '.join(map(repr, BOUNDS))}}}; got {bound!r}")
    n_epochs = _check_int(epochs, "epochs")
    pat = _check_int(patience, "patience")
    lr_ = _check_real(lr, "lr", low=0.0, low_open=True)
    reps = _check_int(eval_repeats, "eval_repeats")
    tau = _check_real(clip, "clip", low=0.0, low_open=True, allow_none=True)
    tx, ty, n, n_train, n_valid, b = _prepare(x, y, validation_fraction, batch_size, device)
    rng, seed = _seed_of(random_state)
    perm = torch.as_tensor(rng.permutation(n), device=tx.device)
    tr, va = perm[:n_train], perm[n_train:]
    devs = [tx.device.index] if tx.device.type == "cuda" else []
    with torch.random.fork_rng(devices=devs):
        torch.manual_seed(seed)
        model = _make_critic(critic, tx.shape[1], ty.shape[1], hidden, embed_dim, spectral_norm).to(tx.device)
        opt = _Adam(model.parameters(), lr=lr_)
        mine_state = [None]
        va_batches = _chunks(va, b)

        def held_out():
            model.eval()
            with torch.no_grad():
                losses, values = [], []
                for c in va_batches:
                    lo, v = _objective(bound, model(tx[c], ty[c]), [mine_state[0]], tau)
                    losses.append(float(lo))
                    values.append(float(v))
            model.train()
            return float(np.mean(losses)), float(np.mean(values))

        best = (math.inf, copy.deepcopy(model.state_dict()), 0)
        history, stale, ep = [], 0, 0
        for ep in range(1, n_epochs + 1):
            order = tr[torch.as_tensor(rng.permutation(n_train), device=tx.device)]
            for c in _chunks(order, b):
                opt.zero_grad(set_to_none=True)
                loss, _ = _objective(bound, model(tx[c], ty[c]), mine_state, tau)
                if not bool(torch.isfinite(loss)):
                    raise InvalidSampleError(
                        f"the {bound!r} objective became non-finite at epoch {ep}; lower `lr` or use "
                        "bound='smile' (its clipped partition term cannot overflow)"
                    )
                loss.backward()
                opt.step()
            vloss, vval = held_out()
            history.append(vval)
            if vloss < best[0] - 1e-6:
                best, stale = (vloss, copy.deepcopy(model.state_dict()), ep), 0
            else:
                stale += 1
                if stale >= pat:
                    break
        model.load_state_dict(best[1])
        model.eval()
        values, per_pass = [], len(va_batches)
        with torch.no_grad():
            for _ in range(reps):
                order = va[torch.as_tensor(rng.permutation(n_valid), device=tx.device)]
                for c in _chunks(order, b):
                    values.append(float(_objective(bound, model(tx[c], ty[c]), [mine_state[0]], tau)[1]))
    vals = np.asarray(values)
    std = float(vals.std(ddof=1)) if vals.size > 1 else 0.0
    return NeuralMIResult(
        value=float(vals.mean()), stderr=std / math.sqrt(per_pass), std=std, method=bound, batch_size=b,
        n_train=n_train, n_valid=n_valid, epochs=ep, best_epoch=best[2], history=tuple(history), critic=model,
    )


# --------------------------------------------------------------------------------------------- DoE
class _GaussianDensity(nn.Module):
    """log N(y; μ(x), LLᵀ) with μ(x) = b + W x + MLP(x) (b alone when ``dx`` is None); L lower-triangular with a
    positive diagonal exp(log_diag), constant in x.

    :meth:`fit_linear` starts it at the least-squares Gaussian fit (the MLE of the linear-Gaussian model, the
    MLP's last layer zeroed), so training only has to learn the non-linear part.
    """

    def __init__(self, dy, dx=None, hidden=(64, 64)):
        super().__init__()
        self.loc = nn.Parameter(torch.zeros(dy))
        self.lin = nn.Linear(dx, dy, bias=False) if dx else None
        self.mlp = _mlp(dx, hidden, dy, "relu", False) if dx else None
        self.log_diag = nn.Parameter(torch.zeros(dy))
        self.lower = nn.Parameter(torch.zeros(dy, dy))

    @torch.no_grad()
    def fit_linear(self, y, x=None):
        y64 = y.double()
        if x is None:
            mu, resid = y64.mean(0), y64 - y64.mean(0)
        else:
            x1 = torch.cat([x.double(), torch.ones(len(x), 1, dtype=torch.float64, device=x.device)], dim=1)
            coef = torch.linalg.lstsq(x1.cpu(), y64.cpu()).solution.to(y.device)
            resid = y64 - x1 @ coef
            self.lin.weight.copy_(coef[:-1].T)
            mu = coef[-1]
            last = self.mlp[-1]
            last.weight.zero_()
            last.bias.zero_()
        cov = resid.T @ resid / len(y64) + 1e-6 * torch.eye(y.shape[1], dtype=torch.float64, device=y.device)
        chol = torch.linalg.cholesky(cov)
        self.loc.copy_(mu)
        self.log_diag.copy_(torch.log(chol.diagonal()))
        self.lower.copy_(torch.tril(chol, diagonal=-1))

    def log_prob(self, y, x=None):
        d = y.shape[1]
        diag = self.log_diag.exp()
        chol = torch.tril(self.lower, diagonal=-1) + torch.diag(diag)
        mu = self.loc if x is None else self.loc + self.lin(x) + self.mlp(x)
        z = torch.linalg.solve_triangular(chol, (y - mu).T, upper=False).T
        return -0.5 * (z ** 2).sum(dim=1) - self.log_diag.sum() - 0.5 * d * math.log(2 * math.pi)


def difference_of_entropies(
    x,
    y,
    *,
    hidden=(64, 64),
    batch_size: int = 128,
    epochs: int = 50,
    patience: int = 5,
    lr: float = 1e-3,
    validation_fraction: float = 0.3,
    device=None,
    random_state=None,
) -> NeuralMIResult:
    r"""Difference-of-entropies (DoE) estimate :math:`\hat I = \hat H(Y) - \hat H(Y|X)` (nats).

    Parameters
    ----------
    x, y : array_like or torch.Tensor, shape (n,) or (n, d)
        Paired samples (z-scored first; not modified).
    hidden : int or tuple of int
        Hidden widths of the MLP that gives the conditional mean :math:`\mu(x)`.
    batch_size, epochs, patience, lr, validation_fraction, device, random_state
        As in :func:`train_critic` (early stopping on the held-out sum of both cross-entropies).

    Returns
    -------
    NeuralMIResult
        ``value`` is the held-out :math:`\hat H(Y) - \hat H(Y|X)`; ``stderr`` the standard error of the mean of
        the per-row differences :math:`\log q(y_i|x_i) - \log q(y_i)`.

    Notes
    -----
    McAllester & Stratos (2020) [1]_, §7: each entropy is upper-bounded by the cross-entropy of a model,
    :math:`H(Y) \le \mathbb E[-\log q(Y)]`, :math:`H(Y|X) \le \mathbb E[-\log q(Y|X)]`, so the difference is
    neither an upper nor a lower bound, but it avoids the :math:`\log n` ceiling their theorem places on
    every distribution-free lower bound. Here :math:`q(y)` is a full-covariance Gaussian and
    :math:`q(y|x) = N(\mu(x), \Sigma)` with an MLP mean and a constant full covariance: exact for jointly
    Gaussian data, a Gaussian (linear-heteroscedasticity-free) approximation otherwise.

    References
    ----------
    .. [1] McAllester, D. & Stratos, K. (2020). Formal limitations on the measurement of mutual information.
       AISTATS. arXiv:1811.04251

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(2000, 1)); y = x + rng.normal(size=(2000, 1))  # I = log(2)/2 = 0.347 nats
    >>> abs(difference_of_entropies(x, y, hidden=16, random_state=0).value - 0.347) < 0.1
    True
    """
    n_epochs = _check_int(epochs, "epochs")
    pat = _check_int(patience, "patience")
    lr_ = _check_real(lr, "lr", low=0.0, low_open=True)
    tx, ty, n, n_train, n_valid, b = _prepare(x, y, validation_fraction, batch_size, device)
    hidden = _check_hidden(hidden)
    rng, seed = _seed_of(random_state)
    perm = torch.as_tensor(rng.permutation(n), device=tx.device)
    tr, va = perm[:n_train], perm[n_train:]
    devs = [tx.device.index] if tx.device.type == "cuda" else []
    with torch.random.fork_rng(devices=devs):
        torch.manual_seed(seed)
        marg = _GaussianDensity(ty.shape[1]).to(tx.device)
        cond = _GaussianDensity(ty.shape[1], tx.shape[1], hidden).to(tx.device)
        marg.fit_linear(ty[tr])  # the Gaussian MLE of q(y): exact, nothing left to train
        cond.fit_linear(ty[tr], tx[tr])  # the linear-Gaussian MLE; the MLP then learns what is non-linear
        model = nn.ModuleDict({"marginal": marg, "conditional": cond})
        opt = _Adam(cond.parameters(), lr=lr_)
        with torch.no_grad():
            lm, lc = marg.log_prob(ty[va]), cond.log_prob(ty[va], tx[va])
        best = (float(-(lm.mean() + lc.mean())), copy.deepcopy(model.state_dict()), 0)
        history, stale, ep = [], 0, 0
        for ep in range(1, n_epochs + 1):
            order = tr[torch.as_tensor(rng.permutation(n_train), device=tx.device)]
            for c in _chunks(order, b):
                opt.zero_grad(set_to_none=True)
                loss = -cond.log_prob(ty[c], tx[c]).mean()
                loss.backward()
                opt.step()
            with torch.no_grad():
                lm, lc = marg.log_prob(ty[va]), cond.log_prob(ty[va], tx[va])
                vloss = float(-(lm.mean() + lc.mean()))
                history.append(float((lc - lm).mean()))
            if vloss < best[0] - 1e-6:
                best, stale = (vloss, copy.deepcopy(model.state_dict()), ep), 0
            else:
                stale += 1
                if stale >= pat:
                    break
        model.load_state_dict(best[1])
        with torch.no_grad():
            diff = (cond.log_prob(ty[va], tx[va]) - marg.log_prob(ty[va])).double().cpu().numpy()
    std = float(diff.std(ddof=1))
    return NeuralMIResult(
        value=float(diff.mean()), stderr=std / math.sqrt(diff.size), std=std, method="doe", batch_size=b,
        n_train=n_train, n_valid=n_valid, epochs=ep, best_epoch=best[2], history=tuple(history), critic=model,
    )


# --------------------------------------------------------------------------------------------- kernels
def neural_mi(x, y, *, bound="smile", critic="separable", clip=5.0, hidden=(64, 64), embed_dim=32,
              spectral_norm=False, batch_size=64, epochs=50, patience=5, lr=1e-3, validation_fraction=0.3,
              eval_repeats=4, device=None, random_state=None) -> float:
    """Registry kernel of the critic-based methods: :func:`train_critic` (...).value, a float in nats.

    Takes the standardised ``(n, d)`` arrays (numpy, or torch tensors, trained on their device) of
    ``infokit.estimate_mutual_information``; every option of :func:`train_critic` passes through.
    """
    return train_critic(x, y, bound=bound, critic=critic, clip=clip, hidden=hidden, embed_dim=embed_dim,
                        spectral_norm=spectral_norm, batch_size=batch_size, epochs=epochs, patience=patience,
                        lr=lr, validation_fraction=validation_fraction, eval_repeats=eval_repeats,
                        device=device, random_state=random_state).value


def doe_mi(x, y, *, hidden=(64, 64), batch_size=128, epochs=50, patience=5, lr=1e-3, validation_fraction=0.3,
           device=None, random_state=None) -> float:
    """Registry kernel of ``method="doe"``: :func:`difference_of_entropies` (...).value (nats)."""
    return difference_of_entropies(x, y, hidden=hidden, batch_size=batch_size, epochs=epochs, patience=patience,
                                   lr=lr, validation_fraction=validation_fraction, device=device,
                                   random_state=random_state).value
