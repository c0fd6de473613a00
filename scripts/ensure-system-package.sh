#!/usr/bin/env sh
# Usage: ensure-system-package.sh COMMAND DEBIAN_PACKAGE [EXTRA_PACKAGE...]
# Makes sure COMMAND is on PATH (and, on Debian/Ubuntu, that every package is installed:
# the extra ones are fonts, so diagrams and printed pages render the same everywhere).
# Installs what is missing through apt-get when running as root on Debian/Ubuntu,
# otherwise says in one line how to install it and fails.
cmd="$1"; shift; pkg="$*"
missing=""
if command -v dpkg >/dev/null 2>&1; then
  for p in $pkg; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
fi
:
if command -v "$cmd" >/dev/null 2>&1 && [ -z "$missing" ]; then exit 0; fi
if command -v "$cmd" >/dev/null 2>&1 && ! command -v apt-get >/dev/null 2>&1; then exit 0; fi
[ -n "$missing" ] || missing="$pkg"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "labelbook setup: installing$missing with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >/dev/null \
    || { echo "error: apt-get could not install$missing; install it by hand and retry" >&2; exit 2; }
  command -v "$cmd" >/dev/null 2>&1 && exit 0
  echo "error:$missing installed but '$cmd' is still not on PATH" >&2; exit 2
fi
if command -v "$cmd" >/dev/null 2>&1; then
  echo "warning: install$missing for output that renders the same on every machine" >&2; exit 0
fi
echo "error: '$cmd' is missing: install $pkg with your package manager (on Debian/Ubuntu: 'sudo apt-get install $pkg') and retry" >&2
exit 2
