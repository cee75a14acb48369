"""Ground-truth samplers: the closed-form MI values are checked against Monte Carlo / quadrature."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from infokit.exceptions import InvalidParameterError
from infokit.testing import samplers as S


def _mc_mi(logratio: np.ndarray):
    """Monte Carlo MI = mean of the pointwise log density ratio, with its standard error."""
    return float(logratio.mean()), float(logratio.std(ddof=1) / math.sqrt(logratio.size))


# --------------------------------------------------------------------------------------------- closed forms
def test_gaussian_mi_bivariate_equals_minus_half_log_one_minus_rho_squared():
    # derivation: det Σ = 1 − ρ², marginals have unit variance → I = −½ log(1 − ρ²)
    cov = S.dense_covariance(1, 1, 0.75)
    assert S.gaussian_mi(cov, 1) == pytest.approx(-0.5 * math.log(1 - 0.75**2), rel=1e-12)


def test_dense_and_sparse_tasks_match_bmi_values():
    # values of the BMI benchmark table (Czyż et al. 2023), 4 decimals
    expected = {
        "multinormal-dense-2-2-0.5": 0.2939,
        "multinormal-dense-3-3-0.5": 0.4133,
        "multinormal-dense-5-5-0.5": 0.5928,
        "multinormal-dense-25-25-0.5": 1.2922,
        "multinormal-sparse-5-5-2-0.8": 1.0217,
        "multinormal-sparse-25-25-2-0.8": 1.0217,
        "student-identity-1-1-1": 0.2242,
        "student-identity-2-2-1": 0.4319,
        "student-identity-2-2-2": 0.1931,
        "student-identity-3-3-2": 0.2909,
        "student-identity-3-3-3": 0.1787,
        "student-identity-5-5-2": 0.4482,
        "student-identity-5-5-3": 0.2985,
        "additive-1v1-0.1": 1.7094,
        "additive-1v1-0.75": 0.3333,
    }
    for name, value in expected.items():
        assert S.get_task(name).mutual_information == pytest.approx(value, abs=5e-5), name  # 4-decimal table


def test_gaussian_task_truth_matches_monte_carlo_log_density_ratio():
    task = S.get_task("multinormal-dense-3-3-0.5")
    cov = S.dense_covariance(3, 3, 0.5)
    x, y = task.sample(200_000, random_state=1)
    xy = np.hstack([x, y])
    lr = (stats.multivariate_normal(np.zeros(6), cov).logpdf(xy)
          - stats.multivariate_normal(np.zeros(3), cov[:3, :3]).logpdf(x)
          - stats.multivariate_normal(np.zeros(3), cov[3:, 3:]).logpdf(y))
    est, se = _mc_mi(lr)
    assert abs(est - task.mutual_information) < 4 * se  # 4 standard errors of the MC mean


def test_student_t_truth_matches_monte_carlo_log_density_ratio():
    task = S.get_task("student-identity-2-2-2")
    x, y = task.sample(200_000, random_state=2)
    joint = stats.multivariate_t(np.zeros(4), np.eye(4), df=2)
    mx = stats.multivariate_t(np.zeros(2), np.eye(2), df=2)
    lr = joint.logpdf(np.hstack([x, y])) - mx.logpdf(x) - mx.logpdf(y)
    est, se = _mc_mi(lr)
    assert abs(est - task.mutual_information) < 4 * se  # 4 standard errors of the MC mean


def test_student_t_correction_vanishes_in_the_gaussian_limit():
    # dof → ∞: the multivariate t tends to the Gaussian, whose MI with identity dispersion is 0
    assert S.student_t_mi_correction(1e7, 3, 3) == pytest.approx(0.0, abs=1e-5)  # O(1/dof) remainder
    assert S.student_t_mi_correction(1, 2, 2) > S.student_t_mi_correction(5, 2, 2) > 0


@pytest.mark.parametrize("eps", [0.1, 0.3, 0.75, 2.0])
def test_additive_uniform_formula_matches_quadrature_of_the_trapezoid(eps):
    # Y = X + N has density (F_N(y) − F_N(y − 1)) with F_N the U(−eps, eps) cdf; I = h(Y) − log(2 eps)
    def f(y):
        cdf = lambda t: min(max((t + eps) / (2 * eps), 0.0), 1.0)  # noqa: E731
        return cdf(y) - cdf(y - 1)

    def integrand(y):
        v = f(y)
        return -v * math.log(v) if v > 0 else 0.0

    h_y, _ = integrate.quad(integrand, -eps, 1 + eps, points=[eps, 1 - eps, -eps + 1], limit=200)
    assert S.additive_uniform_mi(eps) == pytest.approx(h_y - math.log(2 * eps), abs=1e-8)  # quadrature error


def test_additive_uniform_formula_is_continuous_at_half():
    # both branches give 1/2 at eps = 1/2: 0.5 − log 1 = 1/(4·0.5)
    assert S.additive_uniform_mi(0.5) == pytest.approx(0.5, abs=1e-15)
    assert S.additive_uniform_mi(0.5 - 1e-9) == pytest.approx(0.5, abs=1e-8)


def test_bernoulli_gaussian_mixture_truth_is_0_11142_nats():
    # the value quoted in the issue (quadrature)
    assert S.bernoulli_gaussian_mi() == pytest.approx(0.11142, abs=5e-6)


def test_bernoulli_gaussian_mixture_limits():
    # no shift: Y independent of X → 0; huge shift: Y reveals X → H(X) = log 2
    assert S.bernoulli_gaussian_mi(0.5, 0.0, 1.0) == pytest.approx(0.0, abs=1e-9)
    assert S.bernoulli_gaussian_mi(0.5, 40.0, 1.0) == pytest.approx(math.log(2), abs=1e-6)


def test_bernoulli_gaussian_truth_matches_monte_carlo():
    task = S.get_task("bernoulli-gaussian")
    x, y = task.sample(200_000, random_state=3)
    x, y = x[:, 0], y[:, 0]
    lp_cond = stats.norm.logpdf(y, loc=x)
    lp_y = np.log(0.5 * stats.norm.pdf(y) + 0.5 * stats.norm.pdf(y, loc=1.0))
    est, se = _mc_mi(lp_cond - lp_y)
    assert abs(est - task.mutual_information) < 4 * se  # 4 standard errors of the MC mean


# --------------------------------------------------------------------------------------------- transforms
@pytest.mark.parametrize("transform", ["normal_cdf", "half_cube", "spiral"])
def test_transformed_task_is_a_bijection_of_its_base_sample(transform):
    base = S.get_task("multinormal-sparse-3-3-2-0.8")
    task = S.get_task(f"{transform}-multinormal-sparse-3-3-2-0.8")
    assert task.mutual_information == base.mutual_information
    xb, yb = base.sample(500, random_state=7)
    xt, yt = task.sample(500, random_state=7)
    f = S._TRANSFORMS[transform]
    np.testing.assert_allclose(xt, f(xb), rtol=0, atol=1e-12)  # same draw, same map
    np.testing.assert_allclose(yt, f(yb), rtol=0, atol=1e-12)


def test_spiral_preserves_norm_and_is_invertible():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(1000, 3))
    b = S._spiral(a)
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), np.linalg.norm(a, axis=1), rtol=1e-12)
    # inverse: rotate back by the same angle (the norm, hence the angle, is unchanged)
    theta = -2.0 * np.sum(b * b, axis=1) / 3
    back = b.copy()
    back[:, 0] = np.cos(theta) * b[:, 0] - np.sin(theta) * b[:, 1]
    back[:, 1] = np.sin(theta) * b[:, 0] + np.cos(theta) * b[:, 1]
    np.testing.assert_allclose(back, a, atol=1e-10)  # round-off of two rotations


def test_wiggly_and_half_cube_are_strictly_increasing():
    grid = np.linspace(-20, 20, 200_001)
    for name in ("wiggly", "half_cube", "asinh", "normal_cdf"):
        v = S._TRANSFORMS[name](grid)
        assert np.all(np.diff(v) > 0) or name == "normal_cdf" and np.all(np.diff(v) >= 0), name


# --------------------------------------------------------------------------------------------- task list
def test_tasks_cover_bmi_shapes_and_have_unique_names():
    ts = S.tasks()
    names = [t.name for t in ts]
    assert len(names) == len(set(names))
    dims = {(t.dim_x, t.dim_y) for t in ts}
    assert (1, 1) in dims and (25, 25) in dims
    families = {n.split("-")[0] for n in names}
    assert {"normal", "multinormal", "student", "additive", "bernoulli", "normal_cdf", "half_cube", "asinh",
            "spiral", "wiggly"} <= families


def test_task_samples_have_declared_shapes_and_dtypes():
    for t in S.tasks():
        x, y = t.sample(7, random_state=0)
        assert x.shape == (7, t.dim_x) and y.shape == (7, t.dim_y), t.name
        assert (x.dtype.kind == "i") == (t.kind == "mixed"), t.name


def test_task_filters():
    assert all(t.dim_x > 1 or t.dim_y > 1 for t in S.tasks(multivariate=True))
    assert all(max(t.dim_x, t.dim_y) <= 5 for t in S.tasks(max_dim=5))
    assert [t.name for t in S.tasks(kind="mixed")] == ["bernoulli-gaussian"]


def test_sampling_is_deterministic_under_random_state():
    t = S.get_task("student-identity-3-3-2")
    a = t.sample(50, random_state=11)
    b = t.sample(50, random_state=11)
    c = t.sample(50, random_state=12)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_dense_task_sample_correlation_is_half():
    x, y = S.get_task("multinormal-dense-2-2-0.5").sample(100_000, random_state=4)
    r = np.corrcoef(np.hstack([x, y]).T)
    # sd of a sample correlation at n=1e5 is about (1 − 0.25)/sqrt(n) ≈ 0.0024; 0.015 is > 6 sd
    np.testing.assert_allclose(r[np.triu_indices(4, 1)], 0.5, atol=0.015)


def test_get_task_unknown_name_lists_choices():
    with pytest.raises(InvalidParameterError, match=r"`name` must be one of \{.*'normal-1v1-0.75'.*got 'nope'"):
        S.get_task("nope")
