# Two commands on a fresh machine: `make run` and `make test`; each makes .venv when missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test example moto-suite lint bench clean spec-check

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,lint]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/stream-sqs-emulator run

test: $(STAMP)
	$(BIN)/pytest -n 2 -q
	$(MAKE) example
	$(MAKE) moto-suite

# moto's own SQS and model-data tests with the emulator's speed-ups installed.
moto-suite: $(STAMP)
	$(BIN)/python scripts/moto_suite.py -n 2

# The wheel as users get it, in a fresh virtualenv with examples/downstream, whose tests use
# only the plugin's fixtures. pip's cache keeps the dependency downloads to the first run.
EXAMPLE_DIR := build/example
EXAMPLE_VENV := $(EXAMPLE_DIR)/venv
example: $(STAMP)
	rm -rf $(EXAMPLE_DIR) build/lib build/bdist.*  # stale build/lib files would enter the wheel
	$(BIN)/python -m pip wheel -q --no-deps -w $(EXAMPLE_DIR)/dist .
	$(BIN)/python examples/check_wheel.py $(EXAMPLE_DIR)/dist/stream_sqs_emulator-*.whl
	$(PYTHON) -m venv $(EXAMPLE_VENV)
	$(EXAMPLE_VENV)/bin/python -m pip install -q --disable-pip-version-check \
		$(EXAMPLE_DIR)/dist/stream_sqs_emulator-*.whl "./examples/downstream[test]" \
		"./examples/chat-app[test]" "./examples/lambda-consumer[test]"
	cd $(EXAMPLE_DIR) && venv/bin/python $(CURDIR)/examples/check_wheel.py --installed
	cd examples/downstream && $(CURDIR)/$(EXAMPLE_VENV)/bin/python -m pytest -n 2 -q
	cd examples/chat-app && $(CURDIR)/$(EXAMPLE_VENV)/bin/python -m pytest -n 2 -q
	cd examples/lambda-consumer && $(CURDIR)/$(EXAMPLE_VENV)/bin/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check emulator tests benchmarks scripts examples

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[bench]"
	$(BIN)/python -m benchmarks.run_all

# Our schemas and payloads against Stream's OpenAPI spec (proprietary: never in the repo, never
# downloaded). SPEC_V1 = a copy of GetStream/protocol's openapi/chat-openapi.json, SPEC_V2 = of
# openapi/v2/chat-serverside-api.json. The test tests/contract/test_spec.py reads the same files
# from STREAM_SPEC_V1 / STREAM_SPEC_V2.
spec-check: $(STAMP)
	@test -n "$(SPEC_V1)$(SPEC_V2)" || { echo "usage: make spec-check SPEC_V1=.../chat-openapi.json SPEC_V2=.../v2/chat-serverside-api.json (copies of GetStream/protocol's openapi/ files)" >&2; exit 2; }
	$(BIN)/python scripts/spec_check.py -v $(if $(SPEC_V1),--v1 "$(SPEC_V1)") $(if $(SPEC_V2),--v2 "$(SPEC_V2)")

clean:
	rm -rf $(VENV) build *.egg-info
