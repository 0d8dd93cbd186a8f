"""The core: load -> validate -> model. Files and YAML (loader), the typed model, references,
validation and indexes (atlas), content lint. Imports nothing above it, and never MkDocs.
"""
