#!/usr/bin/env bash
# Installs, from Debian's packages, the tools that the deployment checks and the benchmark use
# (everything else the tests need comes from npm):
#   prometheus      promtool: `npm run test:deploy` (alert rules and their unit tests, metrics pages)
#   docker-compose  `docker-compose config` of compose.yaml: `npm run test:deploy`
#   podman, runc, debootstrap  building and running the images: scripts/container-test.sh
#   wrk             the load generator of `npm run bench` (without it the bench uses autocannon)
# kubectl (`kubectl kustomize` in `npm run test:deploy`) is not among them: Debian bookworm has
# only 1.20, too old for kustomize components. Install it separately:
#   https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/
#
# Only what is missing is installed (so a second run does nothing), after `apt-get update`. The
# packages' own services are not started: only their commands are wanted. Needs root (or sudo);
# runs without standard input (CI=true).
set -euo pipefail

# command:package
wanted=(git:git promtool:prometheus docker-compose:docker-compose podman:podman runc:runc
  debootstrap:debootstrap wrk:wrk)

packages=()
for pair in "${wanted[@]}"; do
  command -v "${pair%%:*}" >/dev/null || packages+=("${pair#*:}")
done

if [ ${#packages[@]} -eq 0 ]; then
  echo "install-deploy-tools: git, promtool, docker-compose, podman, runc, debootstrap and wrk are installed"
else
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
      echo "install-deploy-tools: run as root (or install sudo) to install: ${packages[*]}" >&2
      exit 1
    }
    sudo=(sudo --non-interactive)
  fi
  # Debian starts a package's service on install unless policy-rc.d says no (101): the
  # `prometheus` package would leave a Prometheus server running on :9090.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    trap '"${sudo[@]}" rm -f "$policy"' EXIT
  fi
  echo "install-deploy-tools: apt-get install ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

if ! command -v kubectl >/dev/null; then
  echo "install-deploy-tools: kubectl is missing, and is not installed from Debian:" >&2
  echo "  see https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ (npm run test:deploy needs it)" >&2
fi
