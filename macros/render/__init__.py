"""Rendering: Markdown and SVG from a validated Atlas, as plain functions (blocks, entity
pages, charts, prose, formats and labels). Imports the core only.
"""
