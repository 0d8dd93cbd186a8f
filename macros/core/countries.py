"""Countries a device may stand in: ISO 3166-1 alpha-2 codes, with their names.

One table: the model accepts exactly these codes, and pages show these names.
``EU`` stands for the European Union's own facilities (EUROfusion designs).
"""

from __future__ import annotations

COUNTRIES: dict[str, dict[str, str]] = {
    "AR": {"en": "Argentina", "zh": "阿根廷"},
    "AT": {"en": "Austria", "zh": "奥地利"},
    "AU": {"en": "Australia", "zh": "澳大利亚"},
    "BE": {"en": "Belgium", "zh": "比利时"},
    "BR": {"en": "Brazil", "zh": "巴西"},
    "CA": {"en": "Canada", "zh": "加拿大"},
    "CH": {"en": "Switzerland", "zh": "瑞士"},
    "CL": {"en": "Chile", "zh": "智利"},
    "CN": {"en": "China", "zh": "中国"},
    "CR": {"en": "Costa Rica", "zh": "哥斯达黎加"},
    "CZ": {"en": "Czech Republic", "zh": "捷克"},
    "DE": {"en": "Germany", "zh": "德国"},
    "DK": {"en": "Denmark", "zh": "丹麦"},
    "EG": {"en": "Egypt", "zh": "埃及"},
    "ES": {"en": "Spain", "zh": "西班牙"},
    "EU": {"en": "European Union", "zh": "欧盟"},
    "FR": {"en": "France", "zh": "法国"},
    "GB": {"en": "United Kingdom", "zh": "英国"},
    "HU": {"en": "Hungary", "zh": "匈牙利"},
    "IL": {"en": "Israel", "zh": "以色列"},
    "IN": {"en": "India", "zh": "印度"},
    "IR": {"en": "Iran", "zh": "伊朗"},
    "IT": {"en": "Italy", "zh": "意大利"},
    "JP": {"en": "Japan", "zh": "日本"},
    "KR": {"en": "Korea", "zh": "韩国"},
    "KZ": {"en": "Kazakhstan", "zh": "哈萨克斯坦"},
    "LV": {"en": "Latvia", "zh": "拉脱维亚"},
    "MX": {"en": "Mexico", "zh": "墨西哥"},
    "MY": {"en": "Malaysia", "zh": "马来西亚"},
    "NL": {"en": "Netherlands", "zh": "荷兰"},
    "NZ": {"en": "New Zealand", "zh": "新西兰"},
    "PK": {"en": "Pakistan", "zh": "巴基斯坦"},
    "PL": {"en": "Poland", "zh": "波兰"},
    "PT": {"en": "Portugal", "zh": "葡萄牙"},
    "RU": {"en": "Russia", "zh": "俄罗斯"},
    "SE": {"en": "Sweden", "zh": "瑞典"},
    "SU": {"en": "Soviet Union", "zh": "苏联"},  # (reserved by ISO 3166-3 for the USSR)
    "TH": {"en": "Thailand", "zh": "泰国"},
    "TR": {"en": "Turkey", "zh": "土耳其"},
    "TW": {"en": "Taiwan", "zh": "台湾"},
    "UA": {"en": "Ukraine", "zh": "乌克兰"},
    "US": {"en": "United States", "zh": "美国"},
    "UY": {"en": "Uruguay", "zh": "乌拉圭"},
}
