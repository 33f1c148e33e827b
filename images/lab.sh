#!/usr/bin/env bash
# images/lab.sh [NAME...]   NAME: python-3.11 python-3.13 pypy-3 (default: all)
#
# Team mode's lab images: each user's server under JupyterHub is a container of one of them
# (hub_config/jupyterhub_config.py, DockerSpawner's allowed_images). scriptforge/lab:<tag>
# is the interpreter image of images/build.sh plus, in /opt/scriptforge/lab, a Jupyter
# server (jupyterhub-singleuser, JupyterLab, jupyterlab-lsp) and ScriptForge from a wheel
# of this checkout, without the store, runners or assistant: in a user's container
# ScriptForge forwards to the team's service (jupyter_scriptforge/team). The server runs on
# the image's Debian python3; the language server (python-lsp-server, which images/build.sh
# put in /opt/scriptforge/language-tools) runs on the image's interpreter, so completes
# for the interpreter the user chose.
#
# Like images/build.sh: uv (this checkout's) installs in a container of the image with host
# networking, from the index uv is configured with; an image built from the same recipe is
# skipped. Needs the interpreter images (make images) and a running Docker Engine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
label=org.jupyter.scriptforge
uv=${UV:-$repo/.venv/bin/uv}
python=${SCRIPTFORGE_PYTHON:-$repo/.venv/bin/python}
uv_cache=${UV_CACHE_DIR:-$repo/.cache/uv}
wheels=$repo/.cache/wheelhouse

declare -A FROM=([python-3.11]=scriptforge/python:3.11 [python-3.13]=scriptforge/python:3.13 [pypy-3]=scriptforge/pypy:3)
declare -A TAG=([python-3.11]=scriptforge/lab:3.11 [python-3.13]=scriptforge/lab:3.13 [pypy-3]=scriptforge/lab:pypy-3)
ALL=(python-3.11 python-3.13 pypy-3)

die() {
  echo "images/lab.sh: $*" >&2
  exit 1
}

names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
for name in "${names[@]}"; do
  [ -n "${TAG[$name]:-}" ] || die "unknown image '$name' (known: ${ALL[*]})"
done
docker info >/dev/null 2>&1 || die "no Docker Engine answers (make images starts one as root)"
[ -x "$uv" ] && [ -x "$python" ] || die "no $uv or $python: run make first"

# The same versions as this checkout's environment, so the lab extension built here fits.
pins=()
for package in jupyterhub jupyterlab jupyter-server jupyter-lsp jupyterlab-lsp; do
  version=$("$python" -c "import importlib.metadata as m; print(m.version('$package'))") ||
    die "$package is not installed in .venv"
  pins+=("$package==$version")
done

# This checkout as a wheel (its lab extension already built by make).
rm -rf "$wheels" && mkdir -p "$wheels"
(cd "$repo" && "$uv" build --quiet --wheel --out-dir "$wheels" >/dev/null 2>&1) ||
  die "cannot build the wheel of this checkout (uv build)"
wheel=$(ls "$wheels"/jupyter_scriptforge-*.whl)
# The wheel's contents, not its timestamps, say whether an image is out of date.
wheel_digest=$("$python" -c '
import hashlib, sys, zipfile
wheel, digest = zipfile.ZipFile(sys.argv[1]), hashlib.sha256()
for name in sorted(wheel.namelist()):
    digest.update(name.encode() + wheel.read(name))
print(digest.hexdigest()[:16])' "$wheel")

# Mounts only: the image is committed from the build container, environment and all, so
# the build's own variables are set inside its script, not on the container.
cert_args=()
if [ -n "${SSL_CERT_FILE:-}" ] && [ -f "$SSL_CERT_FILE" ]; then
  cert_args=(-v "$SSL_CERT_FILE:/etc/ssl/scriptforge-ca.crt:ro")
fi

build() {
  local name=$1 from=${FROM[$1]} tag=${TAG[$1]} recipe current container start
  start=$(date +%s)
  docker image inspect "$from" >/dev/null 2>&1 || die "$from is missing: run make images first"
  recipe=$({ cat "$0"; docker image inspect -f '{{.Id}}' "$from"; echo "${pins[*]} $wheel_digest"; } |
    sha256sum | cut -c1-16)
  current=$(docker image inspect -f "{{ index .Config.Labels \"$label.image.recipe\" }}" "$tag" 2>/dev/null) || current=""
  if [ "$current" = "$recipe" ]; then
    echo "images/lab.sh: $tag is up to date"
    return 0
  fi
  echo "images/lab.sh: building $tag from $from"
  container=$(docker create --network host --user 0 \
    -v "$(readlink -f "$uv"):/usr/local/bin/uv:ro" -v "$wheels:/wheels:ro" \
    -v "$uv_cache:/uv-cache" "${cert_args[@]}" \
    "$from" sh -euc "
      export UV_CACHE_DIR=/uv-cache UV_LINK_MODE=copy
      if [ -f /etc/ssl/scriptforge-ca.crt ]; then export SSL_CERT_FILE=/etc/ssl/scriptforge-ca.crt; fi
      uv venv --quiet --python /usr/bin/python3 /opt/scriptforge/lab
      uv pip install --quiet --compile-bytecode --python /opt/scriptforge/lab/bin/python --only-binary :all: ${pins[*]@Q}
      uv pip install --quiet --compile-bytecode --python /opt/scriptforge/lab/bin/python --no-deps /wheels/$(basename "$wheel")
      # jsonschema's optional IRI checker builds its grammar at import: 0.9 s of every
      # server's start, for a format no Jupyter schema uses.
      uv pip uninstall --quiet --python /opt/scriptforge/lab/bin/python rfc3987-syntax
      /opt/scriptforge/lab/bin/jupyter server extension list 2>&1 | grep -q 'jupyter_scriptforge.*enabled'
      # A team's Lab does not ask each new user about Jupyter's news feed.
      mkdir -p /opt/scriptforge/lab/share/jupyter/lab/settings
      echo '{\"@jupyterlab/apputils-extension:notification\": {\"fetchNews\": \"false\", \"checkForUpdates\": false}}' \
        > /opt/scriptforge/lab/share/jupyter/lab/settings/overrides.json
      # Nobody installs Lab extensions into the image from a user's server: the extension
      # manager only lists them (and no PyPI client is made at each start).
      # (A file of its own: jupyter_server_config.d/ is read for the server's settings only.)
      echo '{\"LabApp\": {\"extension_manager\": \"readonly\"}}' \
        > /opt/scriptforge/lab/etc/jupyter/jupyter_server_config.json
    ")
  mkdir -p "$uv_cache"
  if ! docker start -a "$container" >/dev/null; then
    docker rm -f "$container" >/dev/null
    die "installing the lab into $tag failed"
  fi
  docker commit \
    --change "USER runner" \
    --change "WORKDIR /home/runner" \
    --change "ENV PATH=/opt/scriptforge/lab/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change 'CMD ["jupyterhub-singleuser"]' \
    --change "LABEL $label.image.role=lab $label.image.recipe=$recipe" \
    "$container" "$tag" >/dev/null
  docker rm "$container" >/dev/null
  echo "images/lab.sh: $tag built in $(($(date +%s) - start)) s"
}

for name in "${names[@]}"; do
  build "$name"
done
