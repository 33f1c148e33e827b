# ScriptForge: `make lab` to use it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the tests need: a Docker Engine, a PostgreSQL server, a browser, busybox
# for the tiny image the Docker smoke test builds from scratch, debootstrap for the Debian
# base of the interpreter images (no container registry needed), bubblewrap, the local
# runner's sandbox, and GNU time, which the first-run tests hide to show it is not needed.
SYSTEM_PACKAGES := docker.io postgresql chromium busybox-static debootstrap bubblewrap time
# Installed once per checkout; delete the stamp (or `make clean`) to reinstall.
STAMP := $(VENV)/.installed
# python-lsp-server for every interpreter of this machine, installed by uv as the server
# does on first use; uv's cache then holds what the tests install again offline.
LSP_TOOLS := .cache/language-tools/.installed

.PHONY: help lab lab-deps hub test test-python test-browser lint format bench system-deps images clean

help:
	@echo "make lab     - install everything into .venv and start JupyterLab with ScriptForge on"
	@echo "               the workspace WORKSPACE (default ~/scriptforge)"
	@echo "make hub     - (root) ScriptForge for a team: JupyterHub on 127.0.0.1:8000, a container"
	@echo "               per user, the ScriptForge service, PostgreSQL; prints the logins"
	@echo "make test    - install what the tests need and run lint plus the whole suite"
	@echo "make lint    - ruff, mypy, eslint, prettier"
	@echo "make format  - apply ruff format, prettier and eslint fixes"
	@echo "make bench   - run the benchmarks in tests/bench"

$(STAMP): pyproject.toml package.json yarn.lock
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "ScriptForge needs Python >= 3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# A reinstall must not write through the development symlink into the build output.
	rm -f $(VENV)/share/jupyter/labextensions/jupyter-scriptforge jupyter_scriptforge/labextension/install.json
	# Nor build over an older layout's output: a stale lib/x.js would shadow a new x/ folder.
	rm -rf labextension/lib tsconfig.tsbuildinfo
	# The build hook installs the JS dependencies with jlpm and builds the lab extension.
	$(BIN)/pip install --quiet -e ".[test,dev]"
	# Serve the lab extension from this checkout, so `jlpm build` is enough after a change.
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jupyter-builder develop --overwrite .
	touch $@

# Jupyter refuses to run as root unless told; a container or a fresh VM often is root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

# The lab serves the user's workspace, not this checkout: its file browser opens on their
# scripts (ScriptForge keeps them under scripts/ there). Created on first start; any folder
# will do: `make lab WORKSPACE=~/work`. LAB_ARGS go to `jupyter lab` as they are.
WORKSPACE ?= $(HOME)/scriptforge
# Settings overrides of this lab alone (no "Would you like to get notified about official
# Jupyter news?" prompt), read by JupyterLab from labconfig/ of each Jupyter config path.
LAB_CONFIG := $(CURDIR)/jupyter-config/lab

# The local runner's sandbox: root installs bubblewrap when it is missing; anyone else gets
# the plain process mode, and the Server section of the Scripts panel says what to install.
lab-deps:
	@if ! command -v bwrap >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "apt-get install bubblewrap (the local runner's sandbox)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends bubblewrap; } \
	  || echo "bubblewrap could not be installed: runs use the plain process mode"; \
	fi

# litellm (under Jupyter AI) would fetch its model price list from the internet at import.
lab: lab-deps $(STAMP)
	mkdir -p "$(WORKSPACE)"
	export LITELLM_LOCAL_MODEL_COST_MAP=True \
	  JUPYTER_CONFIG_PATH="$(LAB_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}"; \
	exec $(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir="$(WORKSPACE)" $(LAB_ARGS)

# apt-get only when something is missing and we may install it.
system-deps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "Not root, so not installing:$$missing (their tests will skip locally)"; exit 0; \
	fi; \
	echo "apt-get install$$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing

# The Docker runner's interpreter images (images/build.sh) and team mode's lab images, one
# per interpreter image (images/lab.sh); quick when they exist. If no Docker Engine answers,
# root starts one like tests/services.py does, and stops it after.
images: system-deps $(STAMP)
	@if docker info >/dev/null 2>&1; then images/build.sh && exec images/lab.sh; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v dockerd >/dev/null; then \
	  echo "No Docker Engine answers, so not building the images (their tests will skip)"; exit 0; \
	fi; \
	log=$$(mktemp); \
	dockerd --bridge=none --iptables=false --ip6tables=false >"$$log" 2>&1 & pid=$$!; \
	trap 'kill $$pid; wait $$pid; rm -f "$$log"' EXIT; \
	for i in $$(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done; \
	docker info >/dev/null 2>&1 || { tail -n 20 "$$log"; echo "dockerd does not answer"; exit 1; }; \
	images/build.sh && images/lab.sh

# A team on this machine (root): the hub, its proxy, the ScriptForge service and a container
# per user. A Docker Engine is started if none answers and stays up while the hub runs.
hub: system-deps images $(LSP_TOOLS)
	@docker info >/dev/null 2>&1 || { \
	  echo "starting dockerd (no bridge, no iptables)"; \
	  (dockerd --bridge=none --iptables=false --ip6tables=false >.hub-dockerd.log 2>&1 &); \
	  for i in $$(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done; }
	export LITELLM_LOCAL_MODEL_COST_MAP=True; exec $(BIN)/python hub_config/quickstart.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jlpm run lint:check

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jlpm run lint

$(LSP_TOOLS): $(STAMP) jupyter_scriptforge/lsp/tools.py $(wildcard jupyter_scriptforge/lsp/pylsp_plugin/*)
	UV_CACHE_DIR="$(CURDIR)/.cache/uv" $(BIN)/python -m jupyter_scriptforge.lsp.tools install-all .cache/language-tools
	touch $@

test: system-deps images $(STAMP) $(LSP_TOOLS) lint
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jlpm run test:unit
	$(BIN)/pytest

bench: $(STAMP) $(LSP_TOOLS)
	$(BIN)/pytest tests/bench -p no:cacheprovider -s -q --no-header -o addopts="" -o python_files="bench_*.py"

clean:
	rm -rf $(VENV) node_modules labextension/lib jupyter_scriptforge/labextension tsconfig.tsbuildinfo
