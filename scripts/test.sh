#!/usr/bin/env bash
# The one test command: installs what the tests need when it is missing, then runs pytest.
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -k journey # extra arguments go to pytest
#
# Installs (only when missing): Debian packages chromium, fonts-noto-cjk, fonts-dejavu-core,
# Pango, libreoffice-writer-nogui and default-jre-headless (as root, or with password-less
# sudo); node_modules from package-lock.json (the Nu Html Checker and axe-core); .venv with
# requirements-dev.txt.
# Exit status: pytest's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'test.sh: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

# --- system packages ------------------------------------------------------------------
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v java >/dev/null || packages+=(default-jre-headless)
command -v soffice >/dev/null || packages+=(libreoffice-writer-nogui)  # opens the Word redline
# Pango: WeasyPrint's PDFs; DejaVu: the theme tests' self-hosted font
for pkg in fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || packages+=("$pkg")
done
command -v npm >/dev/null || packages+=(npm)
if [ ! -x .venv/bin/python ] && ! python3 -c "import ensurepip" 2>/dev/null; then
  packages+=(python3-venv)
fi
if [ "${#packages[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    say "installing ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! { as_root apt-get update -qq &&
           as_root apt-get install -y -qq --no-install-recommends "${packages[@]}"; }; then
      say "could not install ${packages[*]} (run as root?); tests needing them will be" \
          "skipped (or fail when CI=true)"
    fi
  else
    say "missing ${packages[*]} and no apt-get: tests needing them will be skipped"
  fi
fi

# --- node_modules: vnu.jar and axe-core, exactly as locked ----------------------------
if command -v npm >/dev/null; then
  if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f node_modules/axe-core/axe.min.js ] \
     || [ ! -f node_modules/.package-lock.json ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    # --ignore-scripts: vnu-jar's install script would download a Java; the system one is used.
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  fi
else
  say "npm is missing: the HTML validator and axe tests will be skipped"
fi

# --- the Python environment -----------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.requirements.sha256
wanted=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  say "pip install -r requirements-dev.txt"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  echo "$wanted" > "$stamp"
fi

# --- the tests ------------------------------------------------------------------------
# Bytecode is kept (in __pycache__/, ignored by git) even where the machine says not to: the
# suite starts about 90 interpreters that import the package, and two workers that each
# rewrite the test modules' asserts; without it each compiles them again (collecting alone
# took 2.7-3.1 s instead of 1.2 s).
unset PYTHONDONTWRITEBYTECODE
# Two workers; worksteal: a worker that runs out takes tests queued for the other, so both
# end together (with the default split one ran ~11 s past the other).
exec .venv/bin/python -m pytest -n 2 --dist worksteal tests "$@"
