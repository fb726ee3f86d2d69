# The two commands of the README: `make demo` (the main job) and `make test`.
# Each creates or refreshes the virtual environment in .venv and installs what it needs.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SEED := ../shared/seed/run_all.py
JOBS ?= 2
# The number of conformance programs that must pass (README states the rate).
CONFORMANCE_MIN ?= 110

.PHONY: venv demo test tour bench bench-smoke conformance clean

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# The CPU build of torch (on this kind of machine it lies on disk).
	$(PY) -m pip install -q "torch==2.13.0"
	$(PY) -m pip install -q -e ".[test,demo]"
	touch $@

venv: $(VENV)/.installed

demo: venv
	PYTHON=$(PY) bash scripts/get_mnist.sh
	$(PY) examples/mnist_seed.py

tour: venv
	$(PY) examples/tour.py

# Lint and format check, the test suite with line coverage, every docstring example, the TF-tutorial corpus, then
# the seed tutorial's cases. The corpus fails the run when fewer programs pass than the README says.
test: venv
	$(PY) -m ruff check capas tests benchmarks examples conformance scripts
	$(PY) -m ruff format --check capas tests benchmarks examples conformance scripts
	$(PY) -m pytest -q -n $(JOBS) -p no:randomly --cov=capas --cov-report= tests
	$(PY) -m coverage report --skip-covered --sort=cover | tail -n 15
	$(PY) -m pytest -q -p no:randomly --doctest-modules capas
	$(PY) conformance/run.py -j $(JOBS) --min-passed $(CONFORMANCE_MIN)
	@if [ -f $(SEED) ]; then $(PY) $(SEED) -j $(JOBS) --timeout 600; else echo "($(SEED) not found: seed cases skipped)"; fi

bench: venv
	$(PY) -m benchmarks --threads 1 2 --repeats 5 --rss
	$(PY) -m benchmarks.distributed

bench-smoke: venv
	$(PY) -m benchmarks --smoke

# The TF-tutorial corpus against capas (goldens recorded from TensorFlow; see conformance/README.md).
conformance: venv
	$(PY) conformance/run.py -j $(JOBS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
