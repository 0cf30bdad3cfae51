"""The load test (bench/load/run.sh)."""
