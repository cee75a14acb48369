"""The ``infokit`` command line.

Commands
--------
``infokit --version``
    Print the version.
``infokit papers [--status planned|partial|done] [--json]``
    The reading list with the status of each paper (the table of ``docs/PAPERS.md``).
``infokit report DATA --target COL [--out DIR] [--base 2] [--method auto] [--permutations N] [--bootstrap N]
[--max-rows N] [--top N] [--scheduler ADDRESS] [--format html,md,json] [--quiet | --verbose] ...``
    An information report of a table (CSV, TSV, Parquet; ``-`` reads CSV from stdin): per column its type,
    entropy, MI with the target (CI, permutation p-value), a ranking, redundancy (pairwise MI, mRMR) and the
    conditional MI given the best column; written as HTML (embedded plots), Markdown and JSON.
    ``infokit report --demo`` runs it on scikit-learn's bundled breast-cancer data.
``infokit entropy DATA --columns A[,B...] [--joint] [--json]``
    Entropy of columns (bits by default).
``infokit mi DATA --x A[,B] --y C [--given D] [--permutations N] [--ci 0.95] [--json]``
    Mutual information (or conditional MI) between columns.
``infokit demo [--measures]``
    The report on the demo data, written to ``./report-out``; ``--measures``: a short, real computation with
    units (exact measures, the information lattice of the Chinese remainder theorem (paper 31) and the
    capacity of a binary symmetric channel).

Exit status: 0 on success, 1 when a computation fails or an input cannot be used, 2 on a bad argument (one
line on stderr), 3 when a report was written but some columns were left out because of a data problem
(empty, mixed numbers and text, identifiers; each is named on stderr).
The CLI calls the public API of :mod:`infokit` only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import textwrap

__all__ = ["main"]

_PROG = "infokit"


class _UsageError(Exception):
    """A bad command-line argument (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2 returned (not raised) by main."""

    def error(self, message):  # noqa: D401 - argparse API
        raise _UsageError(f"{self.prog}: error: {message} (see `{self.prog} --help`)")


def _build_parser(version: str) -> _Parser:
    parser = _Parser(
        prog=_PROG,
        description="infokit: information theory for machine learning.",
        epilog="Run `infokit demo` for a short tour; `infokit papers` for the reading list.",
    )
    parser.add_argument("--version", action="version", version=f"{_PROG} {version}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p_papers = sub.add_parser("papers", help="the reading list with the status of each paper",
                              description="The 34 papers of the reading list: year, arXiv id, status, infokit API.")
    p_papers.add_argument("--status", choices=("planned", "partial", "done"),
                          help="show only the papers at this stage")
    p_papers.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p_demo = sub.add_parser(
        "demo", help="the information report of the demo data (or --measures: exact measures with units)",
        description="Run `infokit report --demo` (scikit-learn's breast-cancer data) and write it to ./report-out; "
                    "--measures prints exact measures, the CRT information lattice (paper 31) and a BSC's capacity.")
    p_demo.add_argument("--measures", action="store_true",
                        help="print the exact-measures tour instead of writing the report")
    p_demo.add_argument("--out", default="report-out", metavar="DIR", help="output folder (default: report-out)")
    p_demo.add_argument("--permutations", type=_nonneg_int, default=100, metavar="N",
                        help="permutations per column for p-values (default 100)")
    p_demo.add_argument("--bootstrap", type=_nonneg_int, default=100, metavar="N",
                        help="half-samples per column for confidence intervals (default 100)")
    p_demo.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_report_parsers(sub)
    return parser


# ------------------------------------------------------------------------------------------------ report
def _nonneg_int(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return v


def _pos_int(text):
    v = _nonneg_int(text)
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return v


def _base(text):
    if text.lower() in ("e", "nats", "nat"):
        return None
    if text.lower() in ("bits", "bit"):
        return 2.0
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a logarithm base such as 2 (bits) or e (nats), got {text!r}") from None
    if not (v > 0 and v != 1 and v == v and v != float("inf")):
        raise argparse.ArgumentTypeError(f"the base must be > 0 and != 1 (2 for bits, e for nats), got {text!r}")
    return v


def _level(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a confidence level in (0, 1) such as 0.95, got {text!r}") from None
    if not 0 < v < 1:
        raise argparse.ArgumentTypeError(f"expected a confidence level in (0, 1) such as 0.95, got {text!r}")
    return v


def _formats(text):
    allowed = ("html", "md", "json")
    got = [t.strip().lower() for t in text.split(",") if t.strip()]
    if not got or any(t not in allowed for t in got):
        raise argparse.ArgumentTypeError(f"--format must be a comma-separated subset of html,md,json; got {text!r}")
    return ",".join(got)


def _names(text):
    return [t.strip() for t in text.split(",") if t.strip()]


def _add_table_options(p):
    p.add_argument("--sep", default=None, metavar="CHAR",
                   help="field separator of a text file (default: from the extension; ',' otherwise; 'tab' for tabs)")
    p.add_argument("--encoding", default="utf-8", help="text encoding of the file (default utf-8)")
    p.add_argument("--categorical", type=_names, default=[], metavar="COLS",
                   help="comma-separated columns to treat as categories")
    p.add_argument("--continuous", type=_names, default=[], metavar="COLS",
                   help="comma-separated columns to treat as continuous numbers")


def _add_report_parsers(sub):
    p = sub.add_parser(
        "report", help="an information report of a table: which columns tell about a target, how much, how sure",
        description="Per column: type (and the rule used), missing values, entropy, MI with the target with a "
                    "confidence interval and a permutation p-value, MI / H(target); a ranking; redundancy among "
                    "the top columns (pairwise MI heat-map, mRMR order); I(column; target | best column). "
                    "Writes report.html (self-contained, embedded plots), report.md and report.json.",
        epilog="Exit status: 0 ok; 1 the input cannot be used; 2 bad arguments; 3 the report was written but "
               "some columns were left out (empty, numbers mixed with text, identifiers).")
    p.add_argument("data", nargs="?", metavar="DATA", help="CSV, TSV or Parquet file; '-' reads CSV from stdin")
    p.add_argument("--target", metavar="COL", help="the column to explain")
    p.add_argument("--demo", action="store_true",
                   help="use scikit-learn's bundled breast-cancer data (target: diagnosis); no download")
    p.add_argument("--out", default="report-out", metavar="DIR", help="output folder (default: report-out)")
    p.add_argument("--format", type=_formats, default="html,md,json", metavar="LIST",
                   help="comma-separated outputs among html, md, json (default: all three)")
    p.add_argument("--base", type=_base, default=2.0, help="logarithm base: 2 = bits (default), e = nats")
    p.add_argument("--method", default="auto", help="MI estimator (default auto: chosen per column pair)")
    p.add_argument("--permutations", type=_nonneg_int, default=100, metavar="N",
                   help="permutations per column for the p-value (default 100; 0 = none)")
    p.add_argument("--bootstrap", type=_nonneg_int, default=100, metavar="N",
                   help="half-samples per column for the confidence interval (default 100; 0 = none)")
    p.add_argument("--confidence", type=_level, default=0.95, metavar="LEVEL",
                   help="confidence level of the intervals (default 0.95)")
    p.add_argument("--max-rows", type=_nonneg_int, default=20000, metavar="N",
                   help="analyse a seeded random sample of at most N rows (default 20000; 0 = all rows)")
    p.add_argument("--top", type=_pos_int, default=10, metavar="N",
                   help="columns in the redundancy analysis (pairwise MI, mRMR; default 10)")
    p.add_argument("--k", type=_pos_int, default=3, help="neighbours of the kNN estimators (default 3)")
    p.add_argument("--seed", type=_nonneg_int, default=0, help="seed of sampling, resampling, permutations (default 0)")
    p.add_argument("--exclude", type=_names, default=[], metavar="COLS", help="comma-separated columns to leave out")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run the estimates on the Dask cluster at ADDRESS (e.g. tcp://host:8786); needs infokit[dask]")
    _add_table_options(p)
    noise = p.add_mutually_exclusive_group()
    noise.add_argument("--quiet", action="store_true", help="no progress bar and no summary (only the file paths)")
    noise.add_argument("--verbose", action="store_true",
                       help="explain each column's type and which estimator it got and why (on stderr)")

    p = sub.add_parser("entropy", help="entropy of columns of a table",
                       description="Entropy of each column (Shannon for discrete, differential for continuous "
                                   "columns), or of several columns jointly with --joint. Bits by default.")
    p.add_argument("data", metavar="DATA", help="CSV, TSV or Parquet file; '-' reads CSV from stdin")
    p.add_argument("--columns", type=_names, required=True, metavar="COLS", help="comma-separated column names")
    p.add_argument("--joint", action="store_true", help="one joint entropy of all the columns")
    p.add_argument("--base", type=_base, default=2.0, help="logarithm base: 2 = bits (default), e = nats")
    p.add_argument("--method", default="auto", help="entropy estimator (default auto)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _add_table_options(p)

    p = sub.add_parser("mi", help="mutual information (or conditional MI) between columns of a table",
                       description="I(X;Y), or I(X;Y|Z) with --given, where X, Y, Z are columns (several "
                                   "comma-separated names form one joint variable). Bits by default.")
    p.add_argument("data", metavar="DATA", help="CSV, TSV or Parquet file; '-' reads CSV from stdin")
    p.add_argument("--x", type=_names, required=True, metavar="COLS", help="the first variable's column(s)")
    p.add_argument("--y", type=_names, required=True, metavar="COLS", help="the second variable's column(s)")
    p.add_argument("--given", type=_names, default=None, metavar="COLS", help="condition on these column(s)")
    p.add_argument("--base", type=_base, default=2.0, help="logarithm base: 2 = bits (default), e = nats")
    p.add_argument("--method", default="auto", help="estimator (default auto: chosen by the columns' types)")
    p.add_argument("--k", type=_pos_int, default=3, help="neighbours of the kNN estimators (default 3)")
    p.add_argument("--permutations", type=_pos_int, default=None, metavar="N", help="permutation test: p-value")
    p.add_argument("--ci", type=_level, default=None, metavar="LEVEL", help="confidence interval, e.g. 0.95")
    p.add_argument("--bootstrap", type=_pos_int, default=None, metavar="N", help="resamples for --ci")
    p.add_argument("--seed", type=_nonneg_int, default=0, help="seed of resampling and permutations (default 0)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _add_table_options(p)


def _sep(args):
    if args.sep is None:
        return None
    return "\t" if args.sep in ("tab", "\\t", "TAB") else args.sep


def _show_base(base):
    return "e" if base is None else f"{base:g}"


def _cmd_report(args, out, demo=False) -> int:
    from . import report as rp

    err = sys.stderr
    if demo or args.demo:
        if getattr(args, "data", None):
            raise _UsageError(f"{_PROG} report: error: pass either DATA or --demo, not both "
                              f"(see `{_PROG} report --help`)")
        data = rp.demo_table()
        target = getattr(args, "target", None) or "diagnosis"
    else:
        if not args.data:
            raise _UsageError(f"{_PROG} report: error: DATA is required (a CSV/TSV/Parquet file, '-' for stdin), "
                              f"or --demo (see `{_PROG} report --help`)")
        if not args.target:
            raise _UsageError(f"{_PROG} report: error: --target COL is required (see `{_PROG} report --help`)")
        data = rp.load_table(args.data, sep=_sep(args), encoding=args.encoding)
        target = args.target
    from .report._render import parse_formats

    formats = parse_formats(getattr(args, "format", "html,md,json"))
    quiet = getattr(args, "quiet", False)
    rep = rp.compute(
        data, target, base=getattr(args, "base", 2.0), method=getattr(args, "method", "auto"),
        permutations=args.permutations, bootstrap=args.bootstrap, confidence_level=getattr(args, "confidence", 0.95),
        max_rows=getattr(args, "max_rows", 20000), top=getattr(args, "top", 10), k=getattr(args, "k", 3),
        exclude=getattr(args, "exclude", []), categorical=getattr(args, "categorical", []),
        continuous=getattr(args, "continuous", []), random_state=getattr(args, "seed", 0),
        scheduler=getattr(args, "scheduler", None), progress=not quiet, verbose=getattr(args, "verbose", False),
        stream=err)
    paths = rep.write(args.out, formats)
    for c in rep.flagged:
        err.write(f"{_PROG}: warning: {c.message}\n")
    if quiet:
        for f in formats:
            out.write(paths[f] + "\n")
    else:
        _report_summary(rep, paths, out)
    return 3 if rep.flagged else 0


def _report_summary(rep, paths, out, n_top=5) -> None:
    u = rep.unit
    t = rep.target
    used = f" (a seeded random sample of {rep.n_rows_used} analysed)" if rep.n_rows_used < rep.n_rows else ""
    out.write(f"Information report of {rep.source}: {rep.n_rows} rows{used}, target {t.name!r} ({t.type})\n")
    if t.entropy is not None and t.entropy.value is not None:
        out.write(f"  H(target) = {t.entropy.value:.3f} {u} ({t.entropy.estimator})\n")
    out.write(f"Top columns by I(column; {t.name}) [{u}]:\n")
    width = max([len(c.name) for c in rep.ranked[:n_top]] + [6])
    for c in rep.ranked[:n_top]:
        mi = c.mi
        ci = f"  {100 * mi.confidence_level:.0f}% CI {mi.ci_text()}" if mi.ci is not None else ""
        p = f"  p = {mi.p_text()}" if mi.pvalue is not None else ""
        out.write(f"  {c.rank:>2}. {c.name.ljust(width)}  {mi.value:.3f} {u}{ci}{p}  [{mi.estimator}]\n")
    if rep.mrmr:
        out.write("mRMR order of the top columns: " + ", ".join(s.feature for s in rep.mrmr[:n_top])
                  + (", ..." if len(rep.mrmr) > n_top else "") + "\n")
    if rep.flagged:
        out.write(f"Left out: {', '.join(f'{c.name} ({c.status})' for c in rep.flagged)} — see stderr / the report\n")
    out.write("Wrote " + ", ".join(paths[f] for f in paths) + "\n")


def _warnings_to_stderr(fn, *a, **kw):
    """Run ``fn``; print the warnings it raised as one 'infokit: warning: ...' line each (no source lines)."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fn(*a, **kw)
    for msg in dict.fromkeys(str(w.message) for w in caught):
        print(f"{_PROG}: warning: {msg}", file=sys.stderr)
    return res


def _cmd_entropy(args, out) -> int:
    from .report import load_table
    from .report._single import column_entropy

    table = load_table(args.data, sep=_sep(args), encoding=args.encoding)
    res = _warnings_to_stderr(column_entropy, table, args.columns, joint=args.joint, base=args.base,
                              method=args.method, categorical=args.categorical, continuous=args.continuous)
    if args.json:
        out.write(json.dumps(res if len(res) > 1 else res[0], indent=2) + "\n")
        return 0
    for r in res:
        cols = ", ".join(r["columns"])
        sym = "H" if r["kind"] == "Shannon" else "h"
        types = "; ".join(f"{k}: {v['type']}" for k, v in r["types"].items())
        out.write(f"{sym}({cols}) = {r['value']:.4f} {r['unit']}  [{r['method']}; {types}; n = {r['n']}]"
                  + ("" if r["kind"] == "Shannon" else "  (differential entropy: depends on the units)") + "\n")
        for note in r["notes"]:
            out.write(f"    note: {note}\n")
    return 0


def _cmd_mi(args, out) -> int:
    from .report import load_table
    from .report._single import columns_mutual_information

    table = load_table(args.data, sep=_sep(args), encoding=args.encoding)
    r = _warnings_to_stderr(
        columns_mutual_information, table, args.x, args.y, given=args.given, base=args.base, method=args.method,
        k=args.k, ci=args.ci,
        bootstrap=args.bootstrap, permutations=args.permutations, random_state=args.seed,
        categorical=args.categorical, continuous=args.continuous)
    if args.json:
        out.write(json.dumps(r, indent=2) + "\n")
        return 0
    x, y = ", ".join(r["columns"]["x"]), ", ".join(r["columns"]["y"])
    given = r["columns"].get("given")
    lhs = f"I({x}; {y}" + (f" | {', '.join(given)})" if given else ")")
    extra = ""
    if r["ci"] is not None:
        extra += f"  {100 * r['confidence_level']:.0f}% CI [{r['ci'][0]:.4f}, {r['ci'][1]:.4f}] {r['unit']}"
    if r["pvalue"] is not None:
        extra += f"  permutation p = {r['pvalue']:.3g} ({r['permutations']} permutations)"
    types = "; ".join(f"{k}: {v['type']}" for k, v in r["types"].items())
    out.write(f"{lhs} = {r['value']:.4f} {r['unit']}{extra}  [{r['method']}; {types}; n = {r['n']}]\n")
    return 0


# ------------------------------------------------------------------------------------------------ papers
def _papers_table(rows) -> str:
    headers = ("#", "year", "status", "arXiv", "paper", "infokit API")
    width_title = 58
    body = []
    for p in rows:
        title = p.title if len(p.title) <= width_title else p.title[: width_title - 3] + "..."
        api = ", ".join(p.api) if p.api else f"(planned: {p.home})"
        body.append((str(p.number), str(p.year), p.status, p.arxiv or "-", title, api))
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(headers)]
    # the last column is free-width: no padding
    def fmt(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells[:-1], widths[:-1])) + "  " + cells[-1]

    lines = [fmt(headers), fmt(tuple("-" * w for w in widths[:-1]) + ("-" * len(headers[-1]),))]
    lines += [fmt(r) for r in body]
    return "\n".join(lines)


def _cmd_papers(args, out) -> int:
    from . import papers as registry

    rows = registry.papers(args.status)
    if args.json:
        out.write(json.dumps([p.to_dict() for p in rows], indent=2) + "\n")
        return 0
    counts = {s: len(registry.papers(s)) for s in registry.STATUSES}
    if rows:
        out.write(_papers_table(rows) + "\n")
    else:
        out.write(f"No paper has status {args.status!r} yet.\n")
    out.write(
        f"\n{len(rows)} paper(s) shown; overall {counts['done']} done, {counts['partial']} partial, "
        f"{counts['planned']} planned of {len(registry.papers())}. Details: docs/PAPERS.md\n"
    )
    return 0


# ------------------------------------------------------------------------------------------------ demo
def _get(result, name):
    """A field of a result object (dataclass / namedtuple attribute or mapping key)."""
    if isinstance(result, dict):
        return result[name]
    return getattr(result, name)


def _floats(values):
    return [float(v) for v in (values.tolist() if hasattr(values, "tolist") else values)]


def _demo_measures(out, infokit) -> None:
    import numpy as np

    out.write("1. Exact measures\n")
    coin = infokit.entropy([0.5, 0.5], base=2)
    out.write(f"   H(fair coin)                          = {coin:.3f} bits\n")
    xor = np.zeros((2, 2, 2))
    for x in (0, 1):
        for y in (0, 1):
            xor[x, y, x ^ y] = 0.25
    ci = infokit.co_information(xor, base=2)
    out.write(f"   co-information I(X;Y;Z), Z = X xor Y  = {ci:+.3f} bits  (synergy is negative)\n")
    kl = infokit.kl_divergence([0.75, 0.25], [0.5, 0.5], base=2)
    out.write(f"   D(Bern(0.75) || Bern(0.5))            = {kl:.4f} bits\n")


def _unavailable(out, what, names) -> None:
    missing = ", ".join(f"infokit.{n}" for n in names)
    out.write(
        f"   [skipped] {what}: {missing} is not in this version of infokit yet\n"
        "             (it is being implemented; see docs/PAPERS.md)\n"
    )


def _demo_lattice(out, infokit) -> None:
    import numpy as np

    out.write("\n2. Information lattice and perfect reconstruction (paper 31, arXiv 2306.15540)\n")
    if not hasattr(infokit, "reconstruction_condition"):
        _unavailable(out, "the reconstruction condition", ["reconstruction_condition"])
        return
    moduli = (2, 3, 5)
    for size in (30, 60):
        x = np.arange(size)
        p_x = np.full(size, 1.0 / size)
        labels = [x % m for m in moduli]
        res = infokit.reconstruction_condition(p_x, labels, base=2)
        h_x = float(_get(res, "H_X"))
        h_i = _floats(_get(res, "H_i"))
        sum_delta = float(_get(res, "sum_delta"))
        bound = float(_get(res, "bound"))
        ok = bool(_get(res, "necessary_ok"))
        rec = bool(_get(res, "reconstructable"))
        out.write(f"   X uniform on 0..{size - 1}; X_i = X mod 2, 3, 5 (n = {len(moduli)})\n")
        out.write(f"     H(X)                  = {h_x:.3f} bits\n")
        out.write(f"     H(X_i)                = {', '.join(f'{h:.3f}' for h in h_i)} bits "
                  f"(sum {sum(h_i):.3f} bits)\n")
        rel = "<=" if sum_delta <= bound + 1e-9 else ">"
        out.write(f"     sum_i delta(X_i, X)   = {sum_delta:.3f} {rel} n - 1 = {bound:g}   (Rajski distances, "
                  "unitless)\n")
        out.write(f"     necessary condition   : {'holds' if ok else 'fails'}\n")
        out.write(f"     X reconstructable     : {'yes' if rec else 'no'}"
                  f"{' (equality: the residues are independent)' if rec and abs(sum_delta - bound) < 1e-9 else ''}\n")


def _demo_channel(out, infokit) -> None:
    import numpy as np

    out.write("\n3. Channel capacity by Blahut-Arimoto, against the closed forms\n")
    if not hasattr(infokit, "channel_capacity"):
        _unavailable(out, "the channel capacity", ["channel_capacity"])
        return
    eps = 0.11
    # rows: input x, columns: output y; P[x, y] = p(y | x)
    cases = (
        (f"BSC({eps})", np.array([[1 - eps, eps], [eps, 1 - eps]]),
         f"1 - h({eps})", 1.0 - infokit.entropy([eps, 1 - eps], base=2)),  # C = 1 - h(eps) bits
        ("Z-channel(0.5)", np.array([[1.0, 0.0], [0.5, 0.5]]),
         "log2(5/4)", math.log2(1.25)),  # C = log2(1 + (1-p) p^(p/(1-p))) = log2(1.25) bits at p = 1/2
    )
    for name, P, closed_name, closed in cases:
        res = infokit.channel_capacity(P, base=2)
        cap = float(_get(res, "capacity"))
        iters = int(_get(res, "iterations"))
        gap = float(_get(res, "gap"))
        out.write(f"   {name}: p(y|x) = {P.tolist()}\n")
        out.write(f"     capacity (Blahut-Arimoto) = {cap:.6f} bits per channel use "
                  f"({iters} iteration{'' if iters == 1 else 's'}, certified gap {gap:.1e} bits)\n")
        out.write(f"     {(closed_name + ' (closed form)').ljust(25)} = {closed:.6f} bits per channel use\n")
        out.write(f"     {'|difference|'.ljust(25)} = {abs(cap - closed):.1e} bits\n")


def _cmd_demo(args, out) -> int:
    import infokit

    if not getattr(args, "measures", False):
        out.write(f"infokit {infokit.__version__} demo: an information report of scikit-learn's breast-cancer data "
                  "(569 rows, 30 features) with respect to the diagnosis\n\n")
        rc = _cmd_report(args, out, demo=True)
        out.write(f"\nOpen {os.path.join(args.out, 'report.html')} in a browser. More: `infokit report --help`, "
                  "`infokit demo --measures` (exact measures with units), `infokit papers`.\n")
        return rc
    out.write(f"infokit {infokit.__version__} demo: exact information measures, units after every number\n\n")
    _demo_measures(out, infokit)
    _demo_lattice(out, infokit)
    _demo_channel(out, infokit)
    out.write("\nMore: `infokit papers` (the reading list), docs/measures.md (the user guide).\n")
    return 0


# ------------------------------------------------------------------------------------------------ entry point
def main(argv=None) -> int:
    """Run the ``infokit`` command line with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments, without the program name.

    Returns
    -------
    int
        0 on success, 1 when a computation fails, 2 on a bad argument.
    """
    from . import __version__
    from .exceptions import InfokitError

    parser = _build_parser(__version__)
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help / --version print and exit 0
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if args.command is None:
        print(f"{_PROG}: error: a command is required: papers, demo, report, entropy or mi "
              f"(see `{_PROG} --help`)", file=sys.stderr)
        return 2
    out = sys.stdout
    try:
        if args.command == "papers":
            return _cmd_papers(args, out)
        if args.command == "report":
            return _cmd_report(args, out)
        if args.command == "entropy":
            return _cmd_entropy(args, out)
        if args.command == "mi":
            return _cmd_mi(args, out)
        return _cmd_demo(args, out)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except InfokitError as exc:
        print(f"{_PROG}: error: {textwrap.shorten(str(exc), 1000)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{_PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `infokit papers | head`: stop quietly, and keep the interpreter's final flush quiet
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # stdout without a file descriptor (captured)
            pass
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
