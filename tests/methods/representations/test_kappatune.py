"""KappaTune: per-tensor condition numbers, the ordered selection, freezing, and the bounds of the paper."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from infokit.exceptions import InvalidInputTypeError, InvalidParameterError, ShapeMismatchError  # noqa: E402
from infokit.methods.representations.kappatune import (  # noqa: E402
    gaussian_output_entropy,
    kappatune_freeze,
    kappatune_select,
    log_volume_bounds,
    weight_condition_numbers,
)


def _model_with_known_kappas():
    # three linear layers whose weights are diag(d) with kappa = max|d|/min|d| = 4, 1, 9, plus a conv whose
    # (out, in*k*k) reshape is [[1, 0, 0, 0], [0, 2, 0, 0]] (kappa 2)
    m = torch.nn.Sequential(
        torch.nn.Linear(3, 3), torch.nn.Linear(3, 3), torch.nn.Linear(3, 3), torch.nn.Conv1d(2, 2, 2)
    )
    with torch.no_grad():
        m[0].weight.copy_(torch.diag(torch.tensor([4.0, 1.0, 2.0])))
        m[1].weight.copy_(torch.diag(torch.tensor([-3.0, 3.0, 3.0])))
        m[2].weight.copy_(torch.diag(torch.tensor([9.0, 1.0, 3.0])))
        w = torch.zeros(2, 2, 2)
        w[0, 0, 0], w[1, 0, 1] = 1.0, 2.0
        m[3].weight.copy_(w)
    return m


def test_condition_numbers_of_known_weights_and_conv_reshape():
    k = weight_condition_numbers(_model_with_known_kappas())
    assert list(k) == ["0.weight", "1.weight", "2.weight", "3.weight"]  # biases (1-D) are skipped
    np.testing.assert_allclose([k["0.weight"], k["1.weight"], k["2.weight"], k["3.weight"]], [4, 1, 9, 2],
                               rtol=1e-12)  # float64 SVD of diagonal matrices: exact up to ulps


def test_select_orders_by_kappa_not_by_set_order():
    m = _model_with_known_kappas()
    assert kappatune_select(m, 2) == ["1.weight", "3.weight"]  # kappas 1 and 2, the two lowest
    assert kappatune_select(m, 10) == ["1.weight", "3.weight", "0.weight", "2.weight"]
    assert kappatune_select(m, 3, granularity="module") == ["1", "3", "0"]


def test_select_breaks_ties_by_name_and_respects_max_dim():
    m = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Linear(4, 4), torch.nn.Linear(4, 40))
    with torch.no_grad():
        for layer in m:
            layer.weight.zero_()
        m[0].weight.copy_(torch.eye(4))
        m[1].weight.copy_(2 * torch.eye(4))  # same kappa = 1: the name decides
        m[2].weight.copy_(torch.eye(40)[:, :4])  # kappa 1 too, shape (40, 4)
    assert kappatune_select(m, 3) == ["0.weight", "1.weight", "2.weight"]
    assert kappatune_select(m, 3, max_dim=8) == ["0.weight", "1.weight"]  # 2.weight has a dimension 40 > 8
    cached = {"1.weight": 1.0, "0.weight": 1.0}
    assert kappatune_select(m, 1, condition_numbers=cached) == ["0.weight"]


def test_freeze_leaves_only_selected_trainable_and_does_not_touch_values():
    m = _model_with_known_kappas()
    before = {n: p.detach().clone() for n, p in m.named_parameters()}
    params = kappatune_freeze(m, ["1.weight", "3"], keep=("2.bias",))
    trainable = sorted(n for n, p in m.named_parameters() if p.requires_grad)
    assert trainable == ["1.weight", "2.bias", "3.bias", "3.weight"]
    assert len(params) == 4
    for n, p in m.named_parameters():
        assert torch.equal(p, before[n])


def test_log_volume_bounds_and_gaussian_entropy_identity():
    # h(Wx) for x ~ N(0, s^2 I) is 1/2 log det(2 pi e s^2 W W^T); the paper's identity writes it with singular values
    w = np.random.default_rng(0).standard_normal((6, 6))
    s = 0.7
    cov = s**2 * w @ w.T
    h_direct = 0.5 * np.linalg.slogdet(2 * math.pi * math.e * cov)[1]
    assert gaussian_output_entropy(w, noise_std=s) == pytest.approx(h_direct, abs=1e-10)
    assert gaussian_output_entropy(w, noise_std=s, base=2) == pytest.approx(h_direct / math.log(2), abs=1e-10)
    b = log_volume_bounds(w)
    assert b.lower - 1e-12 <= b.log_volume <= b.upper + 1e-12
    assert b.lower == pytest.approx(b.upper - 6 * math.log(b.condition_number), abs=1e-10)
    assert b.log_volume <= b.frobenius_upper + 1e-12  # AM-GM at fixed Frobenius norm
    # equality iff kappa = 1: an orthogonal matrix times 3
    q, _ = np.linalg.qr(np.random.default_rng(1).standard_normal((5, 5)))
    bq = log_volume_bounds(3 * q)
    assert bq.condition_number == pytest.approx(1.0, abs=1e-12)
    assert bq.log_volume == pytest.approx(bq.frobenius_upper, abs=1e-10)
    assert bq.log_volume == pytest.approx(5 * math.log(3), abs=1e-10)


def test_high_kappa_means_less_entropy_at_fixed_norm():
    # the paper's claim on an instance: same Frobenius norm (sqrt 2), kappa 1 vs kappa 7
    h1 = gaussian_output_entropy(np.diag([1.0, 1.0]))
    d = np.array([7.0, 1.0]) * math.sqrt(2 / 50)
    h7 = gaussian_output_entropy(np.diag(d))
    assert h7 < h1


def test_rectangular_and_degenerate_outputs():
    w = np.random.default_rng(2).standard_normal((2, 5))  # m <= n: y in R^2 has a density
    h = gaussian_output_entropy(w)
    assert h == pytest.approx(0.5 * np.linalg.slogdet(2 * math.pi * math.e * w @ w.T)[1], abs=1e-10)
    assert gaussian_output_entropy(w.T) == -math.inf  # m > n: y lives on a 2-d subspace of R^5


def test_errors():
    with pytest.raises(InvalidInputTypeError, match="`model` must be a torch.nn.Module"):
        weight_condition_numbers(object())
    with pytest.raises(InvalidParameterError, match="`budget` must be an integer >= 1"):
        kappatune_select(torch.nn.Linear(2, 2), 0)
    with pytest.raises(InvalidParameterError, match="`granularity` must be one of"):
        kappatune_select(torch.nn.Linear(2, 2), 1, granularity="layer")
    with pytest.raises(InvalidParameterError, match="names parameters the model does not have"):
        kappatune_select(torch.nn.Linear(2, 2), 1, condition_numbers={"nope": 1.0})
    with pytest.raises(InvalidParameterError, match="`selected` names no parameter or module"):
        kappatune_freeze(torch.nn.Linear(2, 2), ["nope"])
    with pytest.raises(InvalidInputTypeError, match="not a single string"):
        kappatune_freeze(torch.nn.Linear(2, 2), "weight")
    with pytest.raises(ShapeMismatchError, match="one matrix"):
        log_volume_bounds(np.ones((2, 2, 2)))
    with pytest.raises(InvalidParameterError, match="`noise_std` must be"):
        gaussian_output_entropy(np.eye(2), noise_std=0)
