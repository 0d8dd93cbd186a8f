"""Interface words of generated blocks, in each language of the site.

One table, so a missing translation is a test failure, not a blank label.
"""

from __future__ import annotations

MONTHS = {
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
}

LABELS: dict[str, dict[str, str]] = {
    # infobox and table headers
    "name": {"en": "Name", "zh": "名称"},
    "type": {"en": "Type", "zh": "类型"},
    "kind": {"en": "Kind", "zh": "类别"},
    "status": {"en": "Status", "zh": "状态"},
    "host": {"en": "Host", "zh": "东道方"},
    "country": {"en": "Country", "zh": "国家"},
    "site": {"en": "Site", "zh": "地点"},
    "operator": {"en": "Operator", "zh": "运营机构"},
    "participants": {"en": "Participants", "zh": "参与方"},
    "first_plasma": {"en": "First plasma", "zh": "第一次等离子体"},
    "end_of_operation": {"en": "End of operation", "zh": "停止运行"},
    "major_radius": {"en": "Major radius", "zh": "大半径"},
    "minor_radius": {"en": "Minor radius", "zh": "小半径"},
    "elongation": {"en": "Elongation", "zh": "拉长比"},
    "plasma_volume": {"en": "Plasma volume", "zh": "等离子体体积"},
    "toroidal_field": {"en": "Toroidal field", "zh": "环向磁场"},
    "plasma_current": {"en": "Plasma current", "zh": "等离子体电流"},
    "heating_power": {"en": "Heating power", "zh": "加热功率"},
    "records": {"en": "Records and targets", "zh": "纪录与目标"},
    "headline_records": {"en": "Headline records", "zh": "主要纪录"},
    "role": {"en": "Role", "zh": "角色"},
    "joined": {"en": "Joined", "zh": "加入"},
    "left": {"en": "Left", "zh": "退出"},
    "share": {"en": "Share of construction cost", "zh": "建造费用份额"},
    "domestic_agency": {"en": "Domestic agency", "zh": "国内机构"},
    "components": {"en": "Main in-kind components", "zh": "主要实物贡献部件"},
    "continues": {"en": "Continues", "zh": "继承自"},
    "continued_by": {"en": "Continued by", "zh": "由其继承"},
    "start": {"en": "Start", "zh": "开始"},
    "end": {"en": "End", "zh": "结束"},
    "dates": {"en": "Dates", "zh": "时间"},
    "summary": {"en": "Summary", "zh": "概述"},
    "city": {"en": "City", "zh": "城市"},
    "member": {"en": "Member", "zh": "成员"},
    "founded": {"en": "Founded", "zh": "成立"},
    "former_names": {"en": "Former names", "zh": "曾用名"},
    "coordinates": {"en": "Coordinates", "zh": "坐标"},
    "nationality": {"en": "Nationality", "zh": "国籍"},
    "life": {"en": "Life", "zh": "生卒"},
    "positions": {"en": "Positions", "zh": "职务"},
    "people": {"en": "People", "zh": "人物"},
    "date": {"en": "Date", "zh": "日期"},
    "event": {"en": "Event", "zh": "事件"},
    "involves": {"en": "Involves", "zh": "相关"},
    "era": {"en": "Era", "zh": "时代"},
    "events": {"en": "Events", "zh": "事件数"},
    "metric": {"en": "Record", "zh": "指标"},
    "value": {"en": "Value", "zh": "数值"},
    "q": {"en": "Q (derived)", "zh": "Q值（推算）"},
    "as_of": {"en": "as of", "zh": "截至"},
    "source": {"en": "Source", "zh": "来源"},
    "sources": {"en": "Sources", "zh": "来源"},
    "devices": {"en": "Devices", "zh": "装置"},
    "members": {"en": "Members", "zh": "成员"},
    "organisations": {"en": "Organisations", "zh": "机构"},
    "sites": {"en": "Sites", "zh": "地点"},
    "eras": {"en": "Eras", "zh": "时代"},
    "predecessors": {"en": "Predecessors", "zh": "前身装置"},
    "successors": {"en": "Successors", "zh": "后继装置"},
    "title": {"en": "Title", "zh": "标题"},
    "publisher": {"en": "Publisher", "zh": "发布者"},
    "published": {"en": "Published", "zh": "发布日期"},
    "accessed": {"en": "Accessed", "zh": "访问日期"},
    "cited_by": {"en": "Cited by", "zh": "引用页面"},
    # section headings of entity pages
    "h_about": {"en": "About", "zh": "简介"},
    "h_timeline": {"en": "Timeline", "zh": "时间线"},
    "h_related": {"en": "Related", "zh": "相关条目"},
    "h_records": {"en": "Records and targets", "zh": "纪录与目标"},
    "h_referenced_by": {"en": "Referenced by", "zh": "引用本页的页面"},
    "h_sources": {"en": "Sources", "zh": "来源"},
    "h_devices": {"en": "Devices", "zh": "装置"},
    "h_events": {"en": "Events", "zh": "事件"},
    # words
    "planned": {"en": "planned", "zh": "计划"},
    "actual": {"en": "actual", "zh": "实际"},
    "approx": {"en": "≈ ", "zh": "约"},
    "none": {"en": "None yet.", "zh": "暂无。"},
    "no_events": {"en": "No events in the chronology involve this page yet.", "zh": "年表中暂无涉及本页的事件。"},
    "not_referenced": {"en": "No other page links here yet.", "zh": "暂无其他页面链接到本页。"},
    "ongoing": {"en": "ongoing", "zh": "至今"},
    "counts": {
        "en": "{members} members and parties, {devices} devices, {eras} eras, {events} events, {sources} sources.",
        "zh": "{members}个成员与合作方，{devices}个装置，{eras}个时代，{events}个事件，{sources}个来源。",
    },
    "current_members": {
        "en": "ITER has {n} current members (including the host).",
        "zh": "ITER目前有{n}个成员（包括东道方）。",
    },
    "share_total": {"en": "Total of the shares listed", "zh": "所列份额合计"},
}

VALUES: dict[str, dict[str, str]] = {
    # controlled vocabulary values
    "host": {"en": "host", "zh": "东道方"},
    "member": {"en": "member", "zh": "成员"},
    "partner": {"en": "partner", "zh": "合作方"},
    "former": {"en": "former", "zh": "前成员"},
    "tokamak": {"en": "tokamak", "zh": "托卡马克"},
    "spherical-tokamak": {"en": "spherical tokamak", "zh": "球形托卡马克"},
    "stellarator": {"en": "stellarator", "zh": "仿星器"},
    "neutron-source": {"en": "neutron source", "zh": "中子源"},
    "accelerator-prototype": {"en": "accelerator prototype", "zh": "加速器原型"},
    "design-study": {"en": "design study", "zh": "设计研究"},
    "power-plant-design": {"en": "power plant design", "zh": "示范电站设计"},
    "concept": {"en": "concept", "zh": "概念"},
    "design": {"en": "design", "zh": "设计中"},
    "construction": {"en": "under construction", "zh": "建设中"},
    "operating": {"en": "operating", "zh": "运行中"},
    "retired": {"en": "retired", "zh": "已退役"},
    "cancelled": {"en": "cancelled", "zh": "已取消"},
    "fusion_power": {"en": "Fusion power", "zh": "聚变功率"},
    "fusion_energy": {"en": "Fusion energy", "zh": "聚变能量"},
    "pulse_length": {"en": "Pulse length", "zh": "脉冲长度"},
    "ion_temperature": {"en": "Ion temperature", "zh": "离子温度"},
    "electron_temperature": {"en": "Electron temperature", "zh": "电子温度"},
    "q_equivalent": {"en": "Equivalent Q", "zh": "等效Q值"},
    "plasma_current": {"en": "Plasma current", "zh": "等离子体电流"},
    "domestic-agency": {"en": "domestic agency", "zh": "国内机构"},
    "international-organisation": {"en": "international organisation", "zh": "国际组织"},
    "laboratory": {"en": "laboratory", "zh": "实验室"},
    "government-agency": {"en": "government agency", "zh": "政府机构"},
    "consortium": {"en": "consortium", "zh": "联合体"},
    "company": {"en": "company", "zh": "公司"},
    "university": {"en": "university", "zh": "大学"},
}


def label(key: str, lang: str = "en") -> str:
    return LABELS[key][lang]


def value(key: str, lang: str = "en") -> str:
    return VALUES[key][lang]
