"""The demo programme: a seeded, reproducible company to show and to measure Accountable with.

`generator` plans it as plain data (no Django); `services` loads a plan into the database.
"""
