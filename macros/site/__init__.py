"""The site adapter: the only code that imports MkDocs (and its plugins). mkdocs-macros
loads ``macros`` and calls ``define_env``; ``hooks`` registers the pre-rendering events;
``compat/`` holds every use of MkDocs', Material's and mkdocs-static-i18n's private code.
"""
