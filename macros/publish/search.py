"""What Chinese search needs from the data: a jieba user dictionary of every Chinese name."""

from __future__ import annotations

from ..core.atlas import PAGE_KINDS, Atlas


def jieba_user_dict(atlas: Atlas) -> str:
    """A jieba user dictionary of every Chinese name and alias in the data.

    Entity names become whole search tokens (卡达拉舍, 国际热核聚变实验反应堆).
    One ``word frequency`` pair a line, sorted, so the file is deterministic.
    """
    words = set()
    for kind in PAGE_KINDS:
        for rec in atlas.records[kind].values():
            for name in [rec.name.zh, *rec.aliases]:
                # (names are one line with no spaces: validation refuses line breaks; this is the last guard)
                if name and not any(ch.isspace() for ch in name) and any("\u4e00" <= ch <= "\u9fff" for ch in name):
                    words.add(name)
    return "".join(f"{w} 100000\n" for w in sorted(words))
