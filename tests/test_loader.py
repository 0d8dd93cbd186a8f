"""The YAML loader: line numbers, and refusal of what plain data must not hold."""

from macros.core.loader import parse_text


def one_problem(text: str) -> str:
    data, _lines, problems = parse_text(text, "x.yaml")
    assert data is None
    assert len(problems) == 1
    p = problems[0]
    return f"{p.line}: {p.field}: {p.message}" if p.field else f"{p.line}: {p.message}"


def test_lines_of_nested_fields():
    text = "id: a\nname:\n  en: A\nlist:\n  - x\n  - {k: v}\n"
    data, lines, problems = parse_text(text, "x.yaml")
    assert problems == []
    assert data == {"id": "a", "name": {"en": "A"}, "list": ["x", {"k": "v"}]}
    assert lines[("name", "en")] == 3
    assert lines[("list", 1, "k")] == 6


def test_dates_stay_text_and_numbers_are_numbers():
    data, _lines, _ = parse_text("d: 1983-06-25\nn: 2.96\ny: 1983\nb: true\n", "x.yaml")
    assert data == {"d": "1983-06-25", "n": 2.96, "y": 1983, "b": True}


def test_duplicate_key_is_refused():
    assert one_problem("id: a\nrole: x\nrole: y\n") == (
        "3: role: duplicate key 'role' (first at line 2); each key may appear once"
    )


def test_nested_duplicate_key_is_refused():
    assert one_problem("id: a\nname: {en: A, en: B}\n").startswith("2: name.en: duplicate key 'en'")


def test_syntax_error_names_the_line():
    assert one_problem("id: a\nname: [x, y\nother: 1\n").startswith("3: YAML syntax error:")


def test_empty_and_comment_only_files():
    assert one_problem("") == "1: the file is empty; it must hold one record (a mapping of fields)"
    assert one_problem("# only a comment\n\n") == "1: the file is empty; it must hold one record (a mapping of fields)"


def test_top_level_must_be_mapping():
    assert one_problem("- a\n- b\n") == "1: the top level must be a mapping of fields (key: value)"


def test_python_tags_are_refused_without_running_anything():
    msg = one_problem("id: a\nx: !!python/object/apply:os.system ['echo pwned']\n")
    assert msg.startswith("2: x: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed")


def test_billion_laughs_is_refused_quickly():
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    prev = "a"
    for name in "bcdefghij":
        bomb += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
        prev = name
    msg = one_problem(bomb)
    assert "anchors and aliases" in msg


def test_merge_keys_are_refused():
    assert "merge keys" in one_problem("base: {a: 1}\nx:\n  <<: {a: 1}\n  b: 2\n")


def test_several_documents_are_refused():
    assert "another document" in one_problem("id: a\n---\nid: b\n")
