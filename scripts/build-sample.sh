#!/usr/bin/env bash
# Set up (a virtual environment with the pinned packages) and build the sample site into site/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in
    'markdown_it mdit_py_plugins jinja2 git yaml nh3 cydifflib docx weasyprint'.split()))"; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi
.venv/bin/python build.py "$@"
echo "Open site/index.html, or serve it: .venv/bin/python build.py serve"
