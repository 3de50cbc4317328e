#!/usr/bin/env bash
# The production stack on this machine: the real engines (infra/up.sh) and each
# app of the pipeline as its own process on Kafka, InfluxDB and PostgreSQL.
# Ctrl-C stops the apps gracefully (the engines keep running: npm run infra:down).
#
#   npm run start:stack                 # gateway, 2 ingest instances, notifier, api
#   INGEST_INSTANCES=3 npm run start:stack
#   SEED_DEMO=true npm run start:stack  # seeds the demo tenant first (its owner changes the password at first login)
#
# The engines' credentials (INFLUX_TOKEN, DATABASE_URL) come from .infra/endpoints.env, which
# infra/up.sh writes: the apps have no default credentials and refuse to start without them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash infra/up.sh
# shellcheck disable=SC1091
set -a && . .infra/endpoints.env && set +a
npm run --silent build

export BUS=kafka TELEMETRY_STORE=influxdb METADATA_STORE=postgres
export DATA_DIR="${DATA_DIR:-./var/stack}"
export SIM_HUBS="${SIM_HUBS:-0}"
api_port="${PORT:-3000}"
instances="${INGEST_INSTANCES:-2}"

pids=()
start() { # name port script [extra env...]
  local name=$1 port=$2 script=$3
  shift 3
  env PORT="$port" "$@" node "$script" > >(sed -u "s/^/[$name] /") 2>&1 &
  pids+=($!)
}

# The apps never seed: asked for the demo, the seed command migrates the schema and seeds an empty
# store before any app starts, and writes the demo tenant's on-call routing for the notifier.
demo="no demo tenant (SEED_DEMO=true seeds one)"
case "${SEED_DEMO:-false}" in
  true | 1 | yes)
    node dist/apps/platform/src/seed-demo.js
    export NOTIFY_ROUTING_FILE="${NOTIFY_ROUTING_FILE:-$DATA_DIR/demo-routing.json}"
    demo="demo credentials in $DATA_DIR/demo-credentials.json"
    ;;
esac

# The api first: it migrates the schema before the others start (migrations also run under a lock,
# this just keeps the log readable).
start api "$api_port" dist/apps/api/src/main.js
until curl -fs "http://127.0.0.1:$api_port/health" >/dev/null; do sleep 0.5; done
start gateway $((api_port + 1)) dist/apps/gateway/src/main.js
for i in $(seq 1 "$instances"); do
  start "ingest-$i" $((api_port + 1 + i)) dist/apps/ingest/src/main.js
done
start notifier $((api_port + 2 + instances)) dist/apps/notifier/src/main.js

echo "stack: api http://127.0.0.1:$api_port, gateway MQTT 127.0.0.1:${MQTT_PORT:-1883} (health on $((api_port + 1))), $instances ingest, notifier; $demo"
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait' INT TERM
wait
