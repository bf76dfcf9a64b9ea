"""Stage 3, checking: the rules that `notegraph check` and every build report on a vault and
its links."""
