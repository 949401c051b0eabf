#!/bin/sh
# First start of the Compose stack: nginx needs a certificate before it can listen on 443.
# If the TLS volume has none, write a self-signed one for TLS_HOSTNAME (default: localhost) so the
# stack starts; replace fullchain.pem and privkey.pem in the volume with real ones (for example
# from certbot) and `docker compose restart nginx`. An existing certificate is never touched.
set -eu
dir="${TLS_DIR:-/tls}"
host="${TLS_HOSTNAME:-localhost}"
mkdir -p "$dir"
if [ -s "$dir/fullchain.pem" ] && [ -s "$dir/privkey.pem" ]; then
  echo "TLS certificate present in $dir; keeping it."
  exit 0
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
  -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
  -keyout "$dir/privkey.pem.new" -out "$dir/fullchain.pem.new" 2>/dev/null
chmod 600 "$dir/privkey.pem.new"
mv "$dir/privkey.pem.new" "$dir/privkey.pem"
mv "$dir/fullchain.pem.new" "$dir/fullchain.pem"
echo "Wrote a self-signed certificate for $host to $dir (replace it with a real one)."
