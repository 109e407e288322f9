# Developer / CI shortcuts; everything is implemented in scripts/devenv.py.
PYTHON ?= python3
DEVENV := $(PYTHON) scripts/devenv.py
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup run test lint wheel bench

help: ## show this help
	@echo "Targets:"
	@awk -F ':.*## ' '/^[a-z]+:.*## / { printf "  make %-6s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo ""
	@echo "  make test ARGS=\"-k foo\"   extra arguments for pytest"
	@echo "  make run ARGS=\"-u shouwen_responsibility\"   extra arguments for odoo"
	@echo "  make bench ARGS=\"--matters 100000\"   knobs: make bench ARGS=--help"

setup: ## install/check Odoo 18, python tools, chromium, PostgreSQL; write .local/odoo.conf
	$(DEVENV) setup

run: ## create the demo database shouwen_demo (once) and serve it on http://127.0.0.1:8069
	$(DEVENV) run $(ARGS)

test: ## fresh database shouwen_test, install the addon, run pytest (skips count as failures)
	$(DEVENV) test $(ARGS)

lint: ## ruff, pylint-odoo and OCA's pre-commit checks (XML, CSV, manifest, po)
	$(DEVENV) lint

wheel: ## build the addon's wheel (whool) into .local/dist/ for pip install
	$(DEVENV) wheel

bench: ## performance at provincial scale vs OCA helpdesk, own db shouwen_bench (long)
	$(DEVENV) bench $(ARGS)
