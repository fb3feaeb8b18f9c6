#!/bin/sh
# npm test's first step: cfn-lint and moto[server] at the exact versions of requirements-dev.txt. Uses
# the project's .venv/ when it has them, else python3 on PATH when it has them (and there is no .venv/),
# else installs them into .venv/; when that fails, stops with the one command to run.
cd "$(dirname "$0")/.." || exit 1
pinned() {
  "$1" -c 'import re, sys, importlib.metadata as md
pins = re.findall(r"^([A-Za-z0-9][\w.-]*)==([^\s;\\]+)", open("requirements-dev.txt").read(), re.M)
sys.exit(not pins or any(md.version(name) != version for name, version in pins))' 2>/dev/null
}
if [ -x .venv/bin/python ] && pinned .venv/bin/python; then exit 0; fi
if [ ! -e .venv ] && pinned python3; then exit 0; fi
echo 'Python tools: installing requirements-dev.txt into .venv/'
if { [ -e .venv ] || python3 -m venv .venv; } && .venv/bin/python -m pip install --quiet -r requirements-dev.txt; then exit 0; fi
echo 'The Python tools could not be installed. From the repository root, run:' >&2
echo '  python3 -m venv .venv && .venv/bin/python -m pip install -r requirements-dev.txt' >&2
exit 1
