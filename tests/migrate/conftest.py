# The sample project's own tests run in a subprocess (tests/migrate/test_sample_project.py),
# once against FastAPI and once after `hinted migrate`; never collected here.
collect_ignore = ["sample_project"]
