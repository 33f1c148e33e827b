#!/usr/bin/env bash
# images/build.sh [NAME...]   NAME: python-3.11 python-3.13 pypy-3 (default: all)
#
# Builds the Docker runner's interpreter images with no container registry: the base is a
# Debian rootfs bootstrapped by images/bootstrap-base.sh (scriptforge/debian-base:SUITE),
# unless BASE_IMAGE_<NAME> names another (BASE_IMAGE_PYTHON_3_11=python:3.11-slim-bookworm).
# The build runs with --network none; a second, one-line build adds the version label read
# from the interpreter inside. An image whose tag exists with its labels, built from the
# current Dockerfile, is skipped. Needs a running Docker Engine (and root to bootstrap).
#
# Each image also gets python-lsp-server and ScriptForge's plugin for it in
# /opt/scriptforge/language-tools (the language server of a Docker-only interpreter): uv,
# from this checkout's .venv (or $UV), installs it for the image's own interpreter in a
# container with host networking, from the package index uv is configured with.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
label=org.jupyter.scriptforge
python=${SCRIPTFORGE_PYTHON:-$repo/.venv/bin/python}
uv=${UV:-$repo/.venv/bin/uv}
uv_cache=${UV_CACHE_DIR:-$repo/.cache/uv}

declare -A TAG=([python-3.11]=scriptforge/python:3.11 [python-3.13]=scriptforge/python:3.13 [pypy-3]=scriptforge/pypy:3)
declare -A SUITE=([python-3.11]=bookworm [python-3.13]=trixie [pypy-3]=bookworm)
declare -A IMPLEMENTATION=([python-3.11]=CPython [python-3.13]=CPython [pypy-3]=PyPy)
ALL=(python-3.11 python-3.13 pypy-3)

die() {
  echo "images/build.sh: $*" >&2
  exit 1
}

names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
for name in "${names[@]}"; do
  [ -n "${TAG[$name]:-}" ] || die "unknown image '$name' (known: ${ALL[*]})"
done

command -v docker >/dev/null || die "docker (the CLI) is not installed"
[ -x "$python" ] && [ -x "$uv" ] || die "no $python or $uv: run make first (or set SCRIPTFORGE_PYTHON and UV)"
tools_recipe=$("$python" -m jupyter_scriptforge.lsp.tools recipe) || die "cannot read the language tools' recipe"
requirement=$("$python" -m jupyter_scriptforge.lsp.tools requirement)
docker info >/dev/null 2>&1 ||
  die "no Docker Engine answers; start one (as root: dockerd --bridge=none --iptables=false &) or run 'make images'"

quietly() { # run a command, showing its output only if it fails
  local out
  if ! out=$("$@" 2>&1); then
    echo "$out" | tail -n 40 >&2
    return 1
  fi
}

image_label() { # IMAGE KEY -> the label's value, empty if none
  local value
  value=$(docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null) || value=""
  [ "$value" = "<no value>" ] && value=""
  echo "$value"
}

build() {
  local name=$1 tag=${TAG[$1]} impl=${IMPLEMENTATION[$1]}
  local dockerfile="$here/$name/Dockerfile"
  local recipe stage base var probe found version start old
  start=$(date +%s)
  var=BASE_IMAGE_$(echo "$name" | tr 'a-z.-' 'A-Z__')
  base=${!var:-}
  # The recipe label ties the image to its Dockerfile and base: a change rebuilds it.
  recipe=$({ cat "$dockerfile"; echo "${base:-bootstrap ${SUITE[$name]}} $tools_recipe"; } | sha256sum | cut -c1-16)

  if [ -n "$(image_label "$tag" "$label.interpreter.version")" ] &&
    [ "$(image_label "$tag" "$label.interpreter.implementation")" = "$impl" ] &&
    [ "$(image_label "$tag" "$label.image.recipe")" = "$recipe" ]; then
    echo "images/build.sh: $tag is up to date"
    return 0
  fi

  if [ -z "$base" ]; then
    base=scriptforge/debian-base:${SUITE[$name]}
    "$here/bootstrap-base.sh" "${SUITE[$name]}" "$base" || die "could not bootstrap $base"
  fi

  echo "images/build.sh: building $tag from $base"
  stage="$tag-stage"
  quietly docker build --network none --build-arg BASE_IMAGE="$base" -t "$stage" \
    -f "$dockerfile" "$here/$name" || die "docker build of $tag failed"

  probe='import platform; print(platform.python_implementation(), platform.python_version())'
  read -r found version < <(docker run --rm --network none "$stage" scriptforge-python -c "$probe") ||
    die "$stage: scriptforge-python does not run"
  [ "$found" = "$impl" ] || die "$stage runs $found, expected $impl"
  [ -n "$version" ] || die "$stage: no interpreter version"

  install_language_tools "$stage" "$tag"

  old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null) || old=""
  echo "FROM $stage" | quietly docker build --network none \
    --label "$label.interpreter.implementation=$impl" \
    --label "$label.interpreter.version=$version" \
    --label "$label.image.recipe=$recipe" \
    -t "$tag" - || die "labelling $tag failed"
  docker rmi "$stage" >/dev/null
  # An outdated image left untagged: remove it unless a container still uses it.
  if [ -n "$old" ] && [ "$old" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
  echo "images/build.sh: $tag ($impl $version) built in $(($(date +%s) - start)) s"
}

install_language_tools() { # STAGE TAG: the stage image gains /opt/scriptforge/language-tools
  local stage=$1 tag=$2 context cert_args=()
  context=$(mktemp -d)
  # The image's interpreter resolves for itself (PyPy gets PyPy's wheels); only the
  # install sees the network, never a build step or a run.
  if [ -n "${SSL_CERT_FILE:-}" ] && [ -f "$SSL_CERT_FILE" ]; then
    cert_args=(-v "$SSL_CERT_FILE:/etc/ssl/scriptforge-ca.crt:ro" -e SSL_CERT_FILE=/etc/ssl/scriptforge-ca.crt)
  fi
  mkdir -p "$uv_cache"
  quietly docker run --rm --network host --user 0 \
    -v "$(readlink -f "$uv"):/usr/local/bin/uv:ro" -v "$context:/out" \
    -v "$uv_cache:/uv-cache" -e UV_CACHE_DIR=/uv-cache -e UV_LINK_MODE=copy "${cert_args[@]}" \
    "$stage" uv pip install --quiet --only-binary :all: --python scriptforge-python \
    --target /out/language-tools "$requirement" ||
    { rm -rf "$context"; die "installing python-lsp-server into $tag failed"; }
  "$python" -m jupyter_scriptforge.lsp.tools plugin "$context/language-tools"
  printf 'FROM %s\nCOPY language-tools /opt/scriptforge/language-tools\n' "$stage" |
    quietly docker build --network none -t "$stage" -f - "$context" ||
    { rm -rf "$context"; die "adding the language tools to $tag failed"; }
  rm -rf "$context"
}

for name in "${names[@]}"; do
  build "$name"
done
