#!/usr/bin/env sh
# Usage: ensure-system-package.sh COMMAND DEBIAN_PACKAGE [EXTRA_PACKAGE...]
# Makes sure COMMAND is on PATH; installs the packages through apt-get when running as
# root on Debian/Ubuntu, otherwise says in one line how to install them and fails.
cmd="$1"; shift; pkg="$*"
command -v "$cmd" >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "labelbook setup: installing $pkg (provides '$cmd') with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkg; } >/dev/null \
    || { echo "error: apt-get could not install $pkg; install it by hand and retry" >&2; exit 2; }
  command -v "$cmd" >/dev/null 2>&1 && exit 0
  echo "error: $pkg was installed but '$cmd' is still not on PATH" >&2; exit 2
fi
echo "error: '$cmd' is missing: install the '$pkg' package (e.g. 'sudo apt-get install $pkg', 'brew install $pkg') and retry" >&2
exit 2
