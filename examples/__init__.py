"""Example applications built on hinted; each one is exercised by a test under tests/examples."""
