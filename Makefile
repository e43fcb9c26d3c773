# The two commands of the README, and a few more for developers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast soak install broker-start broker-stop clean ner-model topic-model

$(BIN)/newsingest: pyproject.toml setup.py services/newsingest/text/_tokens.c services/newsingest/stages/extract/_viterbi.c services/newsingest/stages/extract/_features.c services/newsingest/stages/enrich/_sketch.c
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsingest needs Python 3.11 or newer (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,eval]'
	@touch $@

# Node validators the tests run (AsyncAPI parser, KEDA CRD schema); reinstalled only when the lock file changes.
NODE_CHECKS := tests/node
$(NODE_CHECKS)/node_modules/.package-lock.json: $(NODE_CHECKS)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: the AsyncAPI and KEDA manifest checks will be skipped"; exit 0; }; \
	cd $(NODE_CHECKS) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

install: $(BIN)/newsingest $(NODE_CHECKS)/node_modules/.package-lock.json  ## venv + package + test tools

run: install  ## local broker + three workers + demo articles; Ctrl-C stops everything
	$(BIN)/newsingest up --demo

test: install  ## every test, including those on a real Kafka broker the suite starts itself
	$(BIN)/pytest

test-fast: install  ## unit tests only: no broker, a few seconds
	$(BIN)/pytest -m "not broker"

SOAK_MINUTES ?= 10
soak: install  ## opt-in soak test: real broker, three workers, a steady stream for SOAK_MINUTES; memory and lag figures
	NEWSINGEST_SOAK_MINUTES=$(SOAK_MINUTES) $(BIN)/pytest -m soak -s tests/soak

ner-model: install  ## learn word clusters, then retrain stages/extract/models/ner-{en,ar}.crfsuite from ../shared (~15 min)
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python -m newsingest.devtools.training.word_clusters
	$(BIN)/python -m newsingest.devtools.training.train_ner

topic-model: install  ## retrain stages/enrich/models/topics.npz (BBC, seed lists, self-labelled news in ../shared), then score it
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python -m newsingest.devtools.training.train_topics
	$(BIN)/newsingest eval topics

broker-start: install
	$(BIN)/newsingest broker start

broker-stop: install
	$(BIN)/newsingest broker stop

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info services/*.egg-info $(NODE_CHECKS)/node_modules
