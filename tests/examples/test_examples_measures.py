"""The measures examples run and print the paper's numbers."""


def test_perfect_reconstruction_example_prints_the_papers_table(example):
    out = example.run("examples/measures/perfect_reconstruction.py")
    rows = {line[:42].strip(): line[42:].split() for line in out.splitlines() if line[:1].isalnum() and "  " in line}
    # CRT on 0..29: H(X) = log2 30 = 4.907 bits, Σδ = 3 − ΣH(X_i)/H(X) = 3 − 1 = 2 = n − 1 (tight), reconstructable
    assert rows["CRT: X mod 2,3,5, X in 0..29"] == ["3", "4.907", "4.907", "2.000", "2", "holds", "yes"]
    # CRT on 0..59: Σδ = 3 − log2(30)/log2(60) = 2.169 > 2 — the condition fails, X is not reconstructable
    assert rows["CRT: X mod 2,3,5, X in 0..59"] == ["3", "5.907", "4.907", "2.169", "2", "FAILS", "no"]
    # rank-3 parities: the condition holds with equality, yet X is not reconstructable (necessary, not sufficient)
    assert rows["4 parities of rank 3"][-2:] == ["holds", "no"]
    assert rows["prime signature, N=100"][:4] == ["25", "6.644", "8.209", "23.764"]
