"""Spectral functionals of matrices: spectral / von Neumann entropy, nuclear norm, condition number, log-volume.

These are the shared primitives (P3 of the implementation notes) behind several papers of the reading list:
the von Neumann entropy of a normalised latent covariance (Koopman information terms), the nuclear norm of
a centroid matrix (MMCR), the condition number and log-volume of a weight matrix (KappaTune). Each function

* accepts a numpy array (computed in float64) or a torch tensor (computed in float64 and cast back to the
  input's dtype, on the input's device, differentiable through ``torch.linalg.svdvals`` / ``eigvalsh``,
  whose backward passes need no eigen-gap, unlike the eigenvector derivatives);
* is batched: an input of shape ``(..., m, n)`` gives a result of shape ``(...)`` — a float for one matrix
  (numpy) or a 0-d tensor (torch);
* validates (finite entries, at least two dimensions, square / symmetric / PSD where the quantity needs it)
  and never modifies its input.

Entropies are computed in nats and converted once with ``base`` (2 = bits), as everywhere in infokit.

References
----------
.. [1] von Neumann, J. (1932). Mathematische Grundlagen der Quantenmechanik. Springer. (S(ρ) = −tr ρ log ρ)
.. [2] Roy, O., & Vetterli, M. (2007). The effective rank: a measure of effective dimensionality. EUSIPCO.
   (Shannon entropy of the normalised singular values; exp of it is the "effective rank")
.. [3] Golub, G. H., & Van Loan, C. F. (2013). Matrix Computations, 4th ed., §2.4 (singular values,
   κ₂ = σ_max / σ_min, ‖·‖_* = Σ σ_i). Johns Hopkins University Press.
"""

from __future__ import annotations

import math
import numbers
import sys

import numpy as np

from .._backend import is_torch
from .._units import check_base, to_base
from .._validation import as_float_array
from ..exceptions import InvalidDistributionError, InvalidParameterError, InvalidSampleError, ShapeMismatchError

__all__ = ["spectral_entropy", "von_neumann_entropy", "nuclear_norm", "condition_number", "log_volume"]


# ------------------------------------------------------------------------------------------------ validation
def _describe(a) -> str:
    return f"{'tensor' if is_torch(a) else 'array'} of shape {tuple(a.shape)}"


def _check_matrix(a, name: str, *, square: bool = False):
    a = as_float_array(a, name)
    if a.ndim < 2:
        raise ShapeMismatchError(
            f"`{name}` must be a matrix or a stack of matrices, shape (..., m, n); got a {_describe(a)}; "
            f"reshape a single vector with {name}[None, :] or {name}[:, None]"
        )
    if square and a.shape[-1] != a.shape[-2]:
        raise ShapeMismatchError(
            f"`{name}` must be square in its last two dimensions, shape (..., n, n); got a {_describe(a)}"
        )
    finite = a.detach().isfinite().all() if is_torch(a) else np.isfinite(a).all()
    if not bool(finite):
        n_bad = int((~a.isfinite()).sum()) if is_torch(a) else int((~np.isfinite(a)).sum())
        raise InvalidSampleError(
            f"`{name}` must contain only finite numbers; got {n_bad} NaN/inf entr{'y' if n_bad == 1 else 'ies'}; "
            "remove or impute them before calling"
        )
    return a


def _check_symmetric(a, name: str):
    """Raise unless ``a`` is symmetric within round-off (relative 1e-8 in float64, 1e-4 in lower precision)."""
    if is_torch(a):
        a = a.detach()
        diff = float((a - a.transpose(-1, -2)).abs().amax()) if a.numel() else 0.0
        scale = float(a.abs().amax()) if a.numel() else 0.0
        rtol = 1e-8 if a.dtype.itemsize >= 8 else 1e-4
    else:
        diff = float(np.max(np.abs(a - np.swapaxes(a, -1, -2)))) if a.size else 0.0
        scale = float(np.max(np.abs(a))) if a.size else 0.0
        rtol = 1e-8
    if diff > rtol * max(scale, 1e-300):
        raise InvalidDistributionError(
            f"`{name}` must be symmetric (a covariance / density matrix); got max |{name} - {name}.T| = {diff:.3g} "
            f"(relative {diff / max(scale, 1e-300):.3g} > {rtol:g}); symmetrise it with ({name} + {name}.T) / 2 "
            "or use spectral_entropy(..., hermitian=False) for a general matrix"
        )


def _check_power(power) -> float:
    if isinstance(power, bool) or not isinstance(power, numbers.Real) or not math.isfinite(float(power)):
        raise InvalidParameterError(f"`power` must be a finite real number > 0; got {power!r}")
    if float(power) <= 0:
        raise InvalidParameterError(f"`power` must be > 0 (the spectrum is raised to it before normalising); got {power!r}")
    return float(power)


def _check_rtol(rtol):
    if rtol is None:
        return None
    if isinstance(rtol, bool) or not isinstance(rtol, numbers.Real) or not (0 <= float(rtol) < 1):
        raise InvalidParameterError(f"`rtol` must be None or a real number in [0, 1); got {rtol!r}")
    return float(rtol)


# ------------------------------------------------------------------------------------------------ kernels
def _torch():
    return sys.modules["torch"]


def _svdvals(a):
    """Singular values, descending, in float64 (numpy) or float64 tensors (torch)."""
    if is_torch(a):
        return _torch().linalg.svdvals(a.to(_torch().float64))
    return np.linalg.svd(a, compute_uv=False)


def _eigvalsh(a):
    """Eigenvalues (ascending) of the symmetric part of ``a``, in float64."""
    if is_torch(a):
        a64 = a.to(_torch().float64)
        return _torch().linalg.eigvalsh(0.5 * (a64 + a64.transpose(-1, -2)))
    return np.linalg.eigvalsh(0.5 * (a + np.swapaxes(a, -1, -2)))


def _shannon_of_weights(w):
    """Shannon entropy (nats) of the nonnegative weights ``w`` normalised along the last axis.

    Terms with w = 0 contribute 0 and a zero gradient (the masked x·log x of ``_backend``).
    """
    if is_torch(w):
        torch = _torch()
        p = w / w.sum(dim=-1, keepdim=True)
        pos = p > 0
        logp = torch.log(torch.where(pos, p, torch.ones_like(p)))
        return -(torch.where(pos, p * logp, torch.zeros_like(p))).sum(dim=-1)
    p = w / w.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return -terms.sum(axis=-1)


def _finish(value, like):
    """numpy: a float for one matrix, an array for a stack; torch: cast back to the input dtype."""
    if is_torch(like):
        return value.to(like.dtype)
    value = np.asarray(value, dtype=np.float64)
    return float(value) if value.ndim == 0 else value


def _default_rtol(a) -> float:
    m, n = a.shape[-2], a.shape[-1]
    eps = float(np.finfo(np.float64).eps) if not is_torch(a) else float(_torch().finfo(a.dtype).eps)
    return max(m, n) * eps


# ------------------------------------------------------------------------------------------------ public
def spectral_entropy(a, *, power: float = 1.0, hermitian: bool = False, base=None):
    r"""Shannon entropy of the normalised singular-value spectrum, ``H(s**power / sum(s**power))``.

    Parameters
    ----------
    a : array_like or torch.Tensor, shape (..., m, n)
        A matrix or a stack of matrices (batched over the leading dimensions).
    power : float, default 1.0
        Exponent t applied to the singular values before normalising. ``power=2`` on a data matrix Z gives the
        von Neumann entropy of ZᵀZ (the spectrum of the Gram / covariance matrix).
    hermitian : bool, default False
        If True, ``a`` must be square and symmetric and the spectrum is |eigenvalues| (``eigvalsh``, faster);
        for a symmetric matrix these equal its singular values, so the value does not change.
    base : float, optional
        Logarithm base of the result: None or e for nats, 2 for bits.

    Returns
    -------
    float, ndarray or torch.Tensor
        Entropy in ``base`` units, shape ``a.shape[:-2]``; between 0 (rank one) and log(min(m, n)) (all singular
        values equal).

    Raises
    ------
    ShapeMismatchError
        If ``a`` has fewer than two dimensions (or is not square with ``hermitian=True``).
    InvalidSampleError
        If ``a`` has NaN/inf entries.
    InvalidDistributionError
        If ``a`` is the zero matrix (no spectrum to normalise) or, with ``hermitian=True``, not symmetric.

    Notes
    -----
    .. math:: H_t(A) = -\sum_i p_i \log p_i, \qquad p_i = \frac{\sigma_i(A)^t}{\sum_j \sigma_j(A)^t},

    σ_i(A) the singular values of ``a`` and t = ``power``. exp(H_1) is the effective rank of [2]_.

    References
    ----------
    .. [1] Roy, O., & Vetterli, M. (2007). The effective rank: a measure of effective dimensionality. EUSIPCO.

    Examples
    --------
    Four equal singular values carry log 4 nats = 2 bits:

    >>> import numpy as np
    >>> from infokit.measures import spectral_entropy
    >>> round(spectral_entropy(np.eye(4), base=2), 12)
    2.0
    """
    b = check_base(base)
    t = _check_power(power)
    a = _check_matrix(a, "a", square=hermitian)
    if hermitian:
        _check_symmetric(a, "a")
        s = _eigvalsh(a).abs() if is_torch(a) else np.abs(_eigvalsh(a))
    else:
        s = _svdvals(a)
    smax = s.amax(dim=-1) if is_torch(s) else np.max(s, axis=-1)
    if bool((smax == 0).any()):
        raise InvalidDistributionError(
            "`a` has an all-zero spectrum (the zero matrix), so its normalised spectrum is undefined; "
            "drop zero matrices before calling"
        )
    w = s**t
    return _finish(to_base(_shannon_of_weights(w), b), a)


def von_neumann_entropy(rho, *, normalize: bool = True, base=None):
    r"""Von Neumann entropy ``S(ρ) = -tr(ρ log ρ)`` of a positive semidefinite matrix (normalised by its trace).

    Parameters
    ----------
    rho : array_like or torch.Tensor, shape (..., n, n)
        Symmetric positive semidefinite matrix (a covariance, Gram or density matrix), or a stack of them.
    normalize : bool, default True
        Divide ``rho`` by its trace first (so any PSD matrix, e.g. a covariance, is accepted). With False the trace
        must already be 1 (within 1e-6 in float64, 1e-4 in float32).
    base : float, optional
        Logarithm base: None or e for nats, 2 for bits.

    Returns
    -------
    float, ndarray or torch.Tensor
        S in ``base`` units, shape ``rho.shape[:-2]``; 0 for rank one, log n for ρ ∝ I (its maximum).

    Raises
    ------
    ShapeMismatchError
        If ``rho`` is not square in its last two dimensions.
    InvalidDistributionError
        If ``rho`` is not symmetric, has a negative eigenvalue beyond round-off, has zero trace, or (with
        ``normalize=False``) a trace other than 1.
    InvalidSampleError
        If ``rho`` has NaN/inf entries.

    Notes
    -----
    .. math:: S(\rho) = -\operatorname{tr}(\rho \log \rho) = -\sum_i \lambda_i \log \lambda_i,
              \qquad \lambda_i = \operatorname{eig}_i(\rho) / \operatorname{tr}\rho .

    Eigenvalues come from ``eigvalsh`` in float64; negative round-off (|λ| below 100·n·ε·λ_max) is clipped to 0.
    The torch gradient of S with respect to ρ is −(log ρ̂ + I)/tr ρ projected, finite wherever ρ̂ has no
    exactly-zero eigenvalue; zero eigenvalues contribute a zero gradient (the 0·log 0 = 0 convention).

    References
    ----------
    .. [1] von Neumann, J. (1932). Mathematische Grundlagen der Quantenmechanik. Springer.

    Examples
    --------
    The maximally mixed state on two levels carries one bit:

    >>> import numpy as np
    >>> from infokit.measures import von_neumann_entropy
    >>> round(von_neumann_entropy(np.eye(2), base=2), 12)
    1.0
    """
    b = check_base(base)
    if not isinstance(normalize, bool):
        raise InvalidParameterError(f"`normalize` must be True or False; got {normalize!r}")
    rho = _check_matrix(rho, "rho", square=True)
    _check_symmetric(rho, "rho")
    lam = _eigvalsh(rho)
    torch_in = is_torch(lam)
    lam_np = lam.detach().cpu().numpy() if torch_in else lam
    n = rho.shape[-1]
    top = np.max(np.abs(lam_np), axis=-1, keepdims=True)
    tol = 100 * n * np.finfo(np.float64).eps * top
    if np.any(lam_np < -np.maximum(tol, 1e-300)):
        worst = float(np.min(lam_np))
        raise InvalidDistributionError(
            f"`rho` must be positive semidefinite; got an eigenvalue {worst:.3g} (largest |eigenvalue| "
            f"{float(np.max(top)):.3g}); pass a covariance or Gram matrix (e.g. Z.T @ Z), not a general symmetric one"
        )
    trace = lam.sum(dim=-1, keepdim=True) if torch_in else lam.sum(axis=-1, keepdims=True)
    trace_np = trace.detach().cpu().numpy() if torch_in else trace
    if np.any(trace_np <= 0):
        raise InvalidDistributionError("`rho` has zero trace (the zero matrix); its normalised spectrum is undefined")
    if not normalize:
        atol = 1e-6 if (not torch_in or rho.dtype.itemsize >= 8) else 1e-4
        if np.any(np.abs(trace_np - 1) > atol):
            worst = float(trace_np.ravel()[np.argmax(np.abs(trace_np - 1).ravel())])
            raise InvalidDistributionError(
                f"`rho` must have trace 1 when normalize=False (got {worst:.6g}); pass normalize=True to divide by it"
            )
    lam = lam.clamp_min(0) if torch_in else np.clip(lam, 0, None)
    return _finish(to_base(_shannon_of_weights(lam), b), rho)


def nuclear_norm(a):
    r"""Nuclear (trace) norm ``‖A‖_* = Σ_i σ_i(A)``, the sum of the singular values.

    Parameters
    ----------
    a : array_like or torch.Tensor, shape (..., m, n)
        A matrix or a stack of matrices.

    Returns
    -------
    float, ndarray or torch.Tensor
        Shape ``a.shape[:-2]``. Differentiable in torch (gradient U Vᵀ of the thin SVD; where singular values
        vanish this is one subgradient).

    Notes
    -----
    .. math:: \|A\|_* = \sum_{i=1}^{\min(m,n)} \sigma_i(A) \;\le\; \sqrt{\min(m, n)}\, \|A\|_F .

    References
    ----------
    .. [1] Golub, G. H., & Van Loan, C. F. (2013). Matrix Computations, 4th ed. Johns Hopkins University Press.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.measures import nuclear_norm
    >>> nuclear_norm(np.diag([3.0, -4.0]))
    7.0
    """
    a = _check_matrix(a, "a")
    s = _svdvals(a)
    return _finish(s.sum(dim=-1) if is_torch(s) else s.sum(axis=-1), a)


def condition_number(a, *, rtol: float | None = None):
    r"""Spectral condition number ``κ(A) = σ_max(A) / σ_min(A)`` (∞ for a rank-deficient matrix).

    Parameters
    ----------
    a : array_like or torch.Tensor, shape (..., m, n)
        A matrix or a stack of matrices; rectangular matrices use their min(m, n) singular values.
    rtol : float, optional
        σ_min ≤ rtol·σ_max counts as zero and gives κ = ∞. None (default) uses max(m, n)·ε of the input's
        dtype (numpy's ``matrix_rank`` threshold), so numerically rank-deficient matrices report ∞ rather
        than a round-off ratio near 1/ε; pass 0 for the raw ratio.

    Returns
    -------
    float, ndarray or torch.Tensor
        κ ≥ 1, shape ``a.shape[:-2]``; ∞ for rank-deficient (and zero) matrices.

    Notes
    -----
    κ is invariant to scaling (κ(cA) = κ(A)), to orthogonal transforms (κ(UAV) = κ(A)) and to inversion
    (κ(A⁻¹) = κ(A)) [1]_.

    .. math:: \kappa(A) = \sigma_{\max}(A) / \sigma_{\min}(A).

    References
    ----------
    .. [1] Golub, G. H., & Van Loan, C. F. (2013). Matrix Computations, 4th ed., §2.6. Johns Hopkins University Press.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.measures import condition_number
    >>> condition_number(np.diag([2.0, -0.5]))
    4.0
    """
    r = _check_rtol(rtol)
    a = _check_matrix(a, "a")
    r = _default_rtol(a) if r is None else r
    s = _svdvals(a)
    if is_torch(s):
        torch = _torch()
        smax, smin = s[..., 0], s[..., -1]
        singular = smin <= r * smax
        safe = torch.where(singular, torch.ones_like(smin), smin)
        kappa = torch.where(singular, torch.full_like(smax, math.inf), smax / safe)
        return _finish(kappa, a)
    smax, smin = s[..., 0], s[..., -1]
    singular = smin <= r * smax
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(singular, np.inf, smax / np.where(singular, 1.0, smin))
    return _finish(kappa, a)


def log_volume(a):
    r"""Log-volume ``Σ_i log σ_i(A)`` (= log|det A| for a square matrix; −∞ if a singular value is 0).

    Parameters
    ----------
    a : array_like or torch.Tensor, shape (..., m, n)
        A matrix or a stack of matrices; rectangular matrices sum over their min(m, n) singular values
        (½ log det(A Aᵀ) for m ≤ n: the log-volume of the image of the unit cube).

    Returns
    -------
    float, ndarray or torch.Tensor
        Shape ``a.shape[:-2]`` (nats: natural logarithm).

    Notes
    -----
    .. math:: \log\operatorname{vol}(A) = \sum_{i=1}^{\min(m,n)} \log \sigma_i(A), \qquad
              n\log\sigma_{\min} \le \log\operatorname{vol}(A) \le n \log\sigma_{\max}.

    Computed from singular values rather than ``det`` so that it neither overflows nor underflows for large n.
    The differential entropy of y = Ax with x ~ N(μ, s²I) is (m/2) log(2πe s²) + log vol(A) (m ≤ n); see
    :func:`infokit.methods.representations.kappatune.gaussian_output_entropy`.

    References
    ----------
    .. [1] Golub, G. H., & Van Loan, C. F. (2013). Matrix Computations, 4th ed. Johns Hopkins University Press.

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.measures import log_volume
    >>> round(log_volume(np.diag([np.e, np.e ** 2])), 12)
    3.0
    """
    a = _check_matrix(a, "a")
    s = _svdvals(a)
    if is_torch(s):
        return _finish(_torch().log(s).sum(dim=-1), a)
    with np.errstate(divide="ignore"):
        return _finish(np.log(s).sum(axis=-1), a)
