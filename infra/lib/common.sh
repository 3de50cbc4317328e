# shellcheck shell=bash
# Shared settings and helpers for infra/*.sh. Sourced, never executed.
#
# Every tunable below is an environment variable with a default, so CI, a
# developer and the app config agree on one set of names (docs/infra.md lists
# them). Everything the engines write (data, logs, pid files, generated
# configs) lives under $INFRA_DIR, which defaults to <repo>/.infra (gitignored).

set -euo pipefail

INFRA_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$INFRA_SRC/.." && pwd)"
INFRA_DIR="$(realpath -m "${COLDCHAIN_INFRA_DIR:-$REPO_ROOT/.infra}")"
# Downloaded and built artefacts (Kafka's jars, influxd) are cached outside the
# work tree, so a fresh clone on the same machine does not fetch or build them again.
INFRA_CACHE="${COLDCHAIN_INFRA_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/coldchain-infra}"

ALL_SERVICES=(kafka influxdb postgres mosquitto chromium)

# --- Kafka (single-node KRaft, broker + controller) --------------------------
KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms512m -Xmx768m}"
KAFKA_NUM_PARTITIONS="${KAFKA_NUM_PARTITIONS:-6}"
KAFKA_MESSAGE_MAX_BYTES="${KAFKA_MESSAGE_MAX_BYTES:-16777216}"   # 16 MiB per record batch (see engines/kafka.sh)
KAFKA_LIBS="${KAFKA_LIBS:-$INFRA_CACHE/kafka-$KAFKA_VERSION/libs}"

# --- InfluxDB 1.13, built from its Go module (engines/influxdb.sh) -----------
INFLUXD_VERSION="${INFLUXD_VERSION:-1.13.2}"
INFLUXD_PKG_CONFIG_VERSION="${INFLUXD_PKG_CONFIG_VERSION:-v0.2.7}"   # InfluxData's pkg-config wrapper (builds libflux)
INFLUXD_CACHE="${INFLUXD_CACHE:-$INFRA_CACHE/influxdb-$INFLUXD_VERSION}"
# libflux pins a Rust release rustup may not be able to fetch here; the stable one builds it.
INFLUXD_RUST_TOOLCHAIN="${INFLUXD_RUST_TOOLCHAIN:-stable}"
INFLUXD_BIN="$INFLUXD_CACHE/bin/influxd"
INFLUX_INSPECT_BIN="$INFLUXD_CACHE/bin/influx_inspect"   # converts shards of an older inmem index to tsi1
INFLUX_HOST="${INFLUX_HOST:-127.0.0.1}"
INFLUX_PORT="${INFLUX_PORT:-8086}"               # influxd HTTP: what clients use
INFLUXD_RPC_PORT="${INFLUXD_RPC_PORT:-8188}"     # influxd backup/restore RPC, internal
INFLUX_DB="${INFLUX_DB:-coldchain}"
INFLUX_ORG="${INFLUX_ORG:-coldchain}"
INFLUX_TOKEN="${INFLUX_TOKEN:-dev-token}"
INFLUX_POSITIONS_RP="${INFLUX_POSITIONS_RP:-positions_60d}"
INFLUX_POSITIONS_DURATION="${INFLUX_POSITIONS_DURATION:-60d}"
INFLUXD_INDEX_VERSION="${INFLUXD_INDEX_VERSION:-tsi1}"
INFLUXD_CACHE_MAX_MEMORY="${INFLUXD_CACHE_MAX_MEMORY:-512m}"
INFLUXD_CACHE_SNAPSHOT_MEMORY="${INFLUXD_CACHE_SNAPSHOT_MEMORY:-256m}"
# CPU priority of influxd (nice value; 0 = normal), for its process and its session's autogroup
# (spawn_detached_nice: a plain nice does nothing against other sessions where the kernel groups by
# session). Above 0 the store yields to the apps, Kafka and PostgreSQL, which is right while the
# machine has CPU to spare; at 20,000 readings/s on 2 cores it has none, and at 10 influxd fell to
# 40 % of a core, ingest's write-behind filled, consumption slowed to the store's pace and alerts
# came 20-37 s late at p99 in 2 of 4 runs; at 5 in the one run tried (docs/notifications.md).
# Until 2026-12-03 (fifth session) the value was passed to `nice` only, which had no effect here:
# figures quoted for it were noise.
INFLUXD_NICE="${INFLUXD_NICE:-0}"
INFLUX_MAX_BODY_BYTES="${INFLUX_MAX_BODY_BYTES:-104857600}"   # 100 MiB per write request

# --- PostgreSQL (Debian's version, project-private cluster) ------------------
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-coldchain}"
PG_PASSWORD="${PG_PASSWORD:-coldchain}"
PG_DATABASE="${PG_DATABASE:-coldchain}"
PG_SHARED_BUFFERS="${PG_SHARED_BUFFERS:-64MB}"

# --- Mosquitto 2.0 (external-broker mode) ------------------------------------
MOSQUITTO_HOST="${MOSQUITTO_HOST:-127.0.0.1}"
MOSQUITTO_PORT="${MOSQUITTO_PORT:-1884}"

# Seconds to wait for an engine to become ready, and for a graceful stop
# before SIGKILL.
INFRA_START_TIMEOUT_S="${INFRA_START_TIMEOUT_S:-120}"
INFRA_STOP_TIMEOUT_S="${INFRA_STOP_TIMEOUT_S:-60}"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Milliseconds since the epoch, for the timings the scripts print.
now_ms() { date +%s%3N; }

# Expands "all" (or nothing) into every service, and rejects unknown names.
resolve_services() {
  local s out=()
  if [ "$#" -eq 0 ]; then set -- all; fi
  for s in "$@"; do
    case "$s" in
      all) out+=("${ALL_SERVICES[@]}") ;;
      kafka | influxdb | postgres | mosquitto | chromium) out+=("$s") ;;
      influx) out+=(influxdb) ;;
      postgresql | pg) out+=(postgres) ;;
      mqtt) out+=(mosquitto) ;;
      *) die "unknown service '$s' (expected: all ${ALL_SERVICES[*]})" ;;
    esac
  done
  # De-duplicate, keeping the canonical order.
  local want=() c
  for c in "${ALL_SERVICES[@]}"; do
    for s in "${out[@]}"; do
      if [ "$s" = "$c" ]; then want+=("$c"); break; fi
    done
  done
  printf '%s\n' "${want[@]}"
}

# True when something accepts TCP connections on host:port.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Describes whoever listens on a local TCP port (for error messages).
port_owner() {
  ss -H -ltnp "sport = :$1" 2>/dev/null | head -3 || true
}

# Fails when a port we are about to bind is taken by a process that is not ours.
require_port_free() {
  local port="$1" what="$2"
  if port_open 127.0.0.1 "$port"; then
    die "port $port (for $what) is already in use by another process: $(port_owner "$port")
       stop it, or choose another port through the environment (see docs/infra.md)"
  fi
}

# pid_alive <pidfile>: true when the file names a live process of ours: its
# command line names $INFRA_DIR (every engine is started with a config or data
# path under it). A pid file left by a reboot may name an unrelated process.
pid_alive() {
  local f="$1" pid cmd="" i
  [ -s "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [ -n "$pid" ] || return 1
  # /proc/<pid>/cmdline reads empty while the process is between two execs
  # (setsid → sh → nice → the daemon, right after spawn_detached_nice): asked
  # at that moment, a starting daemon would pass for one that exited.
  for i in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 "$pid" 2>/dev/null || return 1
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
    [ -n "$cmd" ] && break
    sleep 0.05
  done
  printf '%s' "$cmd" | grep -qF "$INFRA_DIR/"
}

pid_of() { tr -dc '0-9' <"$1"; echo; }

# stop_pid <pidfile> <name> [timeout_s]: SIGTERM, wait, SIGKILL after the
# timeout. Kafka and influxd have shutdown hooks that flush and close files.
stop_pid() {
  local f="$1" name="$2" timeout_s="${3:-$INFRA_STOP_TIMEOUT_S}" pid i
  if ! pid_alive "$f"; then
    rm -f "$f"
    return 0
  fi
  pid="$(pid_of "$f")"
  if [ "${INFRA_KILL:-0}" = 1 ]; then
    # Crash simulation (down.sh --kill): no shutdown hook runs.
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    rm -f "$f"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) still running after ${timeout_s}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$f"
}

# wait_until <timeout_s> <description> <command...>: polls every 100 ms.
wait_until() {
  local timeout_s="$1" what="$2" i
  shift 2
  for ((i = 0; i < timeout_s * 10; i++)); do
    if "$@" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Minimal HTTP probe without curl: prints the status code of GET <path>.
http_status() {
  local host="$1" port="$2" path="$3" line
  exec 3<>"/dev/tcp/$host/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" >&3
  IFS= read -r -t 5 line <&3 || { exec 3<&-; return 1; }
  exec 3<&-
  line="${line%$'\r'}"
  printf '%s\n' "${line#* }" | cut -d' ' -f1
}

http_ok() {
  local code
  code="$(http_status "$@")" || return 1
  case "$code" in 2??) return 0 ;; *) return 1 ;; esac
}

# mem_kb <pid>: memory of a process and its children, in KiB, as PSS
# (proportional set size: each shared page is split among the processes that
# map it, so PostgreSQL's shared buffers are not counted once per backend).
# Falls back to RSS where smaps_rollup is not readable.
mem_kb() {
  local pid="$1" total=0 p r
  for p in $pid $(pgrep -P "$pid" 2>/dev/null || true); do
    r="$(awk '/^Pss:/ {print $2; exit}' "/proc/$p/smaps_rollup" 2>/dev/null || true)"
    [ -n "$r" ] || r="$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)"
    total=$((total + ${r:-0}))
  done
  echo "$total"
}

# Runs a detached daemon: its own session (so a caller's Ctrl-C or the end of
# a test runner does not kill it), stdio away from the caller (so a caller
# reading our stdout, such as child_process.execFile, is not kept waiting).
spawn_detached() {
  local pidfile="$1" logfile="$2"
  shift 2
  setsid "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  echo $! >"$pidfile"
}

# spawn_detached at a lower CPU priority: $3 is a nice value (0 = normal), the rest the command.
# The daemon is alone in its session, and with the kernel's autogroup scheduling
# (/proc/sys/kernel/sched_autogroup_enabled, on by default in desktop and most
# distribution kernels) a session is one scheduling entity that competes with every
# other session at the weight of its *autogroup* nice: a plain `nice` ranks the daemon
# only against itself and gives it nothing relative to the apps. So the session's
# autogroup nice is set too (/proc/self/autogroup, written from inside the new session
# before the exec; skipped where the kernel has no autogroup), as well as the process nice.
# Autogroups apply to tasks in the root cpu cgroup only (as on a plain machine; not under a
# systemd unit or a container with the cpu controller, where the cgroup's weight decides), and a
# write the kernel refuses (a negative value without privilege, EAGAIN within 100 ms of another
# write) is skipped silently: the process nice still applies inside the session.
spawn_detached_nice() {
  local pidfile="$1" logfile="$2" nice="$3"
  shift 3
  [[ "$nice" =~ ^-?[0-9]+$ ]] || die "nice value must be an integer, got '$nice'"
  # shellcheck disable=SC2016 # $0 and $@ belong to the inner shell.
  spawn_detached "$pidfile" "$logfile" sh -c \
    '{ echo "$0" >/proc/self/autogroup; } 2>/dev/null || true; exec nice -n "$0" "$@"' "$nice" "$@"
}

# One up/down at a time: several test files may call ensureInfra().
with_lock() {
  mkdir -p "$INFRA_DIR"
  exec 9>"$INFRA_DIR/.lock"
  flock -w 300 9 || die "timed out waiting for $INFRA_DIR/.lock"
}

write_endpoints() {
  mkdir -p "$INFRA_DIR"
  local f="$INFRA_DIR/endpoints.env"
  cat >"$f.tmp" <<EOF
# Written by infra/up.sh: the endpoints of the engines it runs (docs/infra.md).
KAFKA_BROKERS=$KAFKA_HOST:$KAFKA_PORT
INFLUX_URL=http://$INFLUX_HOST:$INFLUX_PORT
INFLUX_ORG=$INFLUX_ORG
INFLUX_BUCKET=$INFLUX_DB/autogen
INFLUX_POSITIONS_BUCKET=$INFLUX_DB/$INFLUX_POSITIONS_RP
INFLUX_TOKEN=$INFLUX_TOKEN
DATABASE_URL=postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DATABASE
MQTT_EXTERNAL_URL=mqtt://$MOSQUITTO_HOST:$MOSQUITTO_PORT
EOF
  mv "$f.tmp" "$f"
}

# shellcheck source=../engines/kafka.sh
. "$INFRA_SRC/engines/kafka.sh"
# shellcheck source=../engines/influxdb.sh
. "$INFRA_SRC/engines/influxdb.sh"
# shellcheck source=../engines/postgres.sh
. "$INFRA_SRC/engines/postgres.sh"
# shellcheck source=../engines/mosquitto.sh
. "$INFRA_SRC/engines/mosquitto.sh"
# shellcheck source=../engines/chromium.sh
. "$INFRA_SRC/engines/chromium.sh"
