"""Prometheus metrics of a worker, served on a port of its own (``pantau worker --metrics-port``)."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from pantau.errors import ConfigError


@dataclass(frozen=True)
class WorkerMetrics:
    registry: CollectorRegistry
    events: Counter
    redeliveries: Counter
    dead_letters: Counter
    batch_seconds: Histogram
    lag: Gauge
    in_flight: Gauge

    @classmethod
    def create(cls, port: int | None = None, host: str = "127.0.0.1") -> WorkerMetrics:
        """Fresh metrics in their own registry; served over HTTP at ``/metrics`` when ``port`` is given."""
        registry = CollectorRegistry()
        metrics = cls(
            registry=registry,
            events=Counter("pantau_worker_events", "Events processed, by outcome (stored or replayed); "
                           "events/s is rate() of this", ["outcome"], registry=registry),
            redeliveries=Counter("pantau_worker_redeliveries", "Messages delivered more than once",
                                 registry=registry),
            dead_letters=Counter("pantau_worker_dead_letters", "Messages sent to the dead letters",
                                 registry=registry),
            batch_seconds=Histogram("pantau_worker_batch_seconds", "Time to process one fetched batch",
                                    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30), registry=registry),
            lag=Gauge("pantau_worker_lag", "Events waiting in the stream for any worker", registry=registry),
            in_flight=Gauge("pantau_worker_in_flight", "Events delivered to workers and not yet acked",
                            registry=registry),
        )
        for outcome in ("stored", "replayed"):
            metrics.events.labels(outcome)
        if port is not None:
            try:
                start_http_server(port, addr=host, registry=registry)
            except OSError as exc:  # port taken, address not on this machine: a message, not a traceback
                raise ConfigError(f"cannot serve metrics on {host}:{port}: {exc.strerror or exc}") from None
        return metrics
