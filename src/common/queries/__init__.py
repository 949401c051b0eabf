"""Read paths that matter for speed, each with a fixed number of queries."""
