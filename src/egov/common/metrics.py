"""Prometheus metrics of the process (scraped at /metrics by operators)."""

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter("egov_http_requests_total", "HTTP requests served", ["method", "status_class", "view"])
HTTP_LATENCY = Histogram(
    "egov_http_request_seconds",
    "Time to serve an HTTP request",
    ["method", "view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
