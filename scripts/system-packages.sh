#!/usr/bin/env bash
# Install the Debian packages Village needs when they are missing (a fresh machine of this kind).
set -euo pipefail
need=()
command -v msgfmt >/dev/null || need+=(gettext)
command -v psql >/dev/null || need+=(postgresql-client)
# The browser tests drive Debian's Chromium (never a downloaded browser).
[ -x /usr/bin/chromium ] || need+=(chromium)
# WeasyPrint renders the network report's PDF with Pango and needs real fonts;
# the report tests read the PDF back with poppler's pdftotext and pdftoppm.
ldconfig -p | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0)
ldconfig -p | grep -q 'libpangoft2-1.0.so' || need+=(libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
command -v pdftotext >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing system packages: ${need[*]} (install them as root)" >&2
    exit 1
  fi
  echo "Installing ${need[*]}…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
