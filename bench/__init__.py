"""Benchmarks: run with `make bench` (bench/run_all.sh). See bench/README.md."""
