"""MMCR loss: the notes' closed forms, a numpy reference, invariances, gradients, the momentum variant, messages."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from infokit.exceptions import InfokitWarning, InvalidParameterError, ShapeMismatchError  # noqa: E402
from infokit.methods.representations.mmcr import MMCRLoss, mmcr_centroids, mmcr_loss, momentum_update  # noqa: E402


def _numpy_mmcr(z, lam=0.0):
    # reference: normalise rows, centroid per image, minus nuclear norm (+ lam * mean local nuclear norm)
    zn = z / np.linalg.norm(z, axis=-1, keepdims=True)
    m = zn.mean(axis=1)
    loss = -np.linalg.svd(m, compute_uv=False).sum()
    if lam:
        loss += lam * np.mean([np.linalg.svd(v, compute_uv=False).sum() for v in zn])
    return loss


def test_orthonormal_identical_views_reach_minus_b():
    # B = 32 <= C = 128: centroids = 32 orthonormal rows, every view equal -> ||M||_* = 32
    q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((128, 32)))
    z = torch.tensor(np.repeat(q.T[:, None, :], 4, axis=1))
    assert float(mmcr_loss(z)) == pytest.approx(-32.0, abs=1e-10)


def test_full_collapse_gives_minus_sqrt_b():
    # all centroids equal unit vectors: M = 1 c^T has one singular value sqrt(B) * 1
    z = torch.ones(32, 3, 128, dtype=torch.float64)
    assert float(mmcr_loss(z)) == pytest.approx(-math.sqrt(32), abs=1e-10)


def test_equals_numpy_reference_and_flat_layout():
    z = np.random.default_rng(1).standard_normal((8, 5, 16))
    for lam in (0.0, 0.3):
        assert float(mmcr_loss(torch.tensor(z), lam=lam)) == pytest.approx(_numpy_mmcr(z, lam), abs=1e-10)
    flat = torch.tensor(z.reshape(40, 16))  # "(B K) C": row b*K + k is view k of image b
    assert float(mmcr_loss(flat, n_views=5)) == pytest.approx(_numpy_mmcr(z), abs=1e-10)
    np.testing.assert_allclose(mmcr_centroids(flat, n_views=5).numpy(),
                               (z / np.linalg.norm(z, axis=-1, keepdims=True)).mean(1), atol=1e-12)


def test_bound_and_invariances():
    rng = np.random.default_rng(2)
    z = torch.tensor(rng.standard_normal((6, 4, 10)))
    val = -float(mmcr_loss(z))
    # ||M||_* <= sqrt(min(B, C)) ||M||_F <= sqrt(min(B, C) * B) since every centroid has norm <= 1
    m = mmcr_centroids(z)
    assert val <= math.sqrt(6) * float(torch.linalg.norm(m)) + 1e-12 <= math.sqrt(6 * 6) + 1e-12
    q, _ = np.linalg.qr(rng.standard_normal((10, 10)))
    assert -float(mmcr_loss(z @ torch.tensor(q))) == pytest.approx(val, abs=1e-10)  # right-orthogonal
    assert -float(mmcr_loss(z[torch.randperm(6)])) == pytest.approx(val, abs=1e-10)  # image permutation
    assert -float(mmcr_loss(z[:, torch.randperm(4)])) == pytest.approx(val, abs=1e-10)  # view permutation
    assert -float(mmcr_loss(3.0 * z)) == pytest.approx(val, abs=1e-10)  # rows are normalised


def test_gradcheck_float64():
    z = torch.randn(5, 3, 7, dtype=torch.float64, generator=torch.Generator().manual_seed(3), requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: mmcr_loss(x, lam=0.2), (z,), eps=1e-6, atol=1e-6)


def test_float32_input_keeps_dtype_and_matches_float64():
    z = torch.randn(16, 4, 32, generator=torch.Generator().manual_seed(4))
    out = mmcr_loss(z)
    assert out.dtype == torch.float32
    # float32 rounding of z (2^-24) perturbs a sum of 16 singular values O(1) by ~1e-6
    assert float(out) == pytest.approx(float(mmcr_loss(z.double())), abs=1e-5)


def test_momentum_variant_averages_centroids_and_blocks_its_gradient():
    g = torch.Generator().manual_seed(5)
    z = torch.randn(6, 2, 8, dtype=torch.float64, generator=g, requires_grad=True)
    zm = torch.randn(6, 2, 8, dtype=torch.float64, generator=g, requires_grad=True)
    loss = mmcr_loss(z, z_momentum=zm)
    m = 0.5 * (mmcr_centroids(z) + mmcr_centroids(zm))
    assert float(loss.detach()) == pytest.approx(-float(torch.linalg.svdvals(m.detach()).sum()), abs=1e-10)
    loss.backward()
    assert zm.grad is None and z.grad is not None
    with torch.no_grad():  # a momentum encoder equal to the online one changes nothing
        assert float(mmcr_loss(z, z_momentum=z.clone())) == pytest.approx(float(mmcr_loss(z)), abs=1e-12)


def test_momentum_update_is_an_ema():
    a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    wa, wb = a.weight.detach().clone(), b.weight.detach().clone()
    momentum_update(a, b, tau=0.9)
    torch.testing.assert_close(b.weight, 0.9 * wb + 0.1 * wa)
    torch.testing.assert_close(a.weight, wa)  # online untouched


def test_module_warns_when_batch_exceeds_dim_and_errors():
    loss = MMCRLoss(n_views=2)
    with pytest.warns(InfokitWarning, match="exceeds the embedding dimension"):
        loss(torch.randn(20, 4))  # B = 10 > C = 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss(torch.randn(20, 4))  # warned once only
    with pytest.raises(InvalidParameterError, match="pass n_views=K"):
        mmcr_loss(torch.randn(6, 4))
    with pytest.raises(ShapeMismatchError, match="not a multiple of n_views=4"):
        mmcr_loss(torch.randn(6, 4), n_views=4)
    with pytest.raises(InvalidParameterError, match="`lam` must be >= 0"):
        mmcr_loss(torch.randn(2, 2, 4), lam=-1.0)
    with pytest.raises(ShapeMismatchError, match="`z_momentum` must have the shape"):
        mmcr_loss(torch.randn(2, 2, 4), z_momentum=torch.randn(3, 2, 4))
