#!/usr/bin/env bash
# Installs what the test suite needs beyond Rust: Chromium and its driver and poppler (Debian),
# axe-core (npm), and checks that PostgreSQL answers. Safe to run again; does nothing when all is there.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
# The PDF checks read the text back and render a page (pdftotext, pdftoppm).
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: please install ${need[*]} (apt-get install ${need[*]})" >&2
    exit 1
  fi
  echo "install-test-deps: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# axe-core (npm), which the browser tests run on the key pages for accessibility faults.
axe_version="4.10.3"
axe="$(dirname "$0")/../target/axe/axe.min.js"
if [ ! -f "$axe" ]; then
  echo "install-test-deps: fetching axe-core $axe_version" >&2
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "axe-core@$axe_version" >/dev/null && tar -xzf "axe-core-$axe_version.tgz" package/axe.min.js)
  mkdir -p "$(dirname "$axe")"
  cp "$tmp/package/axe.min.js" "$axe"
  rm -rf "$tmp"
fi

if ! command -v cargo-nextest >/dev/null 2>&1; then
  echo "install-test-deps: installing cargo-nextest" >&2
  cargo install --locked cargo-nextest >/dev/null
fi

# PostgreSQL: the tests create their own databases on DATABASE_URL (default below).
url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -d "$url"; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "install-test-deps: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
