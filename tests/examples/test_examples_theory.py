"""The theory examples (IB/DIB, G theory, best-of-N vs tilt, differential information) run in --quick mode and
print the numbers the docs compare with the papers'."""

import re


def test_discrete_ib_example(example):
    out = example.run("examples/bottleneck/discrete_ib.py")
    # IB solutions of the binary symmetric source sit on Mrs. Gerber's frontier (1e-9: converged runs)
    assert example.number("max |I(T;Y) - frontier(I(X;T))|:", out) < 1e-9
    # bisection with 8 halvings of [1, 2.5] resolves beta_c = 1.5625 to 1.5/2^8 ≈ 0.006
    assert abs(example.number("critical beta (bisection on the objective's sign):", out) - 1.5625) < 0.01
    assert example.number("max (DIB iterative - DIB exact) objective:", out) < 1e-12
    assert example.number("max (IB - best deterministic) objective:", out) < 1e-8


def test_g_theory_example(example):
    out = example.run("examples/semantic/g_theory.py")
    assert "semantic I(X;Theta) bits       0.34895" in out  # the worked example of the notes
    assert "I(X;Theta*) matched, bits      0.41801" in out
    r_ba = [float(v) for v in re.findall(r"^\s+\d\.\d\d .* (\d\.\de-\d\d)$", out, flags=re.M)]
    assert r_ba and max(r_ba) < 1e-9  # R(G) = Blahut's R(D) with d = -log m
    em_rows = re.findall(r"^\s+\[.*?\]\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)$", out, flags=re.M)
    assert len(em_rows) == 2
    for em_it, cm_it, _, kl_em, kl_cm in em_rows:
        assert int(cm_it) <= int(em_it)  # CM-EM never needs more M-steps here (measured 93/93 and 84/44)
        assert abs(float(kl_em) - float(kl_cm)) < 1e-9  # and both reach the same fit


def test_best_of_n_example(example):
    out = example.run("examples/alignment/best_of_n_vs_tilt.py")
    rows = {int(m[0]): [float(v) for v in m[1:]] for m in
            re.findall(r"^\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", out, flags=re.M)}
    # notes §10.4: reward/token and KL/token of best-of-N with N = e^{0.1 n}
    assert rows[10][1:3] == [0.8935, 0.0362]
    assert rows[1000][1:3] == [1.0543, 0.0990]
    gaps = [rows[n][-1] for n in (10, 50, 200, 1000)]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 0.006  # converging to the KL-RL value 1.0599


def test_differential_information_example(example):
    out = example.run("examples/alignment/differential_information.py")
    assert "H(q) = 0.9961" in out
    m = re.search(r"^\s+0\.5\s+(\S+)\s+(\S+)$", out, flags=re.M)
    assert m
    assert float(m.group(1)) < 1e-8  # DPO with rejected ~ pi_l* recovers pi* (exact population optimum)
    assert float(m.group(2)) > 0.5  # with rejected ~ pi_ref it stays at pi_ref: KL(pi*||pi_ref) = 0.74
