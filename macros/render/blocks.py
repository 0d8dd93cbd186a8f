"""The macros available to pages: name -> function(atlas, lang, *args).

Entity pages are not macros: they are rendered once per build into their
generated Markdown files (``macros.publish.stubs``). The adapter registers each of these with mkdocs-macros, one line each; pages
call them as ``{{ members_table() }}``. Adding a block is adding a line here.
"""

from __future__ import annotations

from . import charts, datapage
from . import markdown as render

BLOCKS = {
    "members_table": render.members_table,
    "devices_table": render.devices_table,
    "device_counts": render.device_counts,
    "configurations_table": render.configurations_table,
    "configuration_devices": render.configuration_devices,
    "eras_table": render.eras_table,
    "organisations_table": render.organisations_table,
    "sites_table": render.sites_table,
    "people_table": render.people_table,
    "timeline": render.timeline,
    "references": render.references,
    "disagreements": render.disagreements,
    "counts": render.counts,
    "programme_timeline": charts.programme_timeline,
    "shares": charts.shares,
    "device_comparison": charts.device_comparison,
    "sites_map": charts.sites_map,
    "devices_map": charts.devices_map,
    "downloads": datapage.downloads,
    "cite_atlas": datapage.cite_atlas,
    "data_changes": datapage.data_changes,
    "stale_facts": datapage.stale_facts,
}
