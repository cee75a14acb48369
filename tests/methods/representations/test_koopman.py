"""Koopman information terms: InfoNCE and von Neumann closed forms, a brute-force loop oracle, the sign flag,
the ridge Koopman fit, gradients and messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from infokit.exceptions import InvalidParameterError, ShapeMismatchError  # noqa: E402
from infokit.methods.representations.koopman import (  # noqa: E402
    KoopmanInformationLoss,
    koopman_information_loss,
    koopman_operator,
    latent_von_neumann_entropy,
    temporal_infonce_loss,
)


def _loop_infonce(z, k, tau):
    # the reference's per-anchor loop, in numpy
    out = []
    for seq in z:
        zn = seq / np.linalg.norm(seq, axis=1, keepdims=True)
        s = zn @ zn.T / tau
        t = len(seq)
        for n in range(k, t - k):
            pos = [m for m in range(t) if 1 <= abs(m - n) <= k]
            allm = [m for m in range(t) if m != n]
            out.append(-math.log(np.exp(s[n, pos]).sum() / np.exp(s[n, allm]).sum()))
    return float(np.mean(out))


def test_infonce_with_equal_similarities_is_log_ratio():
    # identical latents: every cosine is 1, so each anchor gives -log(2k / (T - 1))
    z = torch.ones(3, 12, 4, dtype=torch.float64)
    assert float(temporal_infonce_loss(z, k=3)) == pytest.approx(-math.log(6 / 11), abs=1e-12)


def test_infonce_small_temperature_limit_on_separated_latents():
    # T = 3, k = 1: the only anchor's positives are all other steps -> the loss is exactly 0 for any tau
    z = torch.tensor([[[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]], dtype=torch.float64)
    assert float(temporal_infonce_loss(z, k=1, temperature=0.3)) == pytest.approx(0.0, abs=1e-12)
    # z = [e0, e0, e0, e1, e1], k = 1, anchors n = 1, 2, 3 (cos = 1 on equal vectors, 0 across):
    #   n = 1: positives {0, 2} cos 1, negatives {3, 4} cos 0          -> -log(2/(2 + 2e^{-1/tau})) -> 0
    #   n = 2: positives {1: cos 1, 3: cos 0}, negatives {0: 1, 4: 0}   -> -log(1/2) = log 2 for every tau
    #   n = 3: positives {2: 0, 4: 1}, negatives {0: 0, 1: 0}          -> -log((1+e^{1/tau})/(3+e^{1/tau})) -> 0
    # mean -> log(2)/3; at tau = 0.01 the e^{-100} corrections are far below 1e-12
    e0, e1 = [1.0, 0.0], [0.0, 1.0]
    z = torch.tensor([[e0, e0, e0, e1, e1]], dtype=torch.float64)
    assert float(temporal_infonce_loss(z, k=1, temperature=0.01)) == pytest.approx(math.log(2) / 3, abs=1e-12)


def test_infonce_equals_loop_oracle_and_gradcheck():
    z = np.random.default_rng(0).standard_normal((2, 10, 5))
    for k, tau in [(1, 0.5), (3, 0.1), (4, 1.0)]:
        assert float(temporal_infonce_loss(torch.tensor(z), k=k, temperature=tau)) == pytest.approx(
            _loop_infonce(z, k, tau), abs=1e-10)  # same formula, different summation order
    zt = torch.tensor(z, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: temporal_infonce_loss(x, k=2, temperature=0.5), (zt,), eps=1e-6,
                                    atol=1e-6)


def test_von_neumann_entropy_isotropic_collapsed_and_rank_r():
    rng = np.random.default_rng(1)
    h = 6
    # isotropic: an orthogonal design (rows of a Hadamard-like +-1 matrix, centred) gives cov = c I exactly
    q, _ = np.linalg.qr(rng.standard_normal((40, h)))
    q = q - q.mean(0)  # centring keeps an orthogonal design orthogonal only approximately: re-orthogonalise
    q, _ = np.linalg.qr(q - q.mean(0))
    z = torch.tensor(np.vstack([q, -q]))  # mean zero, cov = 2 q^T q / (N - 1) = c I
    assert float(latent_von_neumann_entropy(z, eps=0.0)) == pytest.approx(math.log(h), abs=1e-10)
    # collapsed onto one direction: rank 1 -> 0 (eps = 1e-8 adds at most ~h * 1e-8 * log(1e8) nats)
    line = torch.tensor(rng.standard_normal((50, 1)) * np.ones((1, h)))
    assert float(latent_von_neumann_entropy(line)) == pytest.approx(0.0, abs=1e-5)
    # r equal directions: log r
    r = 3
    zr = torch.tensor(np.vstack([q[:, :r], -q[:, :r]]) @ np.eye(r, h))
    assert float(latent_von_neumann_entropy(zr, eps=0.0)) == pytest.approx(math.log(r), abs=1e-10)


def test_von_neumann_entropy_invariant_to_scale_and_rotation():
    z = torch.randn(4, 16, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    q, _ = torch.linalg.qr(torch.randn(5, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(3)))
    s = float(latent_von_neumann_entropy(z, eps=0.0))
    assert float(latent_von_neumann_entropy(3 * z @ q, eps=0.0)) == pytest.approx(s, abs=1e-10)


def test_sign_flag_and_combination():
    z = torch.randn(2, 9, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(4), requires_grad=True)
    mi = temporal_infonce_loss(z, k=2)
    s = latent_von_neumann_entropy(z)
    paper = koopman_information_loss(z, alpha=2.0, beta=0.1, k=2)
    code = koopman_information_loss(z, alpha=2.0, beta=0.1, k=2, reference_sign=True)
    assert float(paper.detach()) == pytest.approx(float((2 * mi - 0.1 * s).detach()), abs=1e-12)
    assert float(code.detach()) == pytest.approx(float((2 * mi + 0.1 * s).detach()), abs=1e-12)
    # the paper's sign: a gradient step on the loss raises the entropy (beta only)
    ent_only = KoopmanInformationLoss(alpha=0.0, beta=1.0)
    g, = torch.autograd.grad(ent_only(z), z)
    with torch.no_grad():
        assert float(latent_von_neumann_entropy(z - 1e-3 * g)) > float(s.detach())
    assert torch.autograd.gradcheck(lambda x: koopman_information_loss(x, k=2), (z,), eps=1e-6, atol=1e-6)


def test_koopman_operator_recovers_linear_dynamics_with_ridge_shrinkage():
    rng = np.random.default_rng(5)
    a = np.array([[0.9, -0.3], [0.3, 0.9]])
    z0 = rng.standard_normal((3, 2))
    traj = [z0]
    for _ in range(7):
        traj.append(traj[-1] @ a)
    z = torch.tensor(np.stack(traj, axis=1))  # (3, 8, 2), z_{t+1} = z_t A
    # ridge -> 0: C = A (to the conditioning of Z^T Z)
    np.testing.assert_allclose(koopman_operator(z, ridge=0.0).numpy(), a, atol=1e-10)
    # ridge 0.1: C = mean_b (Z_b^T Z_b + 0.1 I)^-1 Z_b^T Z_b A, in closed form
    x = z[:, :-1].numpy()
    want = np.mean([np.linalg.solve(xb.T @ xb + 0.1 * np.eye(2), xb.T @ xb @ a) for xb in x], axis=0)
    np.testing.assert_allclose(koopman_operator(z).numpy(), want, atol=1e-12)
    zr = z.clone().requires_grad_(True)
    assert not koopman_operator(zr).requires_grad
    assert koopman_operator(zr, detach=False).requires_grad


def test_errors():
    with pytest.raises(ShapeMismatchError, match=r"needs T >= 2k\+1 = 7"):
        temporal_infonce_loss(torch.randn(1, 5, 3), k=3)
    with pytest.raises(ShapeMismatchError, match=r"shape \(B, T, H\)"):
        temporal_infonce_loss(torch.randn(5, 3))
    with pytest.raises(InvalidParameterError, match="`temperature` must be > 0"):
        temporal_infonce_loss(torch.randn(1, 9, 3), temperature=0.0)
    with pytest.raises(InvalidParameterError, match="`reference_sign` must be True or False"):
        koopman_information_loss(torch.randn(1, 9, 3), reference_sign="yes")
    with pytest.raises(ShapeMismatchError, match="at least 2 latent vectors"):
        latent_von_neumann_entropy(torch.randn(1, 3))


def test_latent_entropy_equals_numpy_reference():
    # the reference's recipe in numpy: centre, cov/(N-1) + 1e-8 I, normalise by the trace, -sum l log l
    z = np.random.default_rng(6).standard_normal((3, 10, 4)) @ np.diag([3.0, 1.0, 0.3, 0.1])
    flat = z.reshape(-1, 4)
    zc = flat - flat.mean(0)
    cov = zc.T @ zc / (len(flat) - 1) + 1e-8 * np.eye(4)
    lam = np.linalg.eigvalsh(cov / np.trace(cov))
    want = -(lam * np.log(lam)).sum()
    assert float(latent_von_neumann_entropy(torch.tensor(z))) == pytest.approx(want, abs=1e-12)
