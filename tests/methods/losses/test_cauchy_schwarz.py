"""Torch Cauchy–Schwarz losses: agreement with the numpy estimators, closed forms, gradients, errors."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from hypothesis import given, strategies as st  # noqa: E402

from infokit.estimators import kernel as K  # noqa: E402
from infokit.exceptions import (  # noqa: E402
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)
from infokit.methods.losses.cauchy_schwarz import (  # noqa: E402
    cs_conditional_divergence_loss,
    cs_divergence_loss,
    cs_qmi_loss,
)


def _data(seed, n=40, dx=3, dy=2):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, dx, generator=g, dtype=torch.float64)
    y = x[:, :dy] + 0.5 * torch.randn(n, dy, generator=g, dtype=torch.float64)
    return x, y


# ---------------------------------------------------------------------------------------------- oracle: numpy
@pytest.mark.parametrize("sigma", [None, 0.7, 2.5])
def test_cs_divergence_loss_equals_numpy_estimator(sigma):
    x, y = _data(0)
    x2 = x[:25] + 0.3  # different sizes and a shift
    got = float(cs_divergence_loss(x, x2, sigma=sigma))
    want = K.cs_divergence_samples(x.numpy(), x2.numpy(), sigma=sigma)
    # same formula in float64; the numpy version streams row blocks, torch uses one logsumexp: round-off only
    assert got == pytest.approx(want, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("sigma", [None, 1.0, (0.5, 2.0)])
@pytest.mark.parametrize("normalized", [False, True])
def test_cs_qmi_loss_equals_numpy_estimator(sigma, normalized):
    x, y = _data(1)
    got = float(cs_qmi_loss(x, y, sigma=sigma, normalized=normalized))
    fn = K.cs_qmi_normalized if normalized else K.cs_qmi
    want = fn(x.numpy(), y.numpy(), sigma=sigma)
    assert got == pytest.approx(want, rel=1e-10, abs=1e-12)  # round-off only (float64, same formula)


@pytest.mark.parametrize("denominator", ["paper", "sum_sq"])
@pytest.mark.parametrize("sigma", [None, 1.0, (0.8, 0.4)])
def test_cs_conditional_divergence_loss_equals_numpy_estimator(denominator, sigma):
    x, y = _data(2, dy=1)
    y_hat = 0.8 * y + 0.1
    got = float(cs_conditional_divergence_loss(x, y, y_hat, sigma=sigma, denominator=denominator))
    want = K.cs_conditional_divergence(x.numpy(), y.numpy(), y_hat.numpy(), sigma=sigma, denominator=denominator)
    assert got == pytest.approx(want, rel=1e-10, abs=1e-12)  # round-off only


def test_cs_losses_match_a_brute_force_of_the_paper_formulas():
    # direct transcription of the formulas with explicit Gram matrices (sigma = 1), independent of infokit
    x, y = _data(3, n=12, dx=2, dy=1)
    y_hat = y + 0.2
    xn, yn, hn = x.numpy(), y.numpy(), y_hat.numpy()

    def gram(a, b):
        return np.exp(-((a[:, None, :] - b[None, :, :]) ** 2).sum(-1) / 2.0)

    kx, ky = gram(xn, xn), gram(yn, yn)
    n = len(xn)
    qmi = (np.log((kx * ky).sum() / n**2) + np.log(kx.sum() * ky.sum() / n**4)
           - 2 * np.log(kx.sum(1) @ ky.sum(1) / n**3))
    assert float(cs_qmi_loss(x, y, sigma=1.0)) == pytest.approx(qmi, rel=1e-12)
    l1, l2, l21 = ky, gram(hn, hn), gram(hn, yn)
    d = kx.sum(1) ** 2  # paper denominator (sum_i K_ji)^2
    cond = (np.log(((kx * l1).sum(1) / d).sum()) + np.log(((kx * l2).sum(1) / d).sum())
            - 2 * np.log(((kx * l21).sum(1) / d).sum()))
    assert float(cs_conditional_divergence_loss(x, y, y_hat, sigma=1.0)) == pytest.approx(cond, rel=1e-10)
    z = hn + xn[:, :1]  # a second 1-column sample, paired with y only through the shape
    div = np.log(gram(yn, yn).mean()) + np.log(gram(z, z).mean()) - 2 * np.log(gram(yn, z).mean())
    assert float(cs_divergence_loss(y, torch.from_numpy(z), sigma=1.0)) == pytest.approx(div, rel=1e-10)


# ---------------------------------------------------------------------------------------------- closed forms
def test_cs_divergence_of_identical_samples_is_zero():
    x, _ = _data(4)
    # all three log-mean terms are the same number: exactly 0 up to round-off
    assert abs(float(cs_divergence_loss(x, x.clone(), sigma=1.3))) < 1e-12


def test_cs_divergence_of_two_gaussians_matches_the_kernel_closed_form():
    # X ~ N(0,1), Y ~ N(mu,1), Gaussian kernel of width s: X - X' ~ N(0, 2) so
    # E k(X - X') = s / sqrt(s^2 + 2); X - Y ~ N(-mu, 2) so E k(X - Y) = s / sqrt(s^2 + 2) exp(-mu^2 / (2(s^2 + 2))).
    # D = log E k(XX') + log E k(YY') - 2 log E k(XY) = mu^2 / (s^2 + 2).
    g = torch.Generator().manual_seed(5)
    mu, s, n = 1.0, 1.0, 2000
    x = torch.randn(n, 1, generator=g, dtype=torch.float64)
    y = mu + torch.randn(n, 1, generator=g, dtype=torch.float64)
    got = float(cs_divergence_loss(x, y, sigma=s))
    # sampling sd 0.023 at n = 2000 (30 seeds, measured; the V-statistic bias O(1/n) is below 0.005): 3 sd
    assert got == pytest.approx(mu**2 / (s**2 + 2), abs=0.07)


def test_cs_qmi_limits_of_the_bandwidth():
    x, _ = _data(6, n=64, dx=2)
    # sigma -> 0, distinct points: K = Q = I, so log(N/N^2) + log(N^2/N^4) - 2 log(N/N^3) = log N
    assert float(cs_qmi_loss(x, x.clone(), sigma=1e-4)) == pytest.approx(math.log(64), rel=1e-9)
    # sigma -> infinity: K = Q = 11^T, every term log 1 after normalisation: 0 (round-off of 1 - 1e-16 sums)
    assert abs(float(cs_qmi_loss(x, x.clone(), sigma=1e6))) < 1e-9
    # normalised self-information is exactly 1
    assert float(cs_qmi_loss(x, x.clone(), sigma=1.0, normalized=True)) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("denominator", ["paper", "sum_sq"])
def test_cs_conditional_divergence_of_a_perfect_prediction_is_zero(denominator):
    x, y = _data(7, dy=1)
    # y_hat = y makes L1 = L2 = L21, so the three logs cancel exactly
    assert abs(float(cs_conditional_divergence_loss(x, y, y.clone(), sigma=1.0, denominator=denominator))) < 1e-12


# ---------------------------------------------------------------------------------------------- properties
@given(seed=st.integers(0, 10_000), shift=st.floats(-3, 3), sigma=st.floats(0.2, 5.0))
def test_cs_divergence_is_nonnegative_and_symmetric(seed, shift, sigma):
    x, _ = _data(seed, n=15, dx=2)
    g = torch.Generator().manual_seed(seed + 1)
    y = torch.randn(11, 2, generator=g, dtype=torch.float64) + shift
    d_xy = float(cs_divergence_loss(x, y, sigma=sigma))
    d_yx = float(cs_divergence_loss(y, x, sigma=sigma))
    assert d_xy >= -1e-12  # -2 log cos of mean embeddings (Cauchy–Schwarz)
    assert d_xy == pytest.approx(d_yx, rel=1e-9, abs=1e-12)


@given(seed=st.integers(0, 10_000), sigma=st.floats(0.2, 5.0))
def test_cs_qmi_is_nonnegative_and_symmetric(seed, sigma):
    x, y = _data(seed, n=15)
    a = float(cs_qmi_loss(x, y, sigma=sigma))
    b = float(cs_qmi_loss(y, x, sigma=sigma))
    assert a >= -1e-12  # it is a CS divergence between the joint and product embeddings
    assert a == pytest.approx(b, rel=1e-9, abs=1e-12)


def test_losses_do_not_modify_their_inputs():
    x, y = _data(8, dy=1)
    xs, ys = x.clone(), y.clone()
    cs_divergence_loss(x, y[:, :1].repeat(1, 3))
    cs_qmi_loss(x, y, normalized=True)
    cs_conditional_divergence_loss(x, y, y + 1)
    assert torch.equal(x, xs) and torch.equal(y, ys)


def test_float32_inputs_give_float32_losses_close_to_float64():
    x, y = _data(9)
    v32 = cs_qmi_loss(x.float(), y.float(), sigma=1.0)
    assert v32.dtype == torch.float32
    # float32 round-off in sums of 1600 terms: relative 1e-4 is ~100 ulps
    assert float(v32) == pytest.approx(float(cs_qmi_loss(x, y, sigma=1.0)), rel=1e-4)


# ---------------------------------------------------------------------------------------------- gradients
def test_gradcheck_of_all_three_losses():
    g = torch.Generator().manual_seed(10)
    x = torch.randn(6, 2, generator=g, dtype=torch.float64, requires_grad=True)
    y = torch.randn(6, 1, generator=g, dtype=torch.float64, requires_grad=True)
    y_hat = torch.randn(6, 1, generator=g, dtype=torch.float64, requires_grad=True)
    z = torch.randn(5, 2, generator=g, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, b: cs_divergence_loss(a, b, sigma=0.9), (x, z))
    assert torch.autograd.gradcheck(lambda a, b: cs_qmi_loss(a, b, sigma=(0.9, 1.1)), (x, y))
    assert torch.autograd.gradcheck(lambda a, b: cs_qmi_loss(a, b, sigma=1.0, normalized=True), (x, y))
    for den in ("paper", "sum_sq"):
        assert torch.autograd.gradcheck(
            lambda a, b, c: cs_conditional_divergence_loss(a, b, c, sigma=1.0, denominator=den), (x, y, y_hat))


def test_learnable_bandwidth_receives_a_gradient():
    x, y = _data(11, n=10)
    s = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda sig: cs_qmi_loss(x, y, sigma=sig), (s,))
    cs_qmi_loss(x, y, sigma=s).backward()
    assert s.grad is not None and float(s.grad) != 0.0


def test_minimising_the_cs_divergence_moves_a_batch_towards_the_target():
    g = torch.Generator().manual_seed(12)
    target = torch.randn(32, 2, generator=g) + torch.tensor([3.0, -2.0])
    x = torch.randn(32, 2, generator=g).requires_grad_(True)
    opt = torch.optim.Adam([x], lr=0.1)
    with torch.no_grad():
        start = float(cs_divergence_loss(x, target, sigma=1.0))
        gap0 = float((x.mean(0) - target.mean(0)).norm())
    for _ in range(100):
        opt.zero_grad()
        loss = cs_divergence_loss(x, target, sigma=1.0)
        loss.backward()
        opt.step()
    with torch.no_grad():
        end = float(cs_divergence_loss(x, target, sigma=1.0))
        gap = float((x.mean(0) - target.mean(0)).norm())
    # start ~ |shift|^2 / (s^2 + 2) ~ 4.3 nats; measured end ~0.03. The mean gap only halves: points that
    # start outside the kernel's reach get no gradient (the CS divergence ignores a spread-out minority)
    assert start > 3.0 and end < 0.1 * start
    assert gap < 0.75 * gap0


# ---------------------------------------------------------------------------------------------- errors
def test_errors_name_the_argument():
    x, y = _data(13, dy=1)
    with pytest.raises(InvalidInputTypeError, match="`x` must be a torch tensor"):
        cs_qmi_loss(x.numpy(), y)
    with pytest.raises(InvalidInputTypeError, match="`y` must be a floating-point tensor"):
        cs_qmi_loss(x, torch.ones(40, 1, dtype=torch.int64))
    with pytest.raises(ShapeMismatchError, match=r"`x` must have shape \(n,\) or \(n, d\)"):
        cs_qmi_loss(torch.zeros(4, 2, 2), torch.zeros(4, 1))
    with pytest.raises(ShapeMismatchError, match="same number of rows"):
        cs_qmi_loss(x, y[:10])
    with pytest.raises(ShapeMismatchError, match="same number of columns"):
        cs_divergence_loss(x, y)
    with pytest.raises(InvalidSampleError, match="NaN or inf"):
        cs_qmi_loss(x, torch.full((40, 1), float("nan"), dtype=torch.float64))
    with pytest.raises(InvalidParameterError, match="`sigma` must be a finite number > 0"):
        cs_qmi_loss(x, y, sigma=0.0)
    with pytest.raises(InvalidParameterError, match="pair"):
        cs_qmi_loss(x, y, sigma=(1.0, 2.0, 3.0))
    with pytest.raises(InvalidParameterError, match="`denominator` must be one of"):
        cs_conditional_divergence_loss(x, y, y, denominator="code")
    with pytest.raises(ShapeMismatchError, match="`y` and `y_hat` must have the same number of columns"):
        cs_conditional_divergence_loss(x, y, torch.zeros(40, 2, dtype=torch.float64))
    with pytest.raises(InvalidParameterError, match="`normalized` must be True or False"):
        cs_qmi_loss(x, y, normalized="yes")


def test_docstring_examples_run():
    import doctest
    import importlib

    module = importlib.import_module("infokit.methods.losses.cauchy_schwarz")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_losses_on_cuda_match_cpu():
    x, y = _data(14, dy=1)
    cpu = float(cs_conditional_divergence_loss(x, y, y + 0.1, sigma=1.0))
    dev = cs_conditional_divergence_loss(x.cuda(), y.cuda(), (y + 0.1).cuda(), sigma=1.0)
    assert dev.device.type == "cuda"
    assert float(dev) == pytest.approx(cpu, rel=1e-9)  # float64 on both; reduction order differs
