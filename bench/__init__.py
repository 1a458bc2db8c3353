"""Benchmark harness: a data generator, a load runner and the `make bench` driver."""
