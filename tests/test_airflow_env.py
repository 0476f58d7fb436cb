"""scripts/airflow_env.sh: sourcing it must not change the caller's shell (options, variables)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "airflow_env.sh"
BASH = shutil.which("bash")
OPTS = 'echo "flags=$-"; set -o | grep -E "^(errexit|nounset|pipefail)[[:space:]]"'

pytestmark = pytest.mark.skipif(BASH is None, reason="bash not installed")


def bash(script: str, tmp_path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run([BASH, "--norc", "--noprofile", "-c", script], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)


@pytest.mark.parametrize("preset", ["", "set -u", "set -e -o pipefail"])
def test_sourcing_keeps_caller_shell_options(tmp_path, preset):
    home = tmp_path / "af"
    r = bash(f'{preset}\n{OPTS}\necho ---\nROOT=mine; mode=keep\nsource "{SCRIPT}" "{home}"\n{OPTS}\n'
             f'echo "AIRFLOW_HOME=$AIRFLOW_HOME ROOT=$ROOT mode=$mode fn=$(type -t _mediamon_airflow_env)"', tmp_path)
    assert r.returncode == 0, r.stderr
    before, after = r.stdout.split("---\n")
    after, last = after.rsplit("\n", 2)[0] + "\n", after.rsplit("\n", 2)[1]
    assert before == after, (before, after)
    assert "errexit" in before and "nounset" in before and "pipefail" in before
    assert last == f"AIRFLOW_HOME={home} ROOT=mine mode=keep fn="  # nothing else left behind
    assert home.is_dir()


def test_failing_command_after_sourcing_does_not_end_the_shell(tmp_path):
    r = bash(f'source "{SCRIPT}" "{tmp_path / "af"}"\nfalse\necho "$UNSET_VARIABLE_X" | cat\necho still-alive', tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == "still-alive", (r.stdout, r.stderr)


def test_executed_script_exports_nothing_to_the_caller(tmp_path):
    r = bash(f'bash "{SCRIPT}" "{tmp_path / "af"}"; echo "rc=$? home=${{AIRFLOW_HOME:-unset}}"', tmp_path)
    assert r.stdout.splitlines() == ["rc=0 home=unset"], r.stderr
    assert (tmp_path / "af").is_dir()
