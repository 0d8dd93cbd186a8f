"""Every reliance on a private internal of MkDocs (or ProperDocs), Material for MkDocs
and mkdocs-static-i18n, one module per upstream, each gated by the versions it was
tested with (``macros.core.compat.gate``). The adapter asks ``available()`` and,
where a gate is closed, leaves MkDocs, Material and i18n to do their own work."""
