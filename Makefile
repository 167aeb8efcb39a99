# Stowage: `make serve` runs the app, `make test` runs every test. Both install what is missing.
SHELL := /bin/bash

.PHONY: test lint native fidelity

test: lint native fidelity

lint:
	cargo fmt -p stowage-engine -p stowage-cli -p stowage-template --check
	cargo clippy -p stowage-engine -p stowage-cli -p stowage-template --all-targets -- -D warnings

native:
	cargo test -p stowage-engine -p stowage-cli -p stowage-template

fidelity:
	scripts/fidelity.sh


.PHONY: bench
bench:
	cargo run --release -p stowage-cli --bin stowage-bench
