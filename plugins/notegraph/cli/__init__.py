"""The `notegraph` command: build, serve, check, new."""
