"""The public estimators: dispatch, auto choice, invariances, inputs, bad input, results."""

from __future__ import annotations

import math

import numpy as np
import pytest

import infokit
import infokit._registry as registry
from infokit.estimators import (
    DISCRETE_METHODS,
    EstimateResult,
    estimate_conditional_mutual_information,
    estimate_entropy,
    estimate_kl_divergence,
    estimate_mutual_information,
    estimate_transfer_entropy,
    select_method,
)
from infokit.exceptions import (
    InfokitWarning,
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

LN2 = math.log(2)


def _gauss_pair(n, rho, seed, d=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=(n, d))
    return x, y


# --------------------------------------------------------------------------------------------- known answers
def test_plugin_entropy_of_a_fair_coin_is_one_bit():
    assert estimate_entropy([0, 1, 0, 1], method="plugin", base=2) == pytest.approx(1.0, abs=1e-12)


def test_plugin_mi_of_a_copied_coin_is_one_bit_for_strings_too():
    x = np.array(["heads", "tails"] * 5)
    assert estimate_mutual_information(x, x.copy(), method="plugin", base=2) == pytest.approx(1.0, abs=1e-12)


def test_plugin_cmi_of_copy_given_independent_bit_is_one_bit():
    x = [0, 1, 0, 1]
    z = [0, 0, 1, 1]  # every (x, z) pair once: z independent of x
    assert estimate_conditional_mutual_information(x, x, z, method="plugin", base=2) == pytest.approx(1.0)


def test_plugin_kl_divergence_of_coins():
    # D(Bern(1/2) || Bern(1/4)) = ½ log(½/¾) + ½ log(½/¼) = ½ log(4/3)
    assert estimate_kl_divergence([0, 1], [0, 0, 0, 1], method="plugin") == pytest.approx(0.5 * math.log(4 / 3))


def test_plugin_kl_is_infinite_off_the_support_of_q():
    assert estimate_kl_divergence([0, 1, 2], [0, 1, 1], method="plugin") == math.inf


def test_gaussian_mi_matches_the_closed_form():
    x, y = _gauss_pair(20_000, 0.8, 0)
    truth = -0.5 * math.log(1 - 0.64)
    # sd of the Gaussian MI estimate ≈ rho²/sqrt(n)·… ≈ 0.006 at n = 2e4; 0.025 is 4 sd
    assert estimate_mutual_information(x, y, method="gaussian") == pytest.approx(truth, abs=0.025)


def test_auto_mi_of_bivariate_normal_is_close_to_truth():
    x, y = _gauss_pair(4000, 0.8, 1)
    truth = -0.5 * math.log(1 - 0.64)
    # KSG at n = 4000: sd ≈ 0.015, bias < 0.01 in 1-D; 0.06 leaves 3 sd + bias
    assert estimate_mutual_information(x, y) == pytest.approx(truth, abs=0.06)


def test_auto_mi_of_bernoulli_gaussian_mixture_is_close_to_0_11142():
    from infokit.testing.samplers import get_task

    task = get_task("bernoulli-gaussian")
    x, y = task.sample(4000, random_state=2)
    # mixed estimators at n = 4000: sd ≈ 0.01 (Ross 2014, Fig. 3); 0.035 is > 3 sd
    assert estimate_mutual_information(x, y) == pytest.approx(task.mutual_information, abs=0.035)


def test_kl_entropy_of_standard_normal():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4000, 2))
    truth = math.log(2 * math.pi * math.e)  # h(N(0, I_2)) = (d/2) log(2πe)
    # KL estimator sd ≈ 0.03 at n = 4000, d = 2; 0.08 allows the small kNN bias
    assert estimate_entropy(x) == pytest.approx(truth, abs=0.08)


def test_knn_kl_divergence_of_two_normals():
    rng = np.random.default_rng(4)
    p = rng.normal(size=5000)
    q = 1.25 * rng.normal(size=5000)
    truth = math.log(1.25) + 1 / (2 * 1.25**2) - 0.5  # KL(N(0,1) || N(0,1.25²)) = 0.0431
    # peers measured sd 0.005 at n = 2e4 (peers.md); at n = 5e3 the sd is ≈ 0.01 → 0.035 tolerance
    assert estimate_kl_divergence(p, q) == pytest.approx(truth, abs=0.035)


def test_gaussian_transfer_entropy_of_a_lagged_copy():
    # y_t = a·x_{t−1} + e_t with iid x, e ~ N(0,1): T_{X→Y} = I(y_t; x_{t−1}) = ½ log(1 + a²)
    rng = np.random.default_rng(5)
    n, a = 5000, 0.8
    x = rng.normal(size=n)
    y = np.empty(n)
    y[0] = rng.normal()
    y[1:] = a * x[:-1] + rng.normal(size=n - 1)
    truth = 0.5 * math.log(1 + a**2)
    assert estimate_transfer_entropy(x, y, method="gaussian") == pytest.approx(truth, abs=0.03)  # ≈ 3 sd
    assert estimate_transfer_entropy(x, y) == pytest.approx(truth, abs=0.05)  # kNN: 3 sd + small bias
    # and nothing flows backwards
    assert estimate_transfer_entropy(y, x, method="gaussian") == pytest.approx(0.0, abs=0.01)


def test_transfer_entropy_knn_equals_the_knn_kernel():
    knn = pytest.importorskip("infokit.estimators.knn")
    rng = np.random.default_rng(6)
    x = rng.normal(size=600)
    y = np.r_[0.0, 0.5 * x[:-1]] + rng.normal(size=600)
    ours = estimate_transfer_entropy(x, y, lag=1, history=1, method="knn", k=3)
    zx = (x - x.mean()) / x.std()
    zy = (y - y.mean()) / y.std()
    ref = knn.transfer_entropy_knn(zx.reshape(-1, 1), zy.reshape(-1, 1), lag=1, history=1, k=3)
    # same embedding and CMI estimator; standardisation differs by the embedded rows' means only
    assert ours == pytest.approx(ref, abs=0.02)


def test_cmi_of_a_markov_chain_is_near_zero():
    rng = np.random.default_rng(7)
    x = rng.normal(size=3000)
    z = x + 0.5 * rng.normal(size=3000)
    y = z + 0.5 * rng.normal(size=3000)
    # X → Z → Y: I(X;Y|Z) = 0; FP sd ≈ 0.01 at n = 3000
    assert estimate_conditional_mutual_information(x, y, z) == pytest.approx(0.0, abs=0.04)
    assert estimate_conditional_mutual_information(x, y, z, method="gaussian") == pytest.approx(0.0, abs=0.01)


# --------------------------------------------------------------------------------------------- auto choice
def test_select_method_reports_the_auto_choice_by_data_kind():
    rng = np.random.default_rng(8)
    cont = rng.normal(size=100)
    disc = rng.integers(0, 3, size=100)
    assert select_method("mutual_information", disc, disc)[0] in DISCRETE_METHODS
    assert select_method("mutual_information", disc, cont)[0] == "ross"
    assert select_method("mutual_information", np.c_[disc, cont], cont,
                         discrete=[[True, False], False])[0] == "gao"
    assert select_method("entropy", cont)[0] == "kl"
    assert select_method("conditional_mutual_information", cont, cont, cont)[0] == "fp"
    assert select_method("kl_divergence", disc, disc)[0] == "plugin"
    name, why = select_method("mutual_information", cont, cont)
    assert name == "ksg" and "1×1" in why
    assert select_method("mutual_information", np.c_[cont, cont], cont)[0] == "copula_max"
    assert select_method("entropy", disc)[0] == "jackknife"


def test_copula_max_is_the_larger_of_its_two_parts():
    x, y = _gauss_pair(800, 0.6, 34, d=3)
    both = estimate_mutual_information(x, y, method="copula_max")
    gc = estimate_mutual_information(x, y, method="gaussian_copula")
    kc = estimate_mutual_information(x, y, method="ksg_copula")
    assert both == max(gc, kc)
    assert estimate_mutual_information(x, y) == both  # auto on a 3×3 continuous pair


def test_auto_beats_ksg_on_a_sparse_5x5_gaussian():
    from infokit.testing.samplers import get_task

    task = get_task("multinormal-sparse-5-5-2-0.8")
    x, y = task.sample(2000, random_state=5)
    auto = estimate_mutual_information(x, y)
    ksg = estimate_mutual_information(x, y, method="ksg")
    # KSG loses ~30 % here (BMI); the copula estimate is unbiased for Gaussians (sd ≈ 0.03 at n = 2000)
    assert abs(auto - task.mutual_information) < 0.1 < abs(ksg - task.mutual_information)


def test_result_names_the_method_auto_picked():
    x = np.array([0, 1, 1, 0] * 25)
    res = estimate_mutual_information(x, x, permutations=19, random_state=0)
    assert isinstance(res, EstimateResult)
    assert res.method == select_method("mutual_information", x, x)[0]
    assert res.n == 100 and res.unit == "nats"


# --------------------------------------------------------------------------------------------- invariances
@pytest.mark.parametrize("method", ["ksg", "ksg2", "gaussian", "gaussian_copula", "kde", "cca"])
def test_mi_is_invariant_to_rescaling_x(method):
    x, y = _gauss_pair(500, 0.7, 9)
    a = estimate_mutual_information(x, y, method=method)
    b = estimate_mutual_information(1000.0 * x - 7.0, y, method=method)
    assert b == pytest.approx(a, abs=1e-9)  # standardisation removes the affine map exactly (up to round-off)


def test_entropy_shifts_by_log_scale_when_x_is_rescaled():
    rng = np.random.default_rng(10)
    x = rng.normal(size=(500, 2))
    for method in ("kl", "gaussian"):
        a = estimate_entropy(x, method=method)
        b = estimate_entropy(1000.0 * x, method=method)
        assert b - a == pytest.approx(2 * math.log(1000.0), abs=1e-9)  # h(aX) = h(X) + d log a


@pytest.mark.parametrize("method", ["ksg", "plugin", "gaussian_copula"])
def test_mi_is_invariant_to_a_joint_row_permutation(method):
    x, y = _gauss_pair(400, 0.6, 11)
    if method == "plugin":
        x, y = np.round(x).astype(int), np.round(y).astype(int)
    perm = np.random.default_rng(12).permutation(400)
    a = estimate_mutual_information(x, y, method=method)
    b = estimate_mutual_information(x[perm], y[perm], method=method)
    assert b == pytest.approx(a, abs=1e-10)  # order of rows is irrelevant (sums are reordered only)


def test_one_d_and_column_vector_inputs_agree():
    x, y = _gauss_pair(300, 0.5, 13)
    a = estimate_mutual_information(x[:, 0], y[:, 0], method="ksg")
    b = estimate_mutual_information(x, y, method="ksg")
    assert a == b


# --------------------------------------------------------------------------------------------- determinism
def test_ci_and_pvalue_are_deterministic_under_random_state():
    x, y = _gauss_pair(300, 0.5, 14)
    r1 = estimate_mutual_information(x, y, method="gaussian", ci=0.9, permutations=30, n_bootstrap=50,
                                     random_state=3)
    r2 = estimate_mutual_information(x, y, method="gaussian", ci=0.9, permutations=30, n_bootstrap=50,
                                     random_state=3)
    r3 = estimate_mutual_information(x, y, method="gaussian", ci=0.9, permutations=30, n_bootstrap=50,
                                     random_state=4)
    assert r1 == r2
    assert r1.ci != r3.ci
    assert r1.ci[0] < r1.value < r1.ci[1]
    assert r1.pvalue == pytest.approx(1 / 31)  # strong dependence: no permutation reaches it


def test_result_in_bits_converts_every_field():
    x, y = _gauss_pair(300, 0.5, 15)
    nats = estimate_mutual_information(x, y, method="gaussian", ci=0.95, n_bootstrap=50, random_state=0)
    bits = estimate_mutual_information(x, y, method="gaussian", ci=0.95, n_bootstrap=50, random_state=0, base=2)
    assert bits.unit == "bits"
    assert bits.value == pytest.approx(nats.value / LN2)
    assert bits.ci[0] == pytest.approx(nats.ci[0] / LN2)
    assert bits.stderr == pytest.approx(nats.stderr / LN2)
    assert float(bits) == bits.value


def test_knn_ci_uses_half_sampling_and_brackets_the_estimate():
    x, y = _gauss_pair(600, 0.7, 16)
    r = estimate_mutual_information(x, y, method="ksg", ci=0.95, n_bootstrap=30, random_state=0)
    assert r.ci[0] < r.value < r.ci[1]
    assert 0 < r.stderr < 0.1  # sd of KSG at n = 600 is ≈ 0.03


def test_cmi_permutation_test_detects_conditional_dependence_with_discrete_z():
    rng = np.random.default_rng(17)
    z = rng.integers(0, 3, size=300)
    x = rng.integers(0, 2, size=300)
    y = (x + z) % 2
    res = estimate_conditional_mutual_information(x, y, z, method="plugin", permutations=49, random_state=0)
    assert res.pvalue == pytest.approx(1 / 50)
    y_ind = rng.integers(0, 2, size=300)
    null = estimate_conditional_mutual_information(x, y_ind, z, method="plugin", permutations=49, random_state=0)
    assert null.pvalue > 0.01


def test_kl_permutation_test_of_identical_distributions_is_not_significant():
    rng = np.random.default_rng(18)
    p, q = rng.normal(size=300), rng.normal(size=300)
    res = estimate_kl_divergence(p, q, permutations=39, random_state=0)
    assert res.pvalue > 0.05  # seeded: this draw is not in the 5 % tail


# --------------------------------------------------------------------------------------------- every method runs
def _data_for(method):
    rng = np.random.default_rng(19)
    x = rng.normal(size=(120, 2))
    y = x[:, :1] + rng.normal(size=(120, 1))
    lab = (x[:, 0] > 0).astype(int)
    return x, y, lab


@pytest.mark.parametrize("quantity,name", [(m.quantity, m.name) for m in registry.methods()])
def test_every_registered_method_runs_on_its_data(quantity, name):
    m = registry.get_method(quantity, name)
    assert m.available, f"{quantity} method {name!r}: kernel {m.fn!r} cannot be imported"
    x, y, lab = _data_for(name)
    rng = np.random.default_rng(20)
    codes = rng.integers(0, 4, size=120)
    opts = {"alpha": 2.0} if name == "knn_renyi" else {"q": 2.0} if name == "knn_tsallis" else {}
    if quantity == "entropy":
        v = estimate_entropy(codes if "discrete" in m.data else x, method=name, **opts)
    elif quantity == "mutual_information":
        if m.data == ("discrete",):
            v = estimate_mutual_information(codes, lab, method=name)
        elif name in ("ross", "adaptive_kde", "dsmi", "binning"):
            v = estimate_mutual_information(x, lab, method=name)
        else:
            v = estimate_mutual_information(x, y, method=name)
    elif quantity == "conditional_mutual_information":
        if m.data == ("discrete",):
            v = estimate_conditional_mutual_information(codes, lab, codes % 2, method=name)
        else:
            v = estimate_conditional_mutual_information(x[:, 0], y, x[:, 1], method=name)
    elif quantity == "kl_divergence":
        v = estimate_kl_divergence(codes if name == "plugin" else x, codes if name == "plugin" else x + 0.5,
                                   method=name)
    else:
        if m.data == ("discrete",):
            v = estimate_transfer_entropy(codes, np.r_[0, codes[:-1]], method=name)
        else:
            v = estimate_transfer_entropy(x[:, 0], np.r_[0.0, x[:-1, 0]] + y[:, 0], method=name)
    assert isinstance(v, float) and math.isfinite(v)


def test_registry_lists_papers_and_renders_a_table():
    md = registry.table("mutual_information")
    assert "| `ksg` | mutual_information |" in md and "Kraskov" in md
    assert all(m.paper for m in registry.methods())


# --------------------------------------------------------------------------------------------- input types
def test_pandas_dataframe_with_string_and_float_columns():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(21)
    lab = rng.integers(0, 2, size=400)
    df = pd.DataFrame({"label": np.where(lab == 1, "yes", "no"), "score": lab + rng.normal(size=400)})
    via_pandas = estimate_mutual_information(df["label"], df["score"])
    via_numpy = estimate_mutual_information(lab, df["score"].to_numpy())
    assert via_pandas == pytest.approx(via_numpy, abs=1e-12)  # same codes up to relabelling


def test_pandas_categorical_and_nullable_integers_are_discrete():
    pd = pytest.importorskip("pandas")
    cat = pd.Series(pd.Categorical(["a", "b", "a", "b"]))
    ints = pd.Series([0, 1, 0, 1], dtype="Int64")
    assert estimate_mutual_information(cat, ints, method="plugin", base=2) == pytest.approx(1.0)
    with_na = pd.Series([0, 1, None, 1, 0], dtype="Int64")
    other = pd.Series(["a", "b", "b", "b", "a"])
    assert estimate_mutual_information(with_na, other, method="plugin", nan_policy="omit",
                                       base=2) == pytest.approx(1.0)


def test_polars_series_are_accepted():
    pl = pytest.importorskip("polars")
    s = pl.Series("a", [0, 1, 0, 1])
    t = pl.Series("b", ["x", "y", "x", "y"])
    assert estimate_mutual_information(s, t, method="plugin", base=2) == pytest.approx(1.0)


def test_torch_cpu_tensor_gives_the_numpy_result():
    torch = pytest.importorskip("torch")
    x, y = _gauss_pair(300, 0.6, 22)
    a = estimate_mutual_information(x, y, method="ksg")
    b = estimate_mutual_information(torch.from_numpy(x), torch.from_numpy(y), method="ksg")
    assert b == a


def test_torch_kernel_path_equals_numpy_path():
    pytest.importorskip("torch")
    pytest.importorskip("infokit.estimators.knn")
    x, y = _gauss_pair(400, 0.6, 23)
    a = estimate_mutual_information(x, y, method="ksg")
    b = estimate_mutual_information(x, y, method="ksg", backend="torch")
    assert b == pytest.approx(a, abs=1e-9)  # same neighbours, same digamma terms


@pytest.mark.gpu
def test_cuda_tensor_uses_the_torch_kernel_and_matches_cpu():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("needs CUDA")
    x, y = _gauss_pair(2000, 0.6, 24)
    a = estimate_mutual_information(x, y, method="ksg")
    b = estimate_mutual_information(torch.from_numpy(x).cuda(), torch.from_numpy(y).cuda(), method="ksg")
    assert b == pytest.approx(a, abs=1e-6)  # float64 on GPU: same neighbours up to summation order


def test_object_arrays_of_mixed_symbols_are_discrete():
    x = np.array(["a", 1, "a", 1], dtype=object)
    assert estimate_mutual_information(x, [0, 1, 0, 1], method="plugin", base=2) == pytest.approx(1.0)


def test_object_arrays_of_numbers_are_treated_as_numbers():
    x = np.array([0.5, 1.5, 2.5, 3.5] * 10, dtype=object)
    assert select_method("entropy", x)[0] == "kl"


def test_discrete_mask_per_column_and_dict():
    rng = np.random.default_rng(25)
    lab = rng.integers(0, 2, size=200)
    x = np.c_[lab, lab + rng.normal(size=200)]
    a = estimate_mutual_information(x, lab, discrete=[[True, False], True], method="gao")
    b = estimate_mutual_information(x, lab, discrete={"x": [True, False], "y": True}, method="gao")
    assert a == b


# --------------------------------------------------------------------------------------------- bad input
def test_nan_raises_with_count_rows_and_columns():
    x, y = _gauss_pair(50, 0.5, 26, d=2)
    x[[3, 7], 1] = np.nan
    with pytest.raises(InvalidSampleError, match=r"2 row\(s\) \(rows 3, 7\).*`x` column\(s\) 1.*nan_policy='omit'"):
        estimate_mutual_information(x, y)


def test_nan_omit_drops_rows_jointly_and_never_counts_nan_as_a_symbol():
    x = np.array([0.0, 1.0, np.nan, 1.0, 0.0, 1.0])
    y = np.array([0, 1, 1, 1, 0, np.nan])
    got = estimate_mutual_information(x, y, method="plugin", discrete=True, nan_policy="omit")
    expect = estimate_mutual_information([0, 1, 1, 0], [0, 1, 1, 0], method="plugin")
    assert got == pytest.approx(expect, abs=1e-15)


def test_none_in_string_data_is_missing():
    x = np.array(["a", None, "b", "a"], dtype=object)
    with pytest.raises(InvalidSampleError, match="missing values"):
        estimate_entropy(x, method="plugin")
    assert estimate_entropy(x, method="plugin", nan_policy="omit") == pytest.approx(
        estimate_entropy(["a", "b", "a"], method="plugin"))


def test_mismatched_lengths_raise():
    with pytest.raises(ShapeMismatchError, match=r"`x` and `y` must have the same number of rows.*10, 9"):
        estimate_mutual_information(np.zeros(10), np.zeros(9))


def test_too_few_rows_for_k_raise():
    x, y = _gauss_pair(3, 0.5, 27)
    with pytest.raises(InvalidSampleError, match=r"`k`=3 neighbours needs more samples than k; got n=3"):
        estimate_mutual_information(x, y, method="ksg", k=3)


def test_constant_variable_gives_zero_mi():
    x, _ = _gauss_pair(100, 0.5, 28)
    const = np.full(100, 4.2)
    for method in ("ksg", "gaussian", "gaussian_copula", "auto"):
        assert estimate_mutual_information(x, const, method=method) == 0.0
    assert estimate_mutual_information(np.zeros(100, int), np.arange(100) % 3) == 0.0


def test_constant_column_of_a_multivariate_x_is_dropped():
    x, y = _gauss_pair(200, 0.5, 29)
    a = estimate_mutual_information(x, y, method="ksg")
    b = estimate_mutual_information(np.c_[x, np.ones(200)], y, method="ksg")
    assert a == b


def test_integers_as_continuous_warn_about_ties():
    rng = np.random.default_rng(30)
    xi = rng.integers(0, 5, size=200)
    y = xi + rng.normal(size=200)
    with pytest.warns(InfokitWarning, match="integer dtype.*ties"):
        estimate_mutual_information(xi, y, discrete=False)
    with pytest.warns(InfokitWarning, match="float column holding only integers.*ties"):
        estimate_mutual_information(xi.astype(float), y)


def test_self_information_of_continuous_x_warns_infinite():
    x, _ = _gauss_pair(200, 0.5, 31)
    with pytest.warns(InfokitWarning, match="infinite in theory.*grows like log\\(n\\)"):
        estimate_mutual_information(x, x, method="ksg")


def test_unknown_method_lists_the_choices():
    with pytest.raises(InvalidParameterError, match=r"`method` must be one of \{'auto', .*'ksg'.*\}; got 'ksg3'"):
        estimate_mutual_information(np.zeros(10), np.ones(10), method="ksg3")


def test_unknown_method_option_lists_the_valid_ones():
    x, y = _gauss_pair(50, 0.5, 32)
    with pytest.raises(InvalidParameterError, match=r"`bandwidth` is not an option of method 'gaussian'.*bias_correct"):
        estimate_mutual_information(x, y, method="gaussian", bandwidth=2)


def test_method_needing_continuous_data_rejects_strings():
    with pytest.raises(InvalidParameterError, match="non-numeric symbols"):
        estimate_mutual_information(np.array(["a", "b"] * 5), np.arange(10.0), method="ksg")


def test_explicit_discrete_conflicting_with_method_raises():
    with pytest.raises(InvalidParameterError, match="declared discrete"):
        estimate_mutual_information(np.arange(10.0), np.arange(10.0), method="ksg", discrete=True)


def test_bad_shapes_and_types_raise():
    with pytest.raises(InvalidSampleError, match=r"1-D \(n,\) or 2-D \(n, d\).*reshape"):
        estimate_entropy(np.zeros((4, 2, 2)))
    with pytest.raises(InvalidSampleError, match="scalar"):
        estimate_entropy(3.0)
    with pytest.raises(InvalidSampleError, match="must not be empty"):
        estimate_entropy(np.array([]))
    with pytest.raises(InvalidSampleError, match="infinite value"):
        estimate_entropy(np.array([0.0, np.inf, 1.0]))
    with pytest.raises(InvalidInputTypeError, match="unhashable"):
        estimate_entropy(np.array([{1}, {2}, {1}], dtype=object))
    with pytest.raises(InvalidInputTypeError, match="complex"):
        estimate_entropy(np.array([1j, 2j]))


def test_bad_scalar_arguments_raise():
    x = np.arange(10)
    with pytest.raises(InvalidParameterError, match="`nan_policy` must be one of"):
        estimate_entropy(x, nan_policy="drop")
    with pytest.raises(InvalidParameterError, match="`k` must be an integer >= 1"):
        estimate_entropy(x, k=0)
    with pytest.raises(InvalidParameterError, match="`ci` must be a confidence level"):
        estimate_entropy(x, ci=1.5)
    with pytest.raises(InvalidParameterError, match="`base` must be"):
        estimate_entropy(x, base=1)
    with pytest.raises(InvalidParameterError, match="`discrete` for `x` must have one entry per column"):
        estimate_entropy(np.zeros((5, 2)), discrete=[True])
    with pytest.raises(InvalidParameterError, match="`lag` must be an integer >= 1"):
        estimate_transfer_entropy(x, x, lag=0)


def test_kl_divergence_needs_matching_columns():
    with pytest.raises(ShapeMismatchError, match="same number of columns"):
        estimate_kl_divergence(np.linspace(0, 1, 20).reshape(10, 2), np.linspace(0, 1, 10))


# --------------------------------------------------------------------------------------------- inputs untouched
def test_inputs_are_not_modified():
    x, y = _gauss_pair(200, 0.5, 33, d=2)
    x[0, 0] = np.nan
    xs, ys = x.copy(), y.copy()
    estimate_mutual_information(x, y, method="ksg", nan_policy="omit", ci=0.9, n_bootstrap=5, random_state=0)
    estimate_entropy(x, nan_policy="omit")
    np.testing.assert_array_equal(x, xs)
    np.testing.assert_array_equal(y, ys)
    assert x.flags.writeable


def test_pandas_inputs_are_not_modified():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1.5, None, 3.25, 4.1, 5.7], "b": ["u", "v", "u", "v", "u"]})
    before = df.copy()
    estimate_mutual_information(df["a"], df["b"], nan_policy="omit", method="ross", k=1)
    pd.testing.assert_frame_equal(df, before)


def test_constant_continuous_column_has_minus_infinite_entropy():
    x = np.c_[np.linspace(0, 1, 50) ** 1.5, np.full(50, 2.5)]
    with pytest.warns(InfokitWarning, match="differential entropy -inf"):
        assert estimate_entropy(x, method="kl") == -math.inf


def test_mixed_cmi_with_discrete_condition_is_near_zero_for_conditional_independence():
    rng = np.random.default_rng(35)
    z = rng.integers(0, 3, size=2000)
    x = z + rng.normal(size=2000)
    y = z + rng.normal(size=2000)  # X ⫫ Y | Z, but I(X;Y) > 0
    assert select_method("conditional_mutual_information", x, y, z)[0] == "gao"
    # Gao et al. chain rule: difference of two kNN estimates, sd ≈ 0.015 each at n = 2000
    assert estimate_conditional_mutual_information(x, y, z) == pytest.approx(0.0, abs=0.05)
    assert estimate_mutual_information(x, y, method="ksg") > 0.05  # real marginal dependence (≈ 0.09 nats)


def test_transfer_entropy_omits_embedded_rows_touching_nan():
    rng = np.random.default_rng(36)
    x = rng.integers(0, 2, size=400).astype(float)
    y = np.r_[0.0, x[:-1]]
    x[100] = np.nan
    with pytest.raises(InvalidSampleError, match="missing values"):
        estimate_transfer_entropy(x, y, method="plugin", discrete=True)
    te = estimate_transfer_entropy(x, y, method="plugin", discrete=True, nan_policy="omit")
    # the copy is perfect, so TE = H(X_{t-1} | Y_{t-1}) = H(fair coin) ≈ log 2 (plug-in at n ≈ 400)
    assert te == pytest.approx(LN2, abs=0.02)


def test_auto_routes_a_point_mass_column_to_the_mixed_estimator():
    # Y ~ Bern(1/2); given Y=0, X = 0 with probability 1/2 and N(0, 1) otherwise; given Y=1, X ~ N(1, 1).
    # I(X;Y) = log 2 - ∫ p(x) H(Y | X=x) dx over the continuous part (the atom at 0 reveals Y=0, H = 0):
    # 0.290759 nats by quadrature. Ross (2014) assumes a continuous X and is far off here (below zero).
    from scipy import integrate, stats

    def cond_entropy_density(x):
        f0, f1 = 0.25 * stats.norm.pdf(x), 0.5 * stats.norm.pdf(x - 1)
        p = np.array([f0, f1]) / (f0 + f1)
        return (f0 + f1) * -np.sum(p * np.log(p))

    truth = np.log(2) - integrate.quad(cond_entropy_density, -12, 13)[0]
    rng = np.random.default_rng(0)
    n = 4000
    y = rng.integers(0, 2, n)
    x = np.where(y == 1, rng.normal(1, 1, n), np.where(rng.random(n) < 0.5, 0.0, rng.normal(0, 1, n)))
    name, reason = infokit.select_method("mutual_information", x, y)
    assert name == "gao" and "repeat a value" in reason
    est = infokit.estimate_mutual_information(x, y)
    # sd of the mixed KSG at n = 4000 is about 0.01 nats (20 seeds): 0.03 is three sd
    assert abs(est - truth) < 0.03
    assert infokit.estimate_mutual_information(x, y, method="ross") < truth - 0.5


def test_auto_keeps_ksg_for_continuous_data_without_ties():
    rng = np.random.default_rng(1)
    x = rng.normal(size=500)
    y = x + rng.normal(size=500)
    assert infokit.select_method("mutual_information", x, y)[0] == "ksg"
    # rounding to one decimal makes most rows repeat a value: the mixed estimator takes over
    assert infokit.select_method("mutual_information", np.round(x, 1), y)[0] == "gao"
