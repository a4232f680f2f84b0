# The two commands a new user needs: `make run` and `make test` (and `make run-cluster` for a lecture hall).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
SHARDS ?= 2

.PHONY: run run-cluster test test-js bench clean

$(PY):
	@echo "Creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	@echo "Installing Backprop Playground and its dependencies into $(VENV) (about a minute, once)"
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	@echo "Installing Backprop Playground with its test tools into $(VENV) (a minute or two, once)"
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(PY) -m app --host $(HOST) --port $(PORT)

run-cluster: $(VENV)/.installed  # SHARDS server processes behind nginx on PORT (docs/scaling.md)
	$(PY) deploy/cluster.py --shards $(SHARDS) --port $(PORT) --host $(HOST)

test: test-js $(VENV)/.installed-test
	$(PY) -m pytest -q

test-js:  # the page's pure modules, on Node's built-in test runner
	node --test tests/js/

bench: $(VENV)/.installed-test
	$(PY) bench/engine.py
	$(PY) bench/server.py
	$(PY) bench/browser.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
