#!/usr/bin/env bash
# Makes what reciprocad needs to serve TLS on a room's Wi-Fi (docs/tls.md):
#
#   a local certificate authority, once:   DIR/ca.crt, DIR/ca.key (10 years)
#   a server certificate for the names:    DIR/server.crt, DIR/server.key (825 days, signed by it)
#
# Phones and laptops trust ca.crt once; later server certificates (a new address, a renewal)
# are then trusted without touching them again. Keys are mode 0600.
#
# Usage: deploy/make-certs.sh [--dir DIR] NAME_OR_IP...
#   e.g. deploy/make-certs.sh 192.168.1.20 reciproca.local
# DIR defaults to ./data/tls. localhost and 127.0.0.1 are always included.
set -euo pipefail

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

dir=./data/tls
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage; dir=$2; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    -h|--help) usage ;;
    -*) echo "make-certs: unknown option $1" >&2; usage ;;
    *) names+=("$1"); shift ;;
  esac
done
if [ ${#names[@]} -eq 0 ]; then
  echo "make-certs: name the server: its LAN address and/or host name (e.g. 192.168.1.20)" >&2
  usage
fi
command -v openssl >/dev/null || { echo "make-certs: openssl(1) is needed (apt-get install openssl)" >&2; exit 1; }

# The subjectAltName: IP entries for addresses, DNS entries for names.
san=""
first=""
for name in "${names[@]}" localhost 127.0.0.1; do
  if [[ "$name" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ || "$name" == *:* ]]; then
    entry="IP:$name"
  elif [[ "$name" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; then
    entry="DNS:$name"
  else
    echo "make-certs: \"$name\" is neither an IP address nor a host name" >&2
    exit 2
  fi
  case ",$san," in *",$entry,"*) continue ;; esac
  san=${san:+$san,}$entry
  first=${first:-$name}
done

umask 077
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$dir/ca.key" ] || [ ! -f "$dir/ca.crt" ]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" -days 3650 -sha256 \
    -subj "/O=Reciproca/CN=Reciproca local CA ($(hostname 2>/dev/null || echo host) $(date +%Y-%m-%d))" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>"$work/log" ||
    { cat "$work/log" >&2; exit 1; }
  echo "made a local certificate authority: $dir/ca.crt (trust it once on each phone)"
else
  echo "using the existing certificate authority $dir/ca.crt"
fi

cat >"$work/ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san
EOF
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$work/server.key" -out "$work/server.csr" -subj "/O=Reciproca/CN=$first" 2>"$work/log" ||
  { cat "$work/log" >&2; exit 1; }
openssl x509 -req -in "$work/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
  -CAcreateserial -CAserial "$work/ca.srl" -out "$work/server.crt" -days 825 -sha256 \
  -extfile "$work/ext" 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
mv "$work/server.key" "$dir/server.key"
mv "$work/server.crt" "$dir/server.crt"
chmod 600 "$dir/ca.key" "$dir/server.key"
chmod 644 "$dir/ca.crt" "$dir/server.crt"
echo "made a server certificate for $san: $dir/server.crt"

cat <<EOF

Start reciprocad with it (gRPC and HTTPS; the same certificate serves both):
  reciprocad --listen 0.0.0.0:50051 --tls-cert $dir/server.crt --tls-key $dir/server.key \\
    --http-listen 0.0.0.0:8443 --http-tls-cert $dir/server.crt --http-tls-key $dir/server.key
The CLI:  reciproca --server $first:50051 --ca-cert $dir/ca.crt ...
The web:  https://$first:8443/app/ and https://$first:8443/display/

Trust the CA once on each phone (copy $dir/ca.crt to it: e-mail, chat, USB):
  iPhone:  open the file, Settings > General > VPN & Device Management > install it, then
           Settings > General > About > Certificate Trust Settings > turn it on.
  Android: Settings > Security > Encryption & credentials > Install a certificate >
           CA certificate, and pick the file.
Keep $dir/ca.key private: whoever has it can impersonate any server to those phones.
EOF
