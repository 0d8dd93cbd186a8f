"""Publishing: the files of the site besides its pages' HTML: generated stubs, URLs, open
data, JSON Schemas, the search dictionary, the archive, the Content-Security-Policy,
atomic builds. Imports the core and rendering; never MkDocs.
"""
