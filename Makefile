# The README's commands. Each target creates (or reuses) the virtual environment it needs.
#   make demo   set up the core package and run a policy comparison on the default school
#   make test   set up everything and run every test (model, data, sweeps, browser, notebooks)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
CORE_STAMP := $(VENV)/.core-stamp
STAMP := $(VENV)/.installed-stamp
VENV312 ?= .venv-py312
EXTRAS := test,dashboard,notebooks,distributed,discovery

.PHONY: setup demo test lint test-main test-py312 test-py312-alongside browser-setup dashboard docs benchmark validation clean

# The demo needs only the simulation itself (no browser, notebook or cluster packages).
$(CORE_STAMP): pyproject.toml
	@echo "Setting up $(VENV) with the simulation's packages (about a minute the first time)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e .
	@touch $(CORE_STAMP)

$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) with everything the tests, dashboard and notebooks need" \
	    "(a few minutes the first time)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	@touch $(CORE_STAMP) $(STAMP)

setup: $(STAMP)

demo: $(CORE_STAMP)
	$(VENV)/bin/inclusion-sim compare scenarios/default_elementary.toml \
	    --policies pull_out push_in push_in_collaborative hybrid_parallel hybrid --replicates 10 \
	    --out results/demo
	@echo "Results: results/demo/ (comparison.png, weekly.png; paired, runs, weekly and doses as CSV" \
	    "and Parquet, described in data_dictionary.csv)"

browser-setup: $(STAMP)
	sh scripts/setup_browser_tests.sh $(PY)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks scripts notebooks

# The main suite runs on one core most of the time, so the second Python's model tests run beside
# it; their output is kept in a log and printed when they finish, so the two do not interleave.
test: lint browser-setup
	@$(MAKE) --no-print-directory -j2 test-main test-py312-alongside

test-py312-alongside:
	@mkdir -p test-artifacts
	@echo "The model tests under Python 3.12 run alongside; their output follows when they finish."
	@$(MAKE) --no-print-directory test-py312 > test-artifacts/py312.log 2>&1; rc=$$?; \
	    echo "---- model tests under Python 3.12 (test-artifacts/py312.log) ----"; \
	    cat test-artifacts/py312.log; exit $$rc

# The notebooks run in a pytest process of their own: their kernels then inherit nothing that
# earlier tests left in the test process's environment (a notebook kernel once hung there).
test-main: $(STAMP)
	@rc=0; $(PY) -m pytest --ignore=tests/notebooks || rc=$$?; \
	    $(PY) -m pytest tests/notebooks || rc=$$?; exit $$rc

# The model tests again under Python 3.12, where pip resolves Mesa 3.5 (3.11 gets Mesa 3.3).
test-py312:
	@py312=$$(sh scripts/find_python.sh 3.12); \
	if [ -z "$$py312" ]; then \
	    echo "python3.12 not found on this machine: skipping the model tests under Python 3.12 / Mesa 3.5"; \
	else \
	    [ -x $(VENV312)/bin/python ] || $$py312 -m venv $(VENV312); \
	    $(VENV312)/bin/python -m pip install --quiet --upgrade pip; \
	    $(VENV312)/bin/python -m pip install --quiet -e . pytest hypothesis; \
	    echo "model tests under $$($(VENV312)/bin/python --version), mesa $$($(VENV312)/bin/python -c 'import mesa; print(mesa.__version__)')"; \
	    $(VENV312)/bin/python -m pytest -m model -p no:cacheprovider tests/model; \
	fi

dashboard: $(STAMP)
	$(PY) scripts/stage_solara_assets.py
	$(VENV)/bin/inclusion-sim dashboard $(if $(PORT),--port $(PORT))

docs: $(STAMP)
	$(PY) scripts/generate_docs.py

validation: $(STAMP)
	$(PY) scripts/validation.py

benchmark: $(STAMP)
	$(PY) benchmarks/bench_model.py

clean:
	rm -rf $(VENV) $(VENV312) results test-artifacts
