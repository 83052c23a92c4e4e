# Two commands matter: `make run` and `make test`. Everything else is what they stand on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format typecheck migrate migration bench bench-broadcast clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mentorbot run

# Line coverage is measured on every full run; pyproject.toml holds the floor.
# CI's later passes (PostgreSQL, a moved clock) pass PYTEST_ARGS=--no-cov.
test: $(STAMP)
	$(BIN)/pytest -q --cov --cov-report= $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(STAMP)
	$(BIN)/mentorbot migrate

# After changing a model: write the next migration under models/migrations/.
migration: $(STAMP)
	$(BIN)/tortoise -c bot.database.SCHEMA makemigrations

bench: $(STAMP)
	$(BIN)/python bench/updates.py

bench-broadcast: $(STAMP)
	$(BIN)/python bench/broadcast.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .coverage .import_linter_cache

messages: $(STAMP)
	$(BIN)/python -m bot.catalogues
