"""The universality-lens and pretraining-advantage examples run in --quick mode and print what the docs quote."""


def test_universality_example_regret_tracks_prior_weight(example):
    out = example.run("examples/learning/universality.py", "--quick", "--networks", "100000", "--runs", "3")
    # the mean regret stays below the index-of-resolvability bound (3 runs: allow 0.1 nat of noise)
    assert example.number("max (mean regret - bound):", out) < 0.1
    # simple targets are learned with far less regret than log(class size) = 11.09 nats; parity is not
    assert example.number("constant 0 mean regret:", out) < 5.0
    assert example.number("parity(x0..x3) mean regret:", out) > 11.09


def test_pretraining_example_shows_the_advantage(example):
    out = example.run("examples/learning/pretraining_advantage.py")
    # theory: supervised ~ d/(n-d) = 1 at n=100 vs pretrained ~ r/n + dr/m = 0.045 -> a ratio of order 20
    assert example.number("factor excess risk ratio at n=100 (supervised / pretrained):", out) > 5
    assert example.number("mixture excess error at n=50, pretrained:", out) < \
        example.number("mixture excess error at n=50, supervised:", out)
