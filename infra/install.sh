#!/usr/bin/env bash
# Installs what the real engines need, and only what is missing:
#   bash infra/install.sh [all|kafka|influxdb|postgres|mosquitto|chromium]...
# Debian packages through apt-get (postgresql, mosquitto, chromium for the
# browser tests); Apache Kafka's jars from Maven Central through mvn; influxd
# 1.13 built from its Go module with the machine's Go and Rust (a few minutes,
# the first time only: the binary is cached, see engines/influxdb.sh).
# Idempotent: a second run changes nothing and takes about a second.
#
# Debian's post-install scripts would start system services on the ports our
# private instances use (PostgreSQL 5432, mosquitto 1883 — the port of the
# project's embedded MQTT broker). They are
# kept from starting during the install, and any that run are stopped and
# disabled afterwards: this project runs its own instances (infra/up.sh).

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

declare -A APT_PACKAGES=(
  [postgres]="postgresql"
  [mosquitto]="mosquitto"
  [chromium]="chromium"
)
# System services those packages register, to keep stopped.
declare -A SYSTEM_SERVICES=(
  [postgres]="postgresql"
  [mosquitto]="mosquitto"
  [chromium]=""
)

pkg_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

# Binaries each service needs; the apt step is skipped when all are present.
service_binaries_present() {
  case "$1" in
    postgres) [ -n "$(pg_bindir 2>/dev/null || true)" ] ;;
    mosquitto) command -v mosquitto >/dev/null ;;
    chromium) command -v chromium >/dev/null ;;
    *) return 1 ;;
  esac
}

# Keeps a package's system service from running now and at boot. Never asks a
# SysV init script for its status or to stop: Debian's influxdb script finds
# its daemon by name (pidof) and would report, or stop, our private instance.
stop_system_service() {
  local svc="$1"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    # systemd stops only the unit's own processes (its cgroup).
    systemctl disable --now "$svc" >/dev/null 2>&1 || true
    return 0
  fi
  if [ -x "/etc/init.d/$svc" ] && command -v update-rc.d >/dev/null; then
    update-rc.d "$svc" disable >/dev/null 2>&1 || true
  fi
  if [ "$svc" = postgresql ] && command -v pg_lsclusters >/dev/null; then
    # Clusters registered with postgresql-common (not ours: ours is private).
    local ver name port status
    while read -r ver name port status _; do
      if [ "$status" = online ]; then
        log "stopping the system PostgreSQL cluster $ver/$name on port $port"
        pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
      fi
    done < <(pg_lsclusters -h 2>/dev/null || true)
  fi
}

# A system daemon of those packages still alive although no init script knew it
# (a post-install script may start one directly): identified by its binary and
# its system config under /etc, so other projects' private instances are left alone.
stop_stray_system_daemons() {
  local bin pid cmd
  for bin in /usr/sbin/mosquitto; do
    for pid in $(pidof "$bin" 2>/dev/null || true); do
      cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
      case "$cmd" in
        *"$INFRA_DIR"*) continue ;;
        *" -c /etc/"*) ;;
        *) continue ;;
      esac
      log "stopping system daemon '$cmd' (pid $pid) left by its package's post-install script"
      kill -TERM "$pid" 2>/dev/null || true
    done
  done
}

apt_install() {
  local pkgs=("$@") missing=() p
  for p in "${pkgs[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -gt 0 ] || return 0
  is_root || die "apt packages missing (${missing[*]}); run this script as root, or: sudo apt-get install ${missing[*]}"
  log "apt: installing ${missing[*]}"
  # A policy-rc.d that answers 101 tells invoke-rc.d not to start services.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Temporary, from coldchain infra/install.sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    created_policy=1
  fi
  # shellcheck disable=SC2064 # expand now: remove only the file we created.
  trap "[ $created_policy = 1 ] && rm -f '$policy'" EXIT
  mkdir -p "$INFRA_DIR/logs"
  local apt_log="$INFRA_DIR/logs/install-apt.log"
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=300 >>"$apt_log" 2>&1 ||
      die "apt-get update failed; last lines of $apt_log:
$(tail -30 "$apt_log")"
    APT_UPDATED=1
  fi
  # Lock::Timeout: wait for another apt/dpkg run (a second install.sh) instead of failing.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >>"$apt_log" 2>&1 ||
    die "apt-get install ${missing[*]} failed; last lines of $apt_log:
$(tail -30 "$apt_log")"
  [ "$created_policy" = 1 ] && rm -f "$policy"
  trap - EXIT
}

main() {
  local services svc t0
  mapfile -t services < <(resolve_services "$@")
  t0="$(now_ms)"
  # One install at a time on this machine (several checkouts share the cache).
  mkdir -p "$INFRA_CACHE"
  exec 8>"$INFRA_CACHE/.install.lock"
  # 30 min: another checkout may be building influxd on a busy machine.
  flock -w 1800 8 || die "timed out waiting for $INFRA_CACHE/.install.lock"
  # Maven (Kafka's jars), the influxd build and apt run side by side: Maven
  # and apt mostly wait on the network. All Debian packages go in one apt-get
  # run (one dpkg trigger pass).
  local kafka_job="" influx_job="" apt_wanted=()
  for svc in "${services[@]}"; do
    case "$svc" in
      kafka)
        kafka_install &
        kafka_job=$!
        ;;
      influxdb)
        influxdb_install &
        influx_job=$!
        ;;
      *)
        if service_binaries_present "$svc"; then
          log "$svc: already installed"
        else
          # shellcheck disable=SC2206 # word-split the package list.
          apt_wanted+=(${APT_PACKAGES[$svc]})
        fi
        ;;
    esac
  done
  if [ "${#apt_wanted[@]}" -gt 0 ]; then apt_install "${apt_wanted[@]}"; fi
  if [ -n "$kafka_job" ]; then wait "$kafka_job" || die "kafka: install failed (see above)"; fi
  if [ -n "$influx_job" ]; then wait "$influx_job" || die "influxdb: install failed (see above)"; fi
  if is_root; then
    for svc in "${services[@]}"; do
      case "$svc" in kafka | influxdb) continue ;; esac
      for s in ${SYSTEM_SERVICES[$svc]}; do stop_system_service "$s"; done
    done
    stop_stray_system_daemons
  fi
  log "install done in $(($(now_ms) - t0)) ms (${services[*]})"
}

main "$@"
