#!/usr/bin/env bash
# Installs everything ServiceHall needs on a Debian/Ubuntu machine, and nothing twice:
# system packages (fonts-wqy-microhei and Pango for Chinese PDFs, poppler-utils to check them,
# chromium for browser tests), the Python virtualenv, the npm packages, and a local .env with
# fresh keys.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

apt_install() {
  local runner=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then runner=(sudo); else
      echo "Please install as root: apt-get install -y $*" >&2; return 1; fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "No apt-get here: install these packages yourself: $*" >&2; return 1
  fi
  say "Installing system packages: $*"
  "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

system_packages() {
  local missing=()
  # fonts-wqy-microhei: Chinese glyphs in PDFs; Pango and HarfBuzz: WeasyPrint's text layout;
  # poppler-utils: pdftotext, pdffonts and pdftoppm for the tests that read the PDFs.
  local pkg
  for pkg in fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
             poppler-utils; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

find_python() {
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.11 or newer is required." >&2; return 1
}

python_packages() {
  local stamp=.venv/.requirements.sha
  local want; want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-64)
  if [ ! -x .venv/bin/python ]; then
    say "Creating the virtualenv (.venv)"
    "$(find_python)" -m venv .venv
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r requirements-dev.txt
    echo "$want" > "$stamp"
  fi
}

npm_packages() {
  local stamp=node_modules/.lock.sha
  local want; want=$(sha256sum package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-64)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing npm packages"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error
    else npm install --no-audit --no-fund --loglevel=error; fi
    echo "$want" > "$stamp"
  fi
}

local_env() {
  if [ ! -f .env ]; then
    say "Writing .env with fresh development keys"
    .venv/bin/python - <<'PY'
import base64, secrets
with open(".env", "w") as env:
    env.write("DJANGO_DEBUG=true\n")
    env.write(f"SECRET_KEY={secrets.token_urlsafe(50)}\n")
    env.write(f"PII_KEY={base64.b64encode(secrets.token_bytes(32)).decode()}\n")
PY
  fi
}

system_packages
python_packages
npm_packages
local_env
