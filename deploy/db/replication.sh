#!/bin/sh
# Runs once, when the primary's data folder is first made (the postgres
# image's /docker-entrypoint-initdb.d): lets the standby (db-replica) stream
# the write-ahead log as the portal role over the compose network. "all" in
# pg_hba's database column does not cover replication connections.
set -e
echo "host replication portal all scram-sha-256" >> "$PGDATA/pg_hba.conf"
