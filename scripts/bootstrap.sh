#!/usr/bin/env bash
# Prepares this checkout on a fresh Debian machine, and is fast when nothing changed:
#   1. the system packages the kiosk needs (speech, audio, Qt's xcb libraries, fonts);
#   2. a virtual environment in .venv with the project and its test tools.
# Called by `make run` and `make test`; safe to run again at any time.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, and why:
#   python3 python3-venv                      .venv below (Debian's `python3 -m venv`
#                                             fails without python3-venv: no ensurepip)
#   espeak-ng, libespeak-ng1, espeak-ng-data  speech synthesis used by pyttsx3
#   alsa-utils                                aplay, the default speech player
#   sox                                       tests measure the synthesized audio
#   libxcb-* libxkbcommon-x11-0 libegl1 ...   Qt's xcb platform plugin on a real display
#   libwayland-cursor0 libwayland-egl1        Qt's wayland platform plugin (under cage)
#   fonts-dejavu-core                         fallback font
#   fonts-opendyslexic                        optional font for dyslexic readers
#   chromium chromium-driver                  the console's browser tests (selenium, axe-core)
#   at-spi2-core dbus xvfb python3-pyatspi    the kiosk read over AT-SPI as Orca reads
#                                             it (tests/ui/test_atspi.py); at-spi2-core
#                                             is also the bridge Orca needs on a kiosk
#   postgresql                                the receiver's storage tests run against a real
#                                             server (tests/postgres_server.py starts its own
#                                             throwaway cluster); brings libpq5, which psycopg
#                                             loads. Debian also makes a "main" cluster: unused.
SYSTEM_PACKAGES=(
  python3 python3-venv
  espeak-ng libespeak-ng1 espeak-ng-data alsa-utils sox
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1 libfontconfig1 libdbus-1-3
  libwayland-cursor0 libwayland-egl1
  fonts-dejavu-core fonts-opendyslexic
  chromium chromium-driver
  at-spi2-core dbus xvfb python3-pyatspi
  postgresql
)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "bootstrap: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: these system packages are missing: ${missing[*]}" >&2
    echo "bootstrap: ask an administrator to run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "bootstrap: Python 3.11 or newer is needed ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv

# Reinstall only when the project's declaration changed since the last install.
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [[ ! -f $stamp ]]; then
  echo "bootstrap: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
