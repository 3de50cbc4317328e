#!/usr/bin/env bash
# Stops the engines started by infra/up.sh, keeping their data:
#   bash infra/down.sh [all|kafka|influxdb|postgres|mosquitto]...   (npm run infra:down)
# SIGTERM (PostgreSQL: pg_ctl fast shutdown) and a wait; SIGKILL only after
# INFRA_STOP_TIMEOUT_S. Stopping an engine that is not running is fine.
#   bash infra/down.sh --kill kafka   simulates a crash: SIGKILL at once
#                                     (PostgreSQL: immediate shutdown, WAL replay at next start).
# To also drop the data: bash infra/down.sh && rm -rf .infra

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

main() {
  local services svc t0 i
  if [ "${1:-}" = "--kill" ]; then
    export INFRA_KILL=1
    shift
  fi
  mapfile -t services < <(resolve_services "$@")
  t0="$(now_ms)"
  with_lock
  # The engines do not depend on each other: stop them all at once.
  local pids=() rc=0
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do
    svc="${services[$i]}"
    (
      if "${svc}_running"; then
        "${svc}_stop"
        log "$svc: $([ "${INFRA_KILL:-0}" = 1 ] && echo killed || echo stopped) (+$(($(now_ms) - t0)) ms)"
      else
        log "$svc: not running"
      fi
    ) &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || rc=1; done
  [ "$rc" = 0 ] || die "some engines failed to stop (see above)"
  log "down in $(($(now_ms) - t0)) ms"
}

main "$@"
