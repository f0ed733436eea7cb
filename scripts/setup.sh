#!/usr/bin/env bash
# Sets up everything egov needs on a Debian machine, skipping what is already there, and says
# clearly what it could not install. Safe to run again.
set -uo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
PYTHON=${PYTHON:-python3}
# Debian packages the platform and its tests use:
#   gettext (compilemessages), fonts with full Vietnamese coverage (PDFs, stamps), SoftHSM2 and
#   OpenSC (PKCS#11 signing tests), PostgreSQL client tools, poppler (PDF checks), Chromium
#   (browser tests), libpango (WeasyPrint).
APT_PACKAGES=(gettext fonts-noto-core fonts-dejavu-core softhsm2 opensc postgresql-client
              poppler-utils libpango-1.0-0 libpangoft2-1.0-0 chromium)
problems=()
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. Debian packages ---------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    problems+=("no apt-get: install these Debian packages by hand: ${missing[*]}")
  else
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    say "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
      # one by one, so one unavailable package does not hold back the others
      for pkg in "${missing[@]}"; do
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 \
          || problems+=("Debian package '$pkg' could not be installed")
      done
    fi
  fi
fi

# 2. Python environment (uv, from PyPI, then the locked dependencies) --------------------------
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $($PYTHON --version 2>&1)"
  $PYTHON -m venv .venv || { echo "cannot create a virtual environment with $PYTHON" >&2; exit 1; }
fi
if ! .venv/bin/uv --version 2>/dev/null | grep -q "$UV_VERSION"; then
  .venv/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION" \
    || { echo "cannot install uv from PyPI" >&2; exit 1; }
fi
export UV_PROJECT_ENVIRONMENT=.venv
if ! .venv/bin/uv sync --frozen --quiet; then
  echo "cannot install the Python dependencies of uv.lock" >&2; exit 1
fi

# 3. Front-end assets from the npm registry (served by Django, never from a CDN) -------------
if command -v npm >/dev/null; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing front-end assets from the npm registry"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null || problems+=("npm ci failed: pages will have no styles or htmx")
  fi
else
  problems+=("no npm: install Node.js and npm (Debian: nodejs npm) for the front-end assets")
fi

# 4. Translations -----------------------------------------------------------------------------
if command -v msgfmt >/dev/null; then
  (cd src/egov && ../../.venv/bin/python -m django compilemessages --settings=egov.config.settings.test -v 0 \
     --ignore='.venv' 2>&1) || problems+=("compilemessages failed")
else
  problems+=("no msgfmt (Debian: gettext): pages will show English instead of Vietnamese")
fi

if [ ${#problems[@]} -gt 0 ]; then
  say "set up, with problems:"
  for p in "${problems[@]}"; do echo "  - $p"; done
else
  say "everything is installed"
fi
exit 0
