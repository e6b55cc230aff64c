#!/usr/bin/env bash
# The few Debian packages the tests need beyond Python: Chromium for the browser tests, a font
# with the Kazakh letters, and GNU gettext for the translation checks. Installed only when
# missing and only where we may (root); elsewhere the affected tests say what is missing.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
[ -d /usr/share/fonts/truetype/noto ] || missing+=(fonts-noto-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Not installing ${missing[*]} (needs root and apt-get); tests that need them are skipped."
  exit 0
fi
echo "Installing ${missing[*]} …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
