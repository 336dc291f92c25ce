"""The Python side of the schemas in schemas/: the classes a Python service would define."""
