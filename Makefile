# Vragenbot Metaal. `make help` lists the targets; `make run` and `make test` are the two
# a newcomer needs. Each target installs or trains what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/vragenbot.tar.gz
INSTALLED := $(VENV)/.installed-$(shell cat requirements.lock bot/web/package-lock.json | cksum | cut -d' ' -f1)

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)
export RASA_PORT ?= 5005
export ACTION_PORT ?= 5055

KNOWLEDGE := $(wildcard bot/knowledge/*.yml) $(wildcard bot/knowledge/*.py) tools/generate.py bot/text.py
GENERATED := data/generated/faq_responses.yml
TRAINING_INPUTS := config.yml domain.yml $(wildcard data/*.yml) $(wildcard data/nlu/*.yml) $(wildcard bot/nlu/*.py) bot/settings.py \
  bot/knowledge/reader.py bot/knowledge/faq.py bot/knowledge/lookup_intents.py $(GENERATED)

.PHONY: help install generate train run run-scaled serve chat forget report staff-account test test-unit validate eval eval-diet tune bench lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(INSTALLED) ## Create .venv (Python 3.10) and install the pinned packages

$(INSTALLED): requirements.lock bot/web/package-lock.json
	@python=$$(scripts/find-python310) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; $$python -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@# The web chat's socket.io client (served locally; without it the page falls back to REST).
	@if command -v npm >/dev/null; then npm ci --prefix bot/web --no-audit --no-fund --loglevel=error; \
	  else echo "npm not found: the web chat will use REST instead of socket.io" >&2; fi
	@rm -f $(VENV)/.installed-*; touch $@

generate: $(INSTALLED) ## Regenerate NLU lookups and FAQ responses from bot/knowledge
	$(PY) -m tools.generate

$(GENERATED) &: $(KNOWLEDGE) $(INSTALLED)
	$(PY) -m tools.generate

train: $(MODEL) ## Train the model (only when config, domain or data changed)

$(MODEL): $(INSTALLED) $(TRAINING_INPUTS)
	@mkdir -p var; started=$$(date +%s); \
	  $(RASA) train --fixed-model-name vragenbot --out models && \
	  echo $$(( $$(date +%s) - started )) > var/train_seconds
	@touch $@

run: $(MODEL) ## Start the assistant (action server + Rasa server); Ctrl-C stops both
	scripts/serve --banner

run-scaled: $(MODEL) ## Scale-out: PostgreSQL, Redis, 2 Rasa processes behind nginx (installs the packages)
	scripts/run-scaled

serve: $(MODEL) ## Start both servers in the foreground, no banner (for scripts)
	scripts/serve

chat: $(MODEL) ## Talk to the assistant in the terminal
	scripts/serve --shell

forget: $(INSTALLED) ## Delete conversations idle for longer than retention_days (AVG; run daily)
	$(PY) -m bot.store.retention --endpoints $${ENDPOINTS:-endpoints.yml}

report: $(INSTALLED) ## What was asked and missed: reports/gebruik.html (--since/--until: see bot/report.py)
	$(PY) -m bot.report --endpoints $${ENDPOINTS:-endpoints.yml} $(REPORT_ARGS)

staff-account: $(INSTALLED) ## Add a console account: make staff-account STAFF_USER=jansen STAFF_NAME="Mw. Jansen" (asks the password)
	@if [ -z "$$STAFF_USER" ] || [ -z "$$STAFF_NAME" ]; then \
	  echo 'Usage: make staff-account STAFF_USER=<username> STAFF_NAME="<display name>"' >&2; exit 2; fi
	$(PY) -m bot.handover.accounts --endpoints $${ENDPOINTS:-endpoints.yml} add "$$STAFF_USER" "$$STAFF_NAME"

validate: $(INSTALLED) ## Check answers, sources and example questions (file, line, what to do), then rasa data validate
	$(PY) -m bot.content_check
	$(MAKE) --no-print-directory $(GENERATED)
	$(RASA) data validate

test-unit: $(INSTALLED) ## The tests that need no model and no server (about a minute)
	$(PY) -m pytest -m "not slow"

# Tests that keep one core busy for minutes and use none of the shared servers (tuning,
# evaluation, benchmark, the scale-out profile, property tests, `rasa test`) run beside the
# rest, on the second core, in a process group of their own that stops with the recipe
# (Ctrl-C too); their report follows the rest's. A new test file runs with the rest.
TESTS_BESIDE := tests/tools tests/scaled tests/bot/test_masking_properties.py tests/conversations/test_rasa_stories.py \
  tests/bot/nlu/test_nlp.py tests/bot/test_content_check.py

test: $(INSTALLED) ## Run every test (trains a model first when needed)
	scripts/install-test-tools
	$(MAKE) --no-print-directory $(MODEL)
	@mkdir -p var; \
	  setsid $(PY) -m pytest -p no:cacheprovider $(TESTS_BESIDE) > var/tests-beside.log 2>&1 & beside=$$!; \
	  trap 'kill -TERM -- -$$beside 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	  $(PY) -m pytest $(addprefix --ignore=,$(TESTS_BESIDE)); rest=$$?; \
	  wait $$beside; tools=$$?; \
	  echo; echo "=== $(TESTS_BESIDE), run beside the rest (var/tests-beside.log) ==="; cat var/tests-beside.log; \
	  if [ $$rest -ne 0 ]; then exit $$rest; fi; exit $$tools

eval: $(MODEL) ## Held-out figures and 3-fold cross-validation: light NLU, old DIET pipeline, TF-IDF baseline
	$(PY) -m tools.evaluation

eval-diet: $(INSTALLED) ## Train and measure the old DIET pipeline for `make eval` (≈15 min; CROSSVAL=1: +30 min)
	$(PY) -m tools.diet $(if $(CROSSVAL),--crossval)

tune: $(INSTALLED) ## Choose classifier settings and thresholds by cross-validation (reports/tune.md, ≈5 min)
	$(PY) -m tools.tune

bench: $(MODEL) ## Latency, throughput, start-up and memory over REST (writes reports/bench.json)
	$(PY) -m tools.bench

lock: ## Re-pin requirements.lock from the current .venv
	(echo "# Every package pinned (pip freeze of a working .venv, Python 3.10). Regenerate: make lock"; \
	  $(PY) -m pip freeze --exclude-editable) > requirements.lock

clean: ## Remove trained models and run-time files (keeps .venv)
	rm -rf models var reports results
