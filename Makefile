# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTION_ROOT := build/collections
COLLECTION_DIR := $(COLLECTION_ROOT)/ansible_collections/genesys/cloud
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: venv demo demo-events java bench-eda test pytest sanity lint docs-lint changelog-lint changelog-release build release docs chromium test-matrix matrix-constraints bench bench-org bench-pool bench-datatable constraints clean emulator

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt constraints.txt emulator/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e ./emulator
	touch $@

demo: venv
	$(BIN)/python scripts/demo.py

# Event-Driven Ansible on one machine: a change made by another client reaches a rule (docs/event_driven.md).
demo-events: venv java
	$(BIN)/python scripts/demo_events.py

# ansible-rulebook (pinned in requirements-dev.txt) runs on Java 17: Debian's openjdk-17-jre-headless, installed
# only where no java is found (CI runs as root on a clean Debian).
java:
	@command -v java >/dev/null || test -n "$$JAVA_HOME" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }

EMULATOR_PORT ?= 8642
emulator: venv
	$(BIN)/python -m genesys_emulator --port $(EMULATOR_PORT) --client-id demo-client --client-secret demo-secret

test: venv pytest sanity lint docs-lint changelog-lint
	@echo "make test: all checks passed"

pytest: venv chromium java
	$(BIN)/python -m pytest

# The docs site (build/docs/html): module, role and plugin reference plus the guides, built offline.
docs: venv
	$(BIN)/python scripts/build_docs.py

# Debian's chromium, for the docs-site browser test (tests/docs); CI runs as root on a clean Debian.
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends chromium; }

# ansible-test wants a real ansible_collections/genesys/cloud tree; it checks what we ship.
sanity: venv
	$(BIN)/python scripts/run_ansible_test.py sanity

lint: venv
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/$(COLLECTION_ROOT) $(BIN)/python scripts/collection_link.py $(COLLECTION_ROOT)
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/$(COLLECTION_ROOT) $(BIN)/ansible-lint --offline --profile production

docs-lint: venv
	$(BIN)/python scripts/collection_link.py $(COLLECTION_ROOT)
	cd $(COLLECTION_DIR) && $(CURDIR)/$(BIN)/antsibull-docs lint-collection-docs --plugin-docs .

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

# (Re)write the changelog entry of galaxy.yml's version from every unreleased fragment (scripts/release.py).
changelog-release: venv
	$(BIN)/python scripts/collection_link.py $(COLLECTION_ROOT) >/dev/null
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/$(COLLECTION_ROOT) $(BIN)/python scripts/release.py --changelog

build: venv
	$(BIN)/ansible-galaxy collection build --force --output-path build/

# The release tarball (galaxy.yml's version, released in changelogs/ with antsibull-changelog), checked:
# contents and galaxy-importer (offline, in build/importer-venv). See docs/developing.md.
release: venv
	tarball=$$($(BIN)/python scripts/release.py build/release) && \
	  RELEASE_TARBALL=$$tarball $(BIN)/python -m pytest tests/release -n 0 && echo "release: $$tarball"

# Every supported ansible-core minor release (tests/matrix/constraints-<version>.txt), each in its own
# venv under build/matrix/: ansible-test sanity plus the tests marked `matrix`. See docs/developing.md.
test-matrix: venv
	$(BIN)/python scripts/test_matrix.py

# Regenerate tests/matrix/constraints-*.txt (newest patch release of each minor; 2.20+ on Python >= 3.12).
# A new minor release: create an empty tests/matrix/constraints-<version>.txt first.
matrix-constraints:
	$(PYTHON) scripts/test_matrix.py --freeze

bench: venv
	$(BIN)/python bench/records_bench.py --write docs/benchmark.md

# genesys.cloud.webhook_events: signed deliveries accepted per second and memory after 100,000 (docs/benchmark.md).
BENCH_EDA_ARGS ?= --deliveries 100000 --write docs/benchmark.md
bench-eda: venv java
	$(BIN)/python bench/eda_bench.py $(BENCH_EDA_ARGS)

BENCH_ORG_ARGS ?= --write docs/benchmark.md
bench-org: venv
	$(BIN)/python bench/org_bench.py $(BENCH_ORG_ARGS)

# Pools of 1, 4 and 8 tokens at the real limit (issue 29); about 30 minutes, most of it the pool of 1.
BENCH_POOL_ARGS ?= --log build/pool-bench.jsonl --write docs/benchmark.md
bench-pool: venv
	$(BIN)/python bench/pool_bench.py $(BENCH_POOL_ARGS)

BENCH_DATATABLE_ARGS ?= --write docs/benchmark.md
bench-datatable: venv
	$(BIN)/python bench/datatable_bench.py $(BENCH_DATATABLE_ARGS)

constraints:
	rm -rf build/constraints-venv && $(PYTHON) -m venv build/constraints-venv
	build/constraints-venv/bin/pip install --quiet -r requirements-dev.txt
	(echo "# Exact versions of everything requirements-dev.txt installs (generated by 'make constraints')."; \
	 build/constraints-venv/bin/pip freeze | grep -v '^-e') > constraints.txt

clean:
	rm -rf build collections tests/output .pytest_cache
