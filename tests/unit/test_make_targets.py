"""The make targets prepare what they need on a fresh machine: `make bench`
makes its vhost through RabbitMQ's management API, which only ensure_servers
enables, so it runs ensure_servers before the bench (as `make test` does)."""

import subprocess

from shared.launcher import ROOT


def recipe(target: str) -> list[str]:
    """The commands `make <target>` would run, in order (make -n runs nothing)."""
    out = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [step.strip() for line in out.splitlines() for step in line.split("&&")]


def test_make_bench_ensures_the_servers_and_the_management_api_first():
    steps = recipe("bench")
    bench = next(i for i, step in enumerate(steps) if "bench/throughput.py" in step)
    assert "scripts/ensure_servers.sh" in steps[:bench], steps
    assert "scripts/bootstrap.sh" in steps[:bench], steps


def test_ensure_servers_enables_the_management_api():
    script = (ROOT / "scripts" / "ensure_servers.sh").read_text()
    assert "rabbitmq-plugins enable rabbitmq_management" in script
    assert "15672" in script


def test_make_test_ensures_the_servers_too():
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert script.index("scripts/ensure_servers.sh") < script.index("-m pytest")
