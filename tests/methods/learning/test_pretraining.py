"""Pretraining advantage: the simulator against its closed forms, the PPCA MLE, and the predicted ordering."""

from __future__ import annotations

import numpy as np
import pytest

from infokit.exceptions import InvalidParameterError, ShapeMismatchError
from infokit.methods.learning.pretraining import (
    FactorModel,
    GaussianMixtureModel,
    excess_risk_curve,
    fit_gaussian_mixture_em,
    fit_ppca,
    pretrain_then_erm,
    supervised_erm,
)


def test_factor_model_bayes_risk_matches_monte_carlo():
    fm = FactorModel.random(d=20, r=2, sigma=1.0, sigma_y=0.5, random_state=0)
    x, y, _ = fm.sample(200_000, random_state=1)
    mc = np.mean((fm.bayes_predict(x) - y) ** 2)
    # MSE of 2e5 squared residuals: relative sd about sqrt(2/2e5) = 0.3 %; 1.5 % is 5 sd
    assert mc == pytest.approx(fm.bayes_risk(), rel=0.015)
    # Bayes risk >= noise floor sigma_y^2, and <= Var(y) = sigma_y^2 + |beta|^2
    assert 0.25 <= fm.bayes_risk() <= 0.25 + fm.beta @ fm.beta


def test_ppca_recovers_the_loading_span_and_noise():
    fm = FactorModel.random(d=30, r=3, sigma=0.7, random_state=2)
    x, _, _ = fm.sample(50_000, random_state=3)
    fit = fit_ppca(x, 3)
    # principal angles between span(W) and span(B): cosines -> 1 as m grows (about 1 - O(d/m))
    qa, _ = np.linalg.qr(fit.loadings)
    qb, _ = np.linalg.qr(fm.loadings)
    cosines = np.linalg.svd(qa.T @ qb, compute_uv=False)
    assert cosines.min() > 0.999
    assert fit.noise_variance == pytest.approx(0.49, rel=0.02)   # sigma^2, within sampling error of 5e4 rows


def test_ppca_posterior_mean_equals_the_true_one_with_true_parameters():
    fm = FactorModel.random(d=8, r=2, sigma=0.5, random_state=4)
    from infokit.methods.learning.pretraining import PPCAFit
    fit = PPCAFit(fm.loadings, 0.25, np.zeros(8))
    x, _, _ = fm.sample(5, random_state=5)
    # (W^T W + s^2 I)^{-1} W^T x = W^T (W W^T + s^2 I)^{-1} x (push-through identity)
    np.testing.assert_allclose(fit.posterior_mean(x) @ fm.beta, fm.bayes_predict(x), atol=1e-10)


def test_pretraining_beats_supervised_when_n_is_near_d():
    fm = FactorModel.random(d=50, r=3, random_state=0)
    c = excess_risk_curve(fm, [60, 200], m=5_000, repetitions=2, n_test=4_000, random_state=0)
    # theory: supervised ~ d/(n-d) (about 5x Var at n=60), pretrained ~ r/n + dr/m (about 0.08): orders apart
    assert np.all(c.pretrained < c.supervised / 5)
    assert c.supervised[0] > c.supervised[1]


def test_em_finds_well_separated_means():
    gm = GaussianMixtureModel(np.array([[4.0, 0.0], [-4.0, 0.0]]))
    x, _, _ = gm.sample(4_000, random_state=0)
    mu, w = fit_gaussian_mixture_em(x, 2, random_state=0)
    mu = mu[np.argsort(mu[:, 0])]
    # sd of each mean estimate ~ 1/sqrt(2000) = 0.022: 0.1 is > 4 sd
    np.testing.assert_allclose(mu, [[-4.0, 0.0], [4.0, 0.0]], atol=0.1)
    np.testing.assert_allclose(w, [0.5, 0.5], atol=0.05)


def test_mixture_bayes_error_matches_the_normal_tail():
    # two unit Gaussians at distance 2a: Bayes error Phi(-a)
    from scipy.stats import norm
    gm = GaussianMixtureModel(np.array([[1.0, 0.0], [-1.0, 0.0]]))
    err = gm.error(gm.bayes_predict, n_test=200_000, random_state=1)
    assert err == pytest.approx(norm.cdf(-1.0), abs=0.004)   # binomial sd 0.0008 at 2e5


def test_predictors_are_deterministic_and_do_not_mutate_inputs():
    fm = FactorModel.random(d=10, r=2, random_state=0)
    xu, _, _ = fm.sample(500, random_state=1)
    x, y, _ = fm.sample(40, random_state=2)
    x0 = x.copy()
    f = pretrain_then_erm(xu, x, y, 2)
    g = supervised_erm(x, y)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_allclose(f(x), pretrain_then_erm(xu, x, y, 2)(x))
    assert g(x).shape == (40,)


def test_bad_inputs_are_named():
    with pytest.raises(InvalidParameterError, match="`r` must be < the number of columns"):
        fit_ppca(np.zeros((10, 3)), 3)
    with pytest.raises(ShapeMismatchError, match="`x` must be a 2-D array"):
        fit_ppca(np.zeros(10), 1)
    with pytest.raises(InvalidParameterError, match="`model` must be a FactorModel"):
        excess_risk_curve("factor", [10])
    with pytest.raises(InvalidParameterError, match="`r` \\(latent dimension\\) must be <= `d`"):
        FactorModel.random(d=2, r=3)
