# Shared by the set-up scripts (sourced, not run).

# install_missing LABEL PACKAGE...: installs the Debian packages given (as root, or with sudo),
# saying so under LABEL; does nothing when none are given.
install_missing() {
  local label=$1
  shift
  [ $# -gt 0 ] || return 0
  echo "$label: installing Debian packages: $*"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null
}
