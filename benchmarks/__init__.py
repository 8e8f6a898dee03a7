"""In-process benchmarks comparing hinted with its peers (see benchmarks/README.md)."""
