# Every entry point of the project. `make demo` and `make test` work on a fresh clone: they
# create .venv, .venv-ministack and node_modules themselves (offline-capable: PyPI and npm only).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MINISTACK_VENV := .venv-ministack
AWSCLI_VENV := .venv-awscli
CDK := npx --no-install cdk

# jsii prints a large end-of-life banner on Node 20 on every synth; the warning is known and tracked.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

.PHONY: help setup lint typecheck test demo local-up local-down bench synth deploy destroy dist package api-doc clean

help:
	@echo "make demo      offline cdk deploy / update / destroy of a pool on the local cloud"
	@echo "make test      lint, type checks and the whole test suite (offline)"
	@echo "make bench     benchmarks; writes bench/RESULTS.md"
	@echo "make local-up  keep the local cloud running (make local-down stops it)"
	@echo "make deploy    cdk deploy to a real AWS account (make destroy removes it)"
	@echo "make dist      the cdk-sms-voice-pool wheel and sdist in dist/"
	@echo "make package   the provider as plain CloudFormation: template + code zip in dist/ (docs/cloudformation.md)"
	@echo "make api-doc   docs/api.md from the package's docstrings"

$(VENV)/.installed: pyproject.toml requirements.txt requirements-dev.txt lambda/pool_provider/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(MINISTACK_VENV)/.installed: localcloud/ministack-requirements.txt
	$(PYTHON) -m venv $(MINISTACK_VENV)
	$(MINISTACK_VENV)/bin/pip install --quiet -r localcloud/ministack-requirements.txt
	touch $@

$(AWSCLI_VENV)/.installed: localcloud/awscli-requirements.txt
	$(PYTHON) -m venv $(AWSCLI_VENV)
	$(AWSCLI_VENV)/bin/pip install --quiet -r localcloud/awscli-requirements.txt
	touch $@

setup: $(VENV)/.installed node_modules/.installed $(MINISTACK_VENV)/.installed $(AWSCLI_VENV)/.installed

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	cd lambda/pool_provider && ../../$(VENV)/bin/mypy --config-file ../../pyproject.toml .
	$(VENV)/bin/mypy app.py hatch_build.py src stacks localcloud
	MYPYPATH=lambda/pool_provider:bench $(VENV)/bin/mypy --explicit-package-bases tests bench

# Most tests wait on the emulator, the local cloud or a retry pause rather than on the CPU, so more
# workers than the 2 cores still shorten the run; a file's tests stay on one worker (shared fixtures).
PYTEST_WORKERS ?= 4

test: setup lint typecheck
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile

demo: setup
	$(PY) -m localcloud.demo

local-up: setup
	$(PY) -m localcloud.cloud up

local-down: $(VENV)/.installed
	$(PY) -m localcloud.cloud down

bench: setup
	$(PY) bench/run.py

synth: $(VENV)/.installed node_modules/.installed
	$(CDK) synth --quiet

# Real AWS account: uses your normal AWS credentials and region. Pools cost money; see README.
deploy: $(VENV)/.installed node_modules/.installed
	$(CDK) deploy --require-approval broadening $(CDK_ARGS)

destroy: $(VENV)/.installed node_modules/.installed
	$(CDK) destroy $(CDK_ARGS)

# The wheel carries the Lambda code pre-bundled (hatch_build.py); built from the sdist, which proves
# the sdist is complete.
dist: $(VENV)/.installed
	rm -rf dist/*.whl dist/*.tar.gz
	$(PY) -m build --outdir dist .

# For CloudFormation users without CDK: the provider template (code location as parameters, no
# bootstrap stack) and its Lambda code zip.
package: $(VENV)/.installed
	$(PY) -m cdk_sms_voice_pool.standalone --outdir dist

# docs/api.md from the package's docstrings (tests/cdk/test_api_reference.py checks it is current).
api-doc: $(VENV)/.installed
	$(PY) -m tests.cdk.api_reference

clean:
	rm -rf cdk.out .localcloud .pytest_cache .mypy_cache .ruff_cache dist build
