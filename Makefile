# paquet: two commands set up a fresh machine. `make run` (the main job) and `make test` (the suite).
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint typecheck system clean

# System packages (apt, when root): lab and reference tools. Idempotent, quiet when all is there.
system:
	@bash scripts/system-deps

$(STAMP): pyproject.toml setup.py src/paquet/layers/_quick.c src/paquet/packet/_fastcall.c \
		src/paquet/frame/_columns.c src/paquet/probe/_burst.c
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

run: system $(STAMP)
	$(VENV)/bin/paquet demo

test: system $(STAMP)
	$(PY) -m ruff check src tests benchmarks scripts
	$(PY) -m mypy --strict
	$(PY) -m pytest

bench: system $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info src/paquet/layers/*.so .mypy_cache .pytest_cache .ruff_cache
