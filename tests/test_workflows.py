"""CI least privilege: the GitHub Actions workflows pass zizmor (offline) and
follow the rules it cannot see on its own.

Rules: every action is pinned to a full commit hash with its version as a
comment; checkout keeps no credentials; the workflow level grants nothing that
writes; a job writes only what its action needs (Pages for the deploy job, the
repository's contents for the release job) and only from main; pull requests
get no write permission and no secrets; the publishing workflow restores no
cache a pull request could have filled; no ``${{ }}`` expansion inside ``run:``.
Each check also runs on a workflow that breaks it, so it is known to fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
MAIN_ONLY = "github.ref == 'refs/heads/main'"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
# `uses: owner/repo@<40 hex> # v1.2.3` (a trailing comment naming the version).
PINNED_LINE = re.compile(r"uses:\s*['\"]?(\S+?)['\"]?\s+#\s*v\d+(?:\.\d+)*\b")
# The only write permissions a job may hold, and the action that needs each.
WRITE_NEEDS = {
    "pages": "actions/deploy-pages",
    "id-token": "actions/deploy-pages",
    "contents": "softprops/action-gh-release",
}
CACHE_RESTORERS = ("actions/cache", "actions/cache/restore")


# --- reading workflows -------------------------------------------------------


def load(text: str) -> dict:
    workflow = yaml.safe_load(text)
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def triggers(workflow: dict) -> dict:
    on = workflow.get("on") or {}
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on


def steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def action(uses: str) -> str:
    """``owner/repo[/path]`` of a ``uses:`` value, without its ref."""
    return uses.split("@", 1)[0]


def job_actions(job: dict) -> set[str]:
    found = {action(s["uses"]) for s in steps(job) if "uses" in s}
    if "uses" in job:  # a reusable workflow
        found.add(action(job["uses"]))
    return found


def all_uses(workflow: dict) -> list[str]:
    uses = []
    for job in (workflow.get("jobs") or {}).values():
        if "uses" in job:
            uses.append(job["uses"])
        uses += [s["uses"] for s in steps(job) if "uses" in s]
    return uses


def strings(node) -> list[str]:
    """Every string in a loaded workflow, keys included (comments are not read)."""
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in strings(key) + strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return [node] if isinstance(node, str) else []


def writes(permissions) -> set[str]:
    """The scopes a ``permissions:`` value grants write access to ('*' for all)."""
    if permissions is None:
        return set()
    if isinstance(permissions, str):
        return {"*"} if permissions == "write-all" else set()
    return {scope for scope, level in permissions.items() if level == "write"}


def condition(value) -> str:
    text = str(value or "").strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2].strip()
    return re.sub(r"\s+", " ", text).replace('"', "'")


def is_publishing(workflow: dict) -> bool:
    """A workflow that deploys, releases or holds a write token."""
    jobs = (workflow.get("jobs") or {}).values()
    return bool(writes(workflow.get("permissions"))) or any(
        writes(job.get("permissions")) or job_actions(job) & set(WRITE_NEEDS.values()) for job in jobs
    )


# --- the rules -------------------------------------------------------------


def pin_problems(text: str) -> list[str]:
    remote = [u for u in all_uses(load(text)) if not u.startswith("./")]  # ./ is this repository
    commented = {m.group(1) for m in PINNED_LINE.finditer(text)}
    problems = [f"not pinned to a full commit hash: {u}" for u in remote if not SHA_PIN.match(u)]
    problems += [f"no version comment (`# vX.Y.Z`) after: {u}" for u in remote if u not in commented]
    return problems


def checkout_problems(text: str) -> list[str]:
    problems = []
    for name, job in (load(text).get("jobs") or {}).items():
        for step in steps(job):
            if action(step.get("uses", "")) == "actions/checkout":
                if (step.get("with") or {}).get("persist-credentials") is not False:
                    problems.append(f"{name}: checkout without `persist-credentials: false`")
    return problems


def permission_problems(text: str) -> list[str]:
    workflow = load(text)
    problems = []
    if "permissions" not in workflow:
        problems.append("no workflow-level `permissions:` (the default token may write)")
    elif writes(workflow["permissions"]) or workflow["permissions"] in ("read-all",):
        problems.append(f"workflow-level permissions grant too much: {workflow['permissions']}")
    for name, job in (workflow.get("jobs") or {}).items():
        granted = writes(job.get("permissions"))
        if "*" in granted:
            problems.append(f"{name}: write-all")
            continue
        for scope in sorted(granted):
            needed_by = WRITE_NEEDS.get(scope)
            if needed_by not in job_actions(job):
                problems.append(f"{name}: `{scope}: write` is not needed by any of its steps")
        if granted and condition(job.get("if")) != MAIN_ONLY:
            problems.append(f"{name}: holds a write token but lacks `if: {MAIN_ONLY}`")
        needs = {scope for scope, act in WRITE_NEEDS.items() if act in job_actions(job)}
        if needs - granted:
            problems.append(f"{name}: its actions need {sorted(needs - granted)}: grant them to this job only")
    return problems


def pull_request_problems(text: str) -> list[str]:
    workflow = load(text)
    problems = []
    on = triggers(workflow)
    if "pull_request_target" in on:
        problems.append("`pull_request_target` runs a pull request's code with a write token and secrets")
    if "pull_request" in on:
        if writes(workflow.get("permissions")):
            problems.append("a pull request workflow grants write permission")
        for name, job in (workflow.get("jobs") or {}).items():
            if writes(job.get("permissions")):
                problems.append(f"{name}: a pull request job holds a write permission")
        if any(re.search(r"\bsecrets\s*[.\[]", value) for value in strings(workflow)) or any(
            "secrets" in job for job in (workflow.get("jobs") or {}).values()
        ):
            problems.append("a pull request workflow reads secrets")
    return problems


def publishing_problems(text: str) -> list[str]:
    """Deploying and releasing happen from main only, from no cache."""
    workflow = load(text)
    if not is_publishing(workflow):
        return []
    problems = []
    on = triggers(workflow)
    for trigger in ("pull_request", "pull_request_target", "workflow_run"):
        if trigger in on:
            problems.append(f"a publishing workflow runs on `{trigger}`")
    branches = ((on.get("push") or {}) if isinstance(on.get("push"), dict) else {}).get("branches")
    if branches != ["main"]:
        problems.append(f"a publishing workflow must run on pushes to main only, not branches={branches}")
    for name, job in (workflow.get("jobs") or {}).items():
        if "actions/deploy-pages" in job_actions(job) and condition(job.get("if")) != MAIN_ONLY:
            problems.append(f"{name}: deploys without `if: {MAIN_ONLY}`")
        for restorer in sorted(job_actions(job) & set(CACHE_RESTORERS)):
            problems.append(f"{name}: restores a cache ({restorer}) in a publishing workflow")
    return problems


def injection_problems(text: str) -> list[str]:
    problems = []
    for name, job in (load(text).get("jobs") or {}).items():
        for step in steps(job):
            if "${{" in str(step.get("run", "")):
                problems.append(f"{name}: `${{{{ }}}}` inside `run:` (pass the value through `env:`)")
    return problems


RULES = (pin_problems, checkout_problems, permission_problems, pull_request_problems, publishing_problems, injection_problems)


def workflow_texts() -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(WORKFLOWS.glob("*.y*ml"))}
    assert {"main.yml", "pull-request.yml"} <= set(texts), sorted(texts)
    return texts


# --- the real workflows ----------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_workflows_follow_the_rule(rule):
    problems = {name: rule(text) for name, text in workflow_texts().items()}
    assert not any(problems.values()), problems


def test_pull_request_workflow_runs_on_pull_request_with_read_only_token():
    workflow = load(workflow_texts()["pull-request.yml"])
    assert "pull_request" in triggers(workflow)
    assert not is_publishing(workflow)
    assert workflow["permissions"] in ({}, {"contents": "read"})


def test_deploy_and_release_jobs_hold_only_their_own_write_permission():
    jobs = load(workflow_texts()["main.yml"])["jobs"]
    granted = {name: writes(job.get("permissions")) for name, job in jobs.items()}
    deployers = [n for n, j in jobs.items() if "actions/deploy-pages" in job_actions(j)]
    releasers = [n for n, j in jobs.items() if "softprops/action-gh-release" in job_actions(j)]
    assert len(deployers) == 1 and len(releasers) == 1, (deployers, releasers)
    assert granted[deployers[0]] == {"pages", "id-token"}
    assert granted[releasers[0]] == {"contents"}
    assert all(not scopes for name, scopes in granted.items() if name not in (*deployers, *releasers)), granted
    assert condition(jobs[deployers[0]].get("if")) == MAIN_ONLY


def test_workflows_still_run_the_checks_and_publish():
    texts = workflow_texts()
    pr, main = load(texts["pull-request.yml"]), load(texts["main.yml"])

    def runs(workflow):
        return " ".join(str(s.get("run", "")) for j in workflow["jobs"].values() for s in steps(j))

    def uploads(workflow, act):
        return [s.get("with", {}) for j in workflow["jobs"].values() for s in steps(j) if action(s.get("uses", "")) == act]

    for command in ("make check", "make build", "make test"):
        assert command in runs(pr), command
    assert any(w.get("path") == "test-artifacts/" for w in uploads(pr, "actions/upload-artifact"))
    for command in ("make test", "make build", "make archive", "make zim"):
        assert command in runs(main), command
    assert [w.get("path") for w in uploads(main, "actions/upload-pages-artifact")] == ["site/"]
    assert any(w.get("path", "").split() == ["dist/*.zip", "dist/*.zim"] for w in uploads(main, "actions/upload-artifact"))
    assert any("actions/deploy-pages" in job_actions(j) for j in main["jobs"].values())
    assert any(w.get("files", "").split() == ["dist/*.zip", "dist/*.zim"] for w in uploads(main, "softprops/action-gh-release"))


# --- the rules can fail --------------------------------------------------------

UNSAFE = textwrap.dedent(
    """\
    name: Unsafe
    on:
      pull_request_target:
      push:
        branches: [main, dev]
    permissions:
      contents: write
    jobs:
      build:
        runs-on: ubuntu-24.04
        permissions:
          pages: write
        steps:
          - uses: actions/checkout@v4.2.2
          - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
            with:
              persist-credentials: "false"
          - uses: actions/cache@1bd1e32a3bdc45362d1e726936510720a7c30a57 # v4.2.0
            with:
              path: .cache
              key: k
          - run: echo "${{ github.event.pull_request.title }}"
            env:
              TOKEN: ${{ secrets.DEPLOY_TOKEN }}
      deploy:
        needs: build
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5
    """
)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_each_rule_rejects_an_unsafe_workflow(rule):
    assert rule(UNSAFE), f"{rule.__name__} found nothing wrong in a workflow that breaks it"


def test_rules_reject_the_details():
    assert len(pin_problems(UNSAFE)) == 3  # a tag; two hashes without a version comment
    assert len(checkout_problems(UNSAFE)) == 2  # missing, and the string "false"
    problems = " ".join(permission_problems(UNSAFE))
    assert "workflow-level" in problems and "`pages: write` is not needed" in problems
    assert "its actions need ['id-token', 'pages']" in problems
    problems = " ".join(pull_request_problems(UNSAFE))
    assert "pull_request_target" in problems and "secrets" in problems
    problems = " ".join(publishing_problems(UNSAFE))
    assert "restores a cache" in problems and "deploys without" in problems and "pushes to main only" in problems
    assert injection_problems(UNSAFE)
    # The same workflow, made safe, passes.
    safe = textwrap.dedent(
        """\
        on:
          push:
            branches: [main]
        permissions: {}
        jobs:
          deploy:
            if: ${{ github.ref == 'refs/heads/main' }}
            runs-on: ubuntu-24.04
            permissions:
              pages: write
              id-token: write
            steps:
              - uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5
              - run: echo "$TITLE"
                env:
                  TITLE: ${{ github.event.head_commit.message }}
        """
    )
    assert [rule(safe) for rule in RULES] == [[]] * len(RULES)


# --- zizmor ----------------------------------------------------------------


def zizmor_command() -> str:
    """zizmor (a dev dependency) is a binary script next to this Python, not a module."""
    name = "zizmor.exe" if os.name == "nt" else "zizmor"
    for folder in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which("zizmor")
    assert found, "zizmor is not installed: it is a dev dependency (pyproject.toml, requirements.lock)"
    return found


def zizmor_findings(path: Path) -> list[dict]:
    """zizmor's findings for the workflows under ``path``, offline (no network)."""
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    result = subprocess.run(
        [zizmor_command(), "--offline", "--no-exit-codes", "--no-progress", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"zizmor failed ({result.returncode}):\n{result.stderr}"
    return json.loads(result.stdout)


def serious(findings: list[dict]) -> list[str]:
    lines = []
    for finding in findings:
        severity = finding["determinations"]["severity"]
        if severity not in ("High", "Medium"):
            continue
        location = finding["locations"][0]
        key = location["symbolic"]["key"].get("Local", {})
        row = location["concrete"]["location"]["start_point"]["row"] + 1
        where = f"{key.get('verbatim_path', key.get('given_path', '?'))}:{row}"
        lines.append(f"{severity} {finding['ident']} at {where}: {finding['desc']}: {location['symbolic']['annotation']}")
    return lines


def test_zizmor_finds_no_high_or_medium_problem():
    findings = serious(zizmor_findings(WORKFLOWS))
    assert not findings, "zizmor --offline .github/workflows/:\n" + "\n".join(findings)


def test_zizmor_reports_an_unsafe_workflow(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "unsafe.yml").write_text(UNSAFE, encoding="utf-8")
    idents = {line.split()[1] for line in serious(zizmor_findings(workflows))}
    assert {"unpinned-uses", "excessive-permissions", "template-injection"} <= idents, idents
