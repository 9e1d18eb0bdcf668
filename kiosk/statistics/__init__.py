"""Anonymous usage statistics, per day: counted on the terminal, sent with the heartbeat,
kept until the back office acknowledges them (docs/statistics.md)."""
