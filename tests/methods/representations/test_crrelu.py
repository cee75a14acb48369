"""CRReLU (EAFO, Sun et al. 2024): closed-form values, derivatives, the learnable epsilon and errors."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from hypothesis import given, strategies as st  # noqa: E402

from infokit.exceptions import InvalidInputTypeError, InvalidParameterError  # noqa: E402
from infokit.methods.representations.crrelu import CRReLU, crrelu  # noqa: E402


def np_crrelu(x, eps):
    """numpy reference: max(x, 0) + eps * x * exp(-x^2 / 2)."""
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(x, 0) + eps * x * np.exp(-(x**2) / 2)


def test_crrelu_equals_numpy_reference():
    x = torch.linspace(-6, 6, 1001, dtype=torch.float64)
    for eps in (0.01, -0.3, 2.0):
        np.testing.assert_allclose(crrelu(x, eps).numpy(), np_crrelu(x.numpy(), eps), rtol=1e-14, atol=1e-15)


def test_crrelu_zero_at_zero_and_relu_at_epsilon_zero():
    x = torch.linspace(-5, 5, 101, dtype=torch.float64)
    assert crrelu(torch.tensor(0.0), 0.7).item() == 0.0  # f(0) = 0 + eps * 0
    assert torch.equal(crrelu(x, 0.0), torch.relu(x))  # eps = 0 is ReLU exactly


def test_crrelu_minimum_on_negative_side_is_at_minus_one():
    # for x < 0, f = eps x e^{-x^2/2}; f' = eps (1 - x^2) e^{-x^2/2} = 0 at x = -1, f(-1) = -eps e^{-1/2}
    eps = 0.2
    x = torch.linspace(-4, 0, 40001, dtype=torch.float64)
    y = crrelu(x, eps)
    assert x[int(torch.argmin(y))].item() == pytest.approx(-1.0, abs=1e-4)  # grid step 1e-4
    assert y.min().item() == pytest.approx(-eps * math.exp(-0.5), abs=1e-12)


def test_crrelu_one_sided_slopes_at_zero():
    # f'(0+) = 1 + eps and f'(0-) = eps (finite differences, h = 1e-6: O(h^2) = 1e-12 error)
    eps, h = 0.3, 1e-6
    f = lambda v: crrelu(torch.tensor(v, dtype=torch.float64), eps).item()  # noqa: E731
    assert (f(h) - f(0.0)) / h == pytest.approx(1 + eps, abs=1e-6)
    assert (f(0.0) - f(-h)) / h == pytest.approx(eps, abs=1e-6)


@given(x=st.floats(-50, 50, allow_nan=False), eps=st.floats(-2, 2, allow_nan=False))
def test_crrelu_correction_is_odd_and_decays(x, eps):
    corr = lambda v: crrelu(torch.tensor(v, dtype=torch.float64), eps).item() - max(v, 0.0)  # noqa: E731
    assert corr(x) == pytest.approx(-corr(-x), abs=1e-12)
    if abs(x) > 12:
        assert abs(corr(x)) < 1e-28 * max(1.0, abs(eps))  # |x| e^{-72} < 1e-29


def test_crrelu_analytic_derivatives():
    eps = 0.4
    x = torch.tensor([-2.0, -0.5, 0.3, 1.7], dtype=torch.float64, requires_grad=True)
    e = torch.tensor(eps, dtype=torch.float64, requires_grad=True)
    crrelu(x, e).sum().backward()
    xd = x.detach()
    dx = (xd > 0).double() + eps * (1 - xd**2) * torch.exp(-(xd**2) / 2)
    de = (xd * torch.exp(-(xd**2) / 2)).sum()
    torch.testing.assert_close(x.grad, dx, rtol=1e-14, atol=1e-15)  # float64
    torch.testing.assert_close(e.grad, de, rtol=1e-14, atol=1e-15)


def test_crrelu_gradcheck_in_x_and_epsilon():
    g = torch.Generator().manual_seed(0)
    x = (torch.randn(12, generator=g, dtype=torch.float64) * 2).requires_grad_(True)
    x.data[x.data.abs() < 1e-3] += 0.1  # keep finite differences away from the kink at 0
    e = torch.tensor(0.05, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(crrelu, (x, e))


def test_module_initialisation_and_learnable_epsilon():
    act = CRReLU()
    assert isinstance(act.epsilon, torch.nn.Parameter) and act.epsilon.shape == ()
    assert act.epsilon.item() == pytest.approx(0.01)  # the paper's initialisation (float32 storage)
    assert [n for n, _ in act.named_parameters()] == ["epsilon"]
    fixed = CRReLU(0.2, learnable=False)
    assert list(fixed.parameters()) == [] and fixed.epsilon.item() == pytest.approx(0.2)
    assert "epsilon=0.01" in repr(act)


def test_module_epsilon_is_trained():
    # one SGD step on mean(f(x)) with x fixed moves eps by -lr * mean(x e^{-x^2/2})
    act = CRReLU(0.0)
    x = torch.tensor([-1.0, -0.5, 0.5, 2.0])
    opt = torch.optim.SGD(act.parameters(), lr=0.1)
    act(x).mean().backward()
    expected_grad = (x * torch.exp(-(x**2) / 2)).mean().item()
    assert act.epsilon.grad.item() == pytest.approx(expected_grad, abs=1e-7)  # float32
    opt.step()
    assert act.epsilon.item() == pytest.approx(-0.1 * expected_grad, abs=1e-7)


def test_module_follows_input_dtype_and_matches_functional():
    act = CRReLU(0.3)
    x = torch.linspace(-3, 3, 13, dtype=torch.float64)
    y = act(x)
    assert y.dtype == torch.float64
    torch.testing.assert_close(y, crrelu(x, 0.3), rtol=1e-7, atol=1e-8)  # eps stored in float32
    mlp = torch.nn.Sequential(torch.nn.Linear(4, 8), CRReLU(), torch.nn.Linear(8, 2))
    assert mlp(torch.zeros(3, 4)).shape == (3, 2)


def test_crrelu_does_not_mutate_input():
    x = torch.linspace(-2, 2, 9)
    x0 = x.clone()
    crrelu(x, 0.5)
    CRReLU()(x)
    assert torch.equal(x, x0)


def test_crrelu_errors():
    with pytest.raises(InvalidInputTypeError, match="`x` must be a floating-point torch.Tensor"):
        crrelu(torch.arange(3), 0.1)
    with pytest.raises(InvalidInputTypeError, match="`x` must be a floating-point"):
        crrelu([1.0, 2.0], 0.1)
    with pytest.raises(InvalidParameterError, match="`epsilon` must be finite"):
        CRReLU(float("nan"))
    with pytest.raises(InvalidParameterError, match="`epsilon` must be a real number"):
        CRReLU("0.1")
    with pytest.raises(InvalidParameterError, match="`epsilon` must be a scalar"):
        crrelu(torch.zeros(3), torch.zeros(2))


def test_docstring_examples_run():
    import doctest

    import infokit.methods.representations.crrelu as mod

    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0


@pytest.mark.gpu
def test_crrelu_module_on_cuda():
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    act = CRReLU(0.3).cuda()
    x = torch.linspace(-3, 3, 13, device="cuda")
    torch.testing.assert_close(act(x).cpu(), crrelu(x.cpu(), 0.3), rtol=1e-6, atol=1e-6)  # float32 kernels
