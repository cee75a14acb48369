"""Information plane via lossy compression: noise layer, compressors, and the callback against a by-hand run."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from infokit import estimate_mutual_information  # noqa: E402
from infokit.exceptions import (  # noqa: E402
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)
from infokit.methods.bottleneck.information_plane import (  # noqa: E402
    GaussianNoise,
    InformationPlaneCallback,
    LossyCompressor,
    compress,
    information_plane_coordinates,
)


def _blobs(n=300, d=6, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    x = rng.normal(size=(n, d)) + 2.0 * np.eye(3, d)[y]
    return torch.tensor(x, dtype=torch.float32), y


def _net(d=6, seed=0, noise=0.0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Sequential(torch.nn.Linear(d, 8), torch.nn.Tanh(), GaussianNoise(noise)),
        torch.nn.Sequential(torch.nn.Linear(8, 5), torch.nn.Tanh(), GaussianNoise(noise)),
        torch.nn.Linear(5, 3),
    )


# ---------------------------------------------------------------------------------------------- noise layer
def test_gaussian_noise_is_active_in_eval_mode_with_the_requested_scale():
    layer = GaussianNoise(0.5).eval()
    torch.manual_seed(0)
    t = torch.ones(20000, 2)
    out = layer(t)
    # sample sd of 40000 N(0, 0.25) draws: relative error ~0.4 %; 2 % is 5 sd
    assert float((out - t).std()) == pytest.approx(0.5, rel=0.02)
    assert torch.equal(GaussianNoise(0.0)(t), t)


def test_relative_noise_scales_with_the_activation():
    torch.manual_seed(1)
    t = torch.tensor([[0.0, 1.0, 10.0]]).repeat(20000, 1)
    out = GaussianNoise(0.1, relative=True)(t)
    assert torch.equal(out[:, 0], t[:, 0])  # exact zeros stay noiseless (pitfall noted in the notes)
    sd = (out - t).std(dim=0)
    # sd = 0.1 |t|: 0.1 and 1.0, 2 % tolerance = 5 sd of the sample sd
    assert float(sd[1]) == pytest.approx(0.1, rel=0.02) and float(sd[2]) == pytest.approx(1.0, rel=0.02)


def test_gaussian_noise_rejects_a_negative_scale():
    with pytest.raises(InvalidParameterError, match="`std` must be a finite number >= 0"):
        GaussianNoise(-0.1)


# ---------------------------------------------------------------------------------------------- compressors
def test_pca_compressor_matches_sklearn_pca_up_to_sign():
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(2)
    x = rng.normal(size=(200, 7)) @ rng.normal(size=(7, 7)) + 3.0
    code = compress(x, dim=3, method="pca")
    z = (x - x.mean(0)) / x.std(0)
    ref = PCA(n_components=3, svd_solver="full").fit_transform(z)
    # PCA is unique up to the sign of each axis (distinct eigenvalues); round-off only otherwise
    np.testing.assert_allclose(np.abs(code), np.abs(ref), rtol=1e-8, atol=1e-8)


def test_compressor_passes_low_dimensional_inputs_through_and_does_not_modify_them():
    x = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    before = x.copy()
    out = compress(x, dim=4, method="autoencoder")
    assert np.array_equal(out, x) and out is not x
    assert np.array_equal(x, before)


def test_autoencoder_compressor_is_seeded_and_reconstructs_a_low_dimensional_manifold():
    rng = np.random.default_rng(3)
    s = rng.uniform(-1, 1, size=(300, 2))
    x = np.column_stack([s[:, 0], s[:, 1], np.sin(2 * s[:, 0]), s[:, 0] * s[:, 1], np.cos(s[:, 1]), s.sum(1)])
    state = torch.random.get_rng_state()
    c1 = LossyCompressor(2, method="autoencoder", epochs=60, lr=1e-2, random_state=5).fit(x)
    assert torch.equal(torch.random.get_rng_state(), state)  # the global torch RNG is left alone
    c2 = LossyCompressor(2, method="autoencoder", epochs=60, lr=1e-2, random_state=5).fit(x)
    assert np.array_equal(c1.transform(x), c2.transform(x))
    assert c1.transform(x).shape == (300, 2)
    # 6 standardised columns driven by 2 latents on a curved manifold: the 2-d autoencoder code reconstructs
    # far better than the best linear 2-d code (measured MSE 0.010 vs PCA's 0.337)
    z = (x - x.mean(0)) / x.std(0)
    sv = np.linalg.svd(z, compute_uv=False)
    pca_mse = float((sv[2:] ** 2).sum() / z.size)
    assert c1.reconstruction_mse_ < 0.3 * pca_mse


def test_compressor_errors():
    with pytest.raises(InvalidParameterError, match="`method` must be one of"):
        LossyCompressor(2, method="umap")
    with pytest.raises(InvalidParameterError, match="`dim` must be an integer >= 1"):
        LossyCompressor(0)
    with pytest.raises(InvalidParameterError, match="not fitted yet"):
        LossyCompressor(2).transform(np.zeros((3, 3)))
    c = LossyCompressor(2).fit(np.random.default_rng(0).normal(size=(10, 5)))
    with pytest.raises(ShapeMismatchError, match="`x` must have 5 columns"):
        c.transform(np.zeros((3, 4)))
    with pytest.raises(InvalidSampleError, match="NaN or inf"):
        compress(np.full((4, 6), np.nan))


# ---------------------------------------------------------------------------------------------- coordinates
def test_information_plane_coordinates_are_the_estimator_calls():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, size=200)
    xc = rng.normal(size=(200, 3)) + y[:, None]
    tc = xc[:, :2] + 0.3 * rng.normal(size=(200, 2))
    ixt, ity = information_plane_coordinates(xc, tc, y, method="ksg", k=5, base=2)
    assert ixt == estimate_mutual_information(xc, tc, method="ksg", k=5, base=2)
    assert ity == estimate_mutual_information(tc, y, discrete=[False, True], k=5, base=2)


def test_callback_on_a_linear_gaussian_layer_recovers_the_closed_form():
    # X ~ N(0, I_2), T = W X + N(0, s^2 I): I(X;T) = 1/2 log det(I + W W^T / s^2) (no compression: d = 2 <= dim)
    rng = np.random.default_rng(5)
    x = torch.tensor(rng.normal(size=(2000, 2)), dtype=torch.float64)
    w = torch.tensor([[1.0, 0.5], [0.0, 2.0]], dtype=torch.float64)
    lin = torch.nn.Linear(2, 2, bias=False).double()
    with torch.no_grad():
        lin.weight.copy_(w)
    model = torch.nn.Sequential(lin, GaussianNoise(0.5))
    y = (x[:, 0] > 0).long().numpy()
    cb = InformationPlaneCallback(model, x, y, layers=["1"], x_compression="none", compression="none",
                                  method="gaussian")
    (ixt, _), = cb(0).values()
    want = 0.5 * np.linalg.slogdet(np.eye(2) + w.numpy() @ w.numpy().T / 0.25)[1]
    # the bias-corrected Gaussian MI at n = 2000 has sd ~0.02 nats (here 2.3 nats in 2 + 2 dims)
    assert ixt == pytest.approx(want, abs=0.08)


# ---------------------------------------------------------------------------------------------- callback
def test_callback_gives_the_same_numbers_as_the_estimator_by_hand():
    x, y = _blobs()
    model = _net(noise=0.05)
    cb = InformationPlaneCallback(model, x, y, x_compression="pca", compression="pca", dim=3, k=4, random_state=7)
    points = cb(epoch=3)
    # by hand: the same forward pass (seeded like the callback, eval mode), PCA codes, estimator calls
    x_code = compress(x, dim=3, method="pca")
    acts = []
    hooks = [m.register_forward_hook(lambda _m, _i, o: acts.append(o.detach().double().numpy())) for m in model]
    model.eval()
    with torch.no_grad():
        torch.manual_seed(7)
        model(x)
    for h in hooks:
        h.remove()
    model.train()
    for name, t in zip(["0", "1", "2"], acts):
        t_code = compress(t, dim=3, method="pca")
        ixt = estimate_mutual_information(x_code, t_code, method="ksg", discrete=False, k=4)
        ity = estimate_mutual_information(t_code, y, discrete=[False, True], k=4)
        assert points[name] == (ixt, ity)
    assert [r["epoch"] for r in cb.history] == [3, 3, 3]
    assert [r["layer"] for r in cb.history] == ["0", "1", "2"]


def test_callback_preserves_training_mode_and_the_global_rng():
    x, y = _blobs(n=120)
    model = _net(noise=0.1).train()
    cb = InformationPlaneCallback(model, x, y, x_compression="pca", layers=["0.2", model[1]])
    torch.manual_seed(11)
    cb()
    after_cb = torch.rand(3)
    torch.manual_seed(11)
    assert torch.equal(torch.rand(3), after_cb)  # the probe pass ran inside fork_rng
    assert model.training and model[0].training
    assert [name for name, _ in cb.layers] == ["0.2", "1"]
    # repeated calls on an unchanged model give identical points (seeded noise)
    cb()
    a = cb.as_arrays()
    np.testing.assert_array_equal(a["0.2"]["i_xt"][0], a["0.2"]["i_xt"][1])
    np.testing.assert_array_equal(a["1"]["epoch"], [0, 1])


def test_noise_makes_the_first_layer_carry_more_than_the_last_about_x():
    # data processing along a stochastic chain: I(X;T1) >= I(X;T2) >= I(X;T3); estimates keep the order
    # here by a wide margin (measured 2.3 / 1.6 / 1.2 nats)
    x, y = _blobs(n=400)
    model = _net(noise=0.3)
    cb = InformationPlaneCallback(model, x, y, x_compression="pca", k=5)
    pts = cb()
    assert pts["0"][0] > pts["1"][0] > pts["2"][0]
    assert all(v[1] <= math.log(3) + 0.2 for v in pts.values())  # I(T;Y) <= H(Y) <= log 3 (+ estimator bias)


def test_plot_draws_one_series_per_layer():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x, y = _blobs(n=100)
    cb = InformationPlaneCallback(_net(noise=0.1), x, y, x_compression="pca")
    cb(0)
    cb(1)
    ax = cb.plot()
    assert len(ax.collections) == 3 and ax.get_xlabel() == "I(X;T) [nats]"
    plt.close(ax.figure)


def test_callback_errors():
    x, y = _blobs(n=50)
    model = _net()
    with pytest.raises(InvalidParameterError, match="`layers` names a module 'fc9'"):
        InformationPlaneCallback(model, x, y, layers=["fc9"], x_compression="pca")
    with pytest.raises(InvalidParameterError, match="not part of `model`"):
        InformationPlaneCallback(model, x, y, layers=[torch.nn.Linear(2, 2)], x_compression="pca")
    with pytest.raises(InvalidInputTypeError, match="`layers` must hold module names"):
        InformationPlaneCallback(model, x, y, layers=[3], x_compression="pca")
    with pytest.raises(ShapeMismatchError, match="`y` must be a 1-D array of one label per row"):
        InformationPlaneCallback(model, x, y[:10], x_compression="pca")
    with pytest.raises(InvalidParameterError, match="`compression` must be one of"):
        InformationPlaneCallback(model, x, y, compression="tsne")
    with pytest.raises(InvalidInputTypeError, match="`model` must be a torch.nn.Module"):
        InformationPlaneCallback(lambda t: t, x, y)


def test_docstring_examples_run():
    import doctest
    import importlib

    module = importlib.import_module("infokit.methods.bottleneck.information_plane")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
