#!/bin/bash
# Runs once, after the influxdb:2 image's own setup (org, user, token and the
# "coldchain/autogen" bucket, infinite retention), with the influx CLI already
# configured. Adds the positions bucket (expires after 60 days) and the DBRP
# mappings through which InfluxQL on /query?db=coldchain&rp=... reaches the
# buckets, as on the local InfluxDB 1.6 engine.
set -euo pipefail

org="${DOCKER_INFLUXDB_INIT_ORG}"
positions_bucket="${INFLUX_POSITIONS_BUCKET:-coldchain/positions_60d}"
positions_retention="${INFLUX_POSITIONS_RETENTION:-60d}"

positions_id="$(influx bucket create --org "$org" --name "$positions_bucket" \
  --retention "$positions_retention" --hide-headers | cut -f 1)"

influx v1 dbrp create --org "$org" --db coldchain --rp autogen \
  --bucket-id "$DOCKER_INFLUXDB_INIT_BUCKET_ID" --default
influx v1 dbrp create --org "$org" --db coldchain --rp positions_60d \
  --bucket-id "$positions_id"
