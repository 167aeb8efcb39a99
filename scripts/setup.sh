#!/usr/bin/env bash
# Installs what building and testing the web app needs, only where it is missing.
# Safe to run again: every step checks first. Versions are pinned (see README).
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

say() { printf '[setup] %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

export PATH="$HOME/.cargo/bin:$PATH"

# 1. The wasm32 target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. Trunk (builds and bundles the app).
if ! { have trunk && trunk --version 2>/dev/null | grep -q " ${TRUNK_VERSION}\$"; }; then
  say "installing trunk ${TRUNK_VERSION} (takes several minutes)"
  cargo install --locked trunk --version "${TRUNK_VERSION}"
fi

# 3. wasm-bindgen CLI, same version as the crate pinned in Cargo.toml (also gives
#    wasm-bindgen-test-runner). Not --locked: its lockfile does not build on this toolchain.
if ! { have wasm-bindgen && wasm-bindgen --version 2>/dev/null | grep -q " ${WASM_BINDGEN_VERSION}\$" \
       && have wasm-bindgen-test-runner; }; then
  say "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION}"
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" --force
fi

# 4. Chromium and its WebDriver, from Debian (browser tests and end-to-end tests).
if ! { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }; then
  say "installing chromium and chromium-driver"
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y --no-install-recommends chromium chromium-driver
fi

# 5. Node packages (playwright-core, binaryen's wasm-opt) from the committed lockfile.
stamp=e2e/node_modules/.lock-sha256
want=$(sha256sum e2e/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing node packages (npm ci)"
  (cd e2e && npm ci --no-audit --no-fund)
  echo "$want" > "$stamp"
fi
say "tools ready"
