"""CS-IB regression objective: composition of the two CS terms, gradients, a training sanity check, errors."""

import pytest

torch = pytest.importorskip("torch")

from infokit.estimators import kernel as K  # noqa: E402
from infokit.exceptions import InvalidParameterError  # noqa: E402
from infokit.methods.bottleneck.cs_ib import cs_ib_loss  # noqa: E402


def _batch(seed, n=30):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=g, dtype=torch.float64)
    y = x[:, :1] ** 2 + 0.1 * torch.randn(n, 1, generator=g, dtype=torch.float64)
    z = torch.tanh(x @ torch.randn(3, 4, generator=g, dtype=torch.float64))
    y_hat = y + 0.3 * torch.randn(n, 1, generator=g, dtype=torch.float64)
    return x, y, y_hat, z


@pytest.mark.parametrize("beta", [0.0, 0.01, 1.0])
@pytest.mark.parametrize("normalized", [False, True])
def test_cs_ib_loss_is_prediction_plus_beta_compression_of_the_numpy_estimators(beta, normalized):
    x, y, y_hat, z = _batch(0)
    total, pred, comp = cs_ib_loss(x, y, y_hat, z, beta=beta, normalized=normalized, return_terms=True)
    xn, yn, hn, zn = (t.numpy() for t in (x, y, y_hat, z))
    want_pred = K.cs_conditional_divergence(xn, yn, hn, sigma=1.0)  # paper denominator, sigma = 1
    want_comp = (K.cs_qmi_normalized if normalized else K.cs_qmi)(xn, zn, sigma=1.0)
    # float64 round-off only (the torch and numpy kernels evaluate the same sums)
    assert float(pred) == pytest.approx(want_pred, rel=1e-10, abs=1e-12)
    assert float(comp) == pytest.approx(want_comp, rel=1e-10, abs=1e-12)
    assert float(total) == pytest.approx(want_pred + beta * want_comp, rel=1e-10, abs=1e-12)
    assert float(cs_ib_loss(x, y, y_hat, z, beta=beta, normalized=normalized)) == float(total)


def test_cs_ib_options_reach_the_terms():
    x, y, y_hat, z = _batch(1)
    xn, yn, hn, zn = (t.numpy() for t in (x, y, y_hat, z))
    _, pred, comp = cs_ib_loss(x, y, y_hat, z, beta=0.1, sigma=(0.7, 0.5), compression_sigma=(2.0, 1.5),
                               denominator="sum_sq", return_terms=True)
    assert float(pred) == pytest.approx(K.cs_conditional_divergence(xn, yn, hn, sigma=(0.7, 0.5), denominator="sum_sq"),
                                        rel=1e-10)  # round-off only
    assert float(comp) == pytest.approx(K.cs_qmi(xn, zn, sigma=(2.0, 1.5)), rel=1e-10)  # round-off only


def test_perfect_prediction_and_constant_representation_cost_nothing():
    x, y, _, _ = _batch(2)
    # y_hat = y: conditional divergence 0; z constant: Q = 11^T, CS-QMI = 0 (log-sums cancel)
    assert abs(float(cs_ib_loss(x, y, y.clone(), torch.zeros(30, 2, dtype=torch.float64), beta=1.0))) < 1e-12


def test_gradcheck_through_prediction_and_representation():
    x, y, y_hat, z = _batch(3, n=6)
    y_hat = y_hat.clone().requires_grad_(True)
    z = z.clone().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda a, b: cs_ib_loss(x, y, a, b, beta=0.3), (y_hat, z))
    assert torch.autograd.gradcheck(lambda a, b: cs_ib_loss(x, y, a, b, beta=0.3, normalized=True), (y_hat, z))


def test_training_with_cs_ib_fits_and_beta_lowers_the_compression_term():
    # a small regressor on y = sin(2 x1) + noise; beta = 1 should give a representation with a lower
    # CS-QMI(X;Z) than beta = 0 after the same number of steps, while both fit better than the mean
    g = torch.Generator().manual_seed(4)
    x = torch.randn(64, 2, generator=g)
    y = torch.sin(2 * x[:, :1]) + 0.1 * torch.randn(64, 1, generator=g)
    results = {}
    for beta in (0.0, 1.0):
        torch.manual_seed(0)
        enc = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 4))
        dec = torch.nn.Sequential(torch.nn.Tanh(), torch.nn.Linear(4, 1))
        opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=0.02)
        for _ in range(100):
            z = enc(x)
            loss = cs_ib_loss(x, y, dec(z), z, beta=beta)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            z = enc(x)
            mse = float(((dec(z) - y) ** 2).mean())
            _, _, comp = cs_ib_loss(x, y, dec(z), z, beta=beta, return_terms=True)
        results[beta] = (mse, float(comp))
    var_y = float(y.var())
    # both learn: measured MSE 0.19 (beta 0) and 0.08 (beta 1) against Var(y) = 0.48
    assert results[0.0][0] < 0.6 * var_y and results[1.0][0] < 0.6 * var_y
    assert results[1.0][1] < 0.5 * results[0.0][1]  # the penalty compresses (measured 0.025 vs 0.75 nats)


def test_cs_ib_errors():
    x, y, y_hat, z = _batch(5)
    with pytest.raises(InvalidParameterError, match="`beta` must be a finite number >= 0"):
        cs_ib_loss(x, y, y_hat, z, beta=-0.1)
    with pytest.raises(InvalidParameterError, match="`beta` must be a finite number >= 0"):
        cs_ib_loss(x, y, y_hat, z, beta=float("nan"))
    with pytest.raises(InvalidParameterError, match="`compression_sigma` must be 'same'"):
        cs_ib_loss(x, y, y_hat, z, beta=0.1, compression_sigma="median")
    with pytest.raises(InvalidParameterError, match="`return_terms` must be True or False"):
        cs_ib_loss(x, y, y_hat, z, beta=0.1, return_terms=1)
    with pytest.raises(InvalidParameterError, match="`denominator` must be one of"):
        cs_ib_loss(x, y, y_hat, z, beta=0.1, denominator="code")


def test_docstring_examples_run():
    import doctest
    import importlib

    module = importlib.import_module("infokit.methods.bottleneck.cs_ib")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
