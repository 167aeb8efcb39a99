# Stowage web app. `make serve` and `make test` install what is missing first (scripts/setup.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Tools: cargo's bin dir, then binaryen's wasm-opt from e2e/node_modules (Trunk looks it up on PATH).
export PATH := $(CURDIR)/e2e/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: help setup build serve test lint test-native test-browser test-e2e bench bench-engine screenshot fidelity fuzz

help:
	@echo "make serve      build the release and serve it on http://127.0.0.1:8080"
	@echo "make test       format, lints, native tests, browser tests, end-to-end tests"
	@echo "make bench      transfer size, time to a usable command line, Enter → DOM update; engine timings"
	@echo "make screenshot refresh docs/screenshot.png from the e2e run"
	@echo "make fidelity   replay the reference transcripts (scripts/fidelity.sh)"
	@echo "make fuzz       a million mutated command lines through the engine; reports any panic (FUZZ_LINES, FUZZ_SEED)"

setup:
	@scripts/setup.sh

build: setup
	trunk build --release

serve: setup
	trunk serve --release

test: setup lint test-native fidelity test-browser test-e2e

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p stowage --all-targets -- -D warnings

test-native:
	cargo test --workspace

# Component tests in headless Chromium (runner and webdriver.json: .cargo/config.toml, ./webdriver.json).
test-browser:
	cargo test --target wasm32-unknown-unknown -p stowage

# The release build, served from dist/ by e2e/serve.mjs; screenshots go to artifacts/.
test-e2e: build
	node --test e2e/*.test.mjs

# The web app's budgets in headless Chromium, then the engine's own benchmark.
bench: build bench-engine
	node e2e/bench.mjs

bench-engine:
	cargo run --release -q -p stowage-cli --bin stowage-bench

screenshot: test-e2e
	cp artifacts/scenario-postgres.png docs/screenshot.png
	mkdir -p docs/moments && cp artifacts/moment-*.png docs/moments/

# Replays the 14 reference transcripts recorded on real Docker and scores them (fails below 99%).
fidelity:
	bash scripts/fidelity.sh

# The no-panic campaign at scale (not in CI; `make test` runs 20,000 lines of it).
FUZZ_LINES ?= 1000000
FUZZ_SEED ?= 1
fuzz:
	cargo run --profile fuzz -q -p stowage-fuzz -- --lines $(FUZZ_LINES) --seed $(FUZZ_SEED)
