"""The territorial fund's registry: client, offline copy sync, circuit breaker, reference server."""
