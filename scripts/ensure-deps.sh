#!/usr/bin/env bash
# Installs what the build needs when it is missing: LMDB's headers and library (Debian's
# liblmdb-dev) and pkg-config, through which SwiftPM finds them. Swift itself must be on PATH.
set -euo pipefail
if ! command -v swift >/dev/null 2>&1; then
    echo "swift is not on PATH: install Swift 6.3 (https://www.swift.org/install/linux/) first" >&2
    exit 1
fi
missing=()
[ -f /usr/include/lmdb.h ] || missing+=(liblmdb-dev)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)   # the benchmark's SQLite peer
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${missing[*]} …" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
