"""infokit.sklearn: the MI scorer in SelectKBest, and MRMRSelector as a scikit-learn transformer."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from sklearn.feature_selection import SelectKBest, mutual_info_classif  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from infokit.estimators import estimate_mutual_information  # noqa: E402
from infokit.exceptions import InvalidParameterError  # noqa: E402
from infokit.sklearn import MRMRSelector, MutualInfoScorer, mutual_info_scorer  # noqa: E402


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n = 600
    a, b = rng.normal(size=n), rng.normal(size=n)
    y = (a + 0.7 * b + 0.3 * rng.normal(size=n) > 0).astype(int)
    X = np.column_stack([rng.normal(size=n), a, a + 0.01 * rng.normal(size=n), b, rng.normal(size=n)])
    return X, y


# --------------------------------------------------------------------------------------------- scorer
def test_scorer_in_selectkbest_keeps_the_informative_columns(data):
    X, y = data
    sel = SelectKBest(mutual_info_scorer(), k=3).fit(X, y)
    assert sel.get_support().tolist() == [False, True, True, True, False]
    # each score is infokit's estimate for that column (Ross: continuous feature, discrete target)
    assert sel.scores_[3] == pytest.approx(estimate_mutual_information(X[:, 3], y, discrete=[False, True]),
                                           abs=1e-12)


def test_scorer_agrees_with_scikit_learn_where_both_implement_ross(data):
    X, y = data
    ours = mutual_info_scorer(X, y)  # the direct form, as SelectKBest(score_func=mutual_info_scorer) calls it
    theirs = mutual_info_classif(X, y, discrete_features=False, n_neighbors=3, random_state=0)
    # scikit-learn adds 1e-10-scale noise to continuous features and clips at 0: agree to ~1e-3 nats
    np.testing.assert_allclose(np.maximum(ours, 0), theirs, atol=2e-3)


def test_scorer_with_permutations_returns_pvalues_to_selectkbest(data):
    X, y = data
    sel = SelectKBest(mutual_info_scorer(permutations=19, random_state=0, base=2), k=2).fit(X, y)
    # informative columns: no permutation reaches them, p = 1 / (1 + 19)
    assert sel.pvalues_[[1, 2, 3]] == pytest.approx([0.05] * 3, abs=1e-12)
    assert max(sel.pvalues_[0], sel.pvalues_[4]) > 0.2  # the noise columns are not both "significant"


def test_scorer_discrete_features_and_target_options():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 400)
    X = np.column_stack([y, rng.integers(0, 3, 400)]).astype(float)  # float codes: declare them discrete
    s = mutual_info_scorer(discrete_features=[0, 1], base=2)(X, y)
    exact = estimate_mutual_information(y, y, method="chao_wang_jost", base=2)
    assert s[0] == pytest.approx(exact, abs=1e-12) and abs(s[1]) < 0.02  # independent: near 0 bits
    s_mask = mutual_info_scorer(discrete_features=np.array([True, True]), base=2)(X, y)
    np.testing.assert_array_equal(s, s_mask)


def test_scorer_is_picklable_and_has_a_readable_repr():
    sc = mutual_info_scorer(method="ksg", k=5)
    assert isinstance(sc, MutualInfoScorer)
    again = pickle.loads(pickle.dumps(sc))
    assert repr(again) == repr(sc) and "method='ksg'" in repr(sc) and "k=5" in repr(sc)


@pytest.mark.parametrize("kwargs, match", [
    (dict(k=0), r"`k` must be an integer >= 1"),
    (dict(permutations=0), r"`permutations` must be None or an integer >= 1"),
    (dict(base=-2), r"`base` must be a finite number > 0"),
])
def test_scorer_bad_options_are_named(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        mutual_info_scorer(**kwargs)


def test_scorer_bad_data_is_named(data):
    X, y = data
    with pytest.raises(InvalidParameterError, match=r"at least 5 samples; got n_samples = 3"):
        mutual_info_scorer(X[:3], y[:3])
    with pytest.raises(InvalidParameterError, match=r"`discrete_features` as a boolean mask must have 5 entries"):
        mutual_info_scorer(discrete_features=[True])(X, y)
    with pytest.raises(InvalidParameterError, match=r"pass both `X` and `y`"):
        mutual_info_scorer(X)


# --------------------------------------------------------------------------------------------- mRMR
def test_mrmr_hand_computed_small_case():
    # y = 2a + b with a, b fair bits in every combination (each of the 4 rows repeated 26 times):
    # I(a;y) = I(b;y) = 1 bit, I(a';y) = 1 bit for the copy a' = a, I(n;y) = 0 for n independent of both.
    # plug-in MI, bits. Step 1: a (relevance 1, lowest index among the ties a, a', b).
    # Step 2: a' scores 1 - I(a';a) = 1 - 1 = 0; b scores 1 - I(b;a) = 1 - 0 = 1; n scores 0 - 0 = 0 -> b.
    # Step 3: a' scores 1 - (1 + 0)/2 = 0.5; n scores 0 - (0 + 0)/2 = 0 -> a'.
    a = np.repeat([0, 0, 1, 1], 26)
    b = np.repeat([0, 1, 0, 1], 26)
    noise = np.tile([0, 1], 52)  # 13 zeros and 13 ones in every (a, b) cell: independent of a, b and y
    y = 2 * a + b
    X = np.column_stack([a, a, b, noise])
    sel = MRMRSelector(n_features=3, method="plugin", base=2).fit(X, y)
    assert sel.ranking_.tolist() == [0, 2, 1]
    np.testing.assert_allclose(sel.relevance_, [1, 1, 1, 0], atol=1e-12)  # exact plug-in values
    np.testing.assert_allclose(sel.mrmr_scores_, [1, 1, 0.5], atol=1e-12)
    np.testing.assert_allclose(sel.mean_redundancy_, [0, 0, 0.5], atol=1e-12)
    assert sel.get_support().tolist() == [True, True, True, False]
    np.testing.assert_array_equal(sel.transform(X), X[:, :3])  # original column order is kept


def test_mrmr_default_size_is_half_and_the_near_copy_is_redundant(data):
    X, y = data
    sel = MRMRSelector().fit(X, y)
    assert sel.n_features_ == 2  # half of 5, rounded down
    assert sel.ranking_[0] in (1, 2) and sel.ranking_[1] == 3  # a (or its copy), then b rather than the copy


def test_mrmr_quotient_criterion_on_the_hand_computed_case():
    # same data as the hand-computed case; MIQ divides by max(mean redundancy, 0.01 * max relevance = 0.01):
    # step 2: a' 1 / 1 = 1, b 1 / 0.01 = 100, noise 0 / 0.01 = 0 -> b; step 3: a' 1 / 0.5 = 2, noise 0 -> a'
    a = np.repeat([0, 0, 1, 1], 26)
    b = np.repeat([0, 1, 0, 1], 26)
    X = np.column_stack([a, a, b, np.tile([0, 1], 52)])
    sel = MRMRSelector(n_features=3, method="plugin", criterion="quotient", base=2).fit(X, 2 * a + b)
    assert sel.ranking_.tolist() == [0, 2, 1]
    np.testing.assert_allclose(sel.mrmr_scores_, [1, 100, 2], rtol=1e-9)  # exact plug-in MIs up to round-off


def test_mrmr_in_a_pipeline_with_feature_names(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    df = pd.DataFrame(X, columns=["n1", "a", "a_copy", "b", "n2"])
    sel = MRMRSelector(n_features=2).fit(df, y)
    assert set(sel.get_feature_names_out()) in ({"a", "b"}, {"a_copy", "b"})
    from sklearn.linear_model import LogisticRegression

    pipe = make_pipeline(MRMRSelector(n_features=0.4), LogisticRegression()).fit(X, y)
    assert pipe[0].n_features_ == 2 and pipe.score(X, y) > 0.8  # a and b separate the classes


@pytest.mark.parametrize("n_features, match", [
    (0, r"between 1 and the number of features \(5\); got 0"),
    (6, r"got 6"),
    (1.5, r"an int, a float in \(0, 1\] or None; got 1.5"),
    (True, r"got True"),
])
def test_mrmr_bad_n_features_is_named(data, n_features, match):
    X, y = data
    with pytest.raises(InvalidParameterError, match=match):
        MRMRSelector(n_features=n_features).fit(X, y)


def test_mrmr_bad_criterion_is_named(data):
    X, y = data
    with pytest.raises(InvalidParameterError, match=r"`criterion` must be one of"):
        MRMRSelector(criterion="sum").fit(X, y)


# The full scikit-learn contract. Every check passes: no expected failures to document.
# (check_array_api_input is skipped by scikit-learn itself unless SCIPY_ARRAY_API=1.)
@parametrize_with_checks([MRMRSelector()])
def test_mrmr_passes_the_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
