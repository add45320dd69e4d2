"""`make eval` and `make bench` run end to end (small scale); no timing asserts."""
from __future__ import annotations

import json
import subprocess
import sys

from bot import PROJECT_DIR

ENV = {"RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(PROJECT_DIR), "PATH": "/usr/bin:/bin"}


def test_evaluation_writes_its_report_with_the_baseline(model_path):
    result = subprocess.run([sys.executable, "-m", "tools.evaluation"], cwd=PROJECT_DIR, env=ENV,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| held-out: FAQ answer top-1 |" in result.stdout and "TF-IDF nearest example" in result.stdout
    assert "| 3-fold cross-validation: FAQ answer |" in result.stdout
    for report in ("eval.md", "confusion-vragenbot.png", "confusion-baseline.png"):
        assert (PROJECT_DIR / "reports" / report).stat().st_size > 0, report


def test_baseline_cross_validation_prints_its_rows(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tools.crossval"], cwd=PROJECT_DIR, env=ENV,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| TF-IDF baseline")]
    assert len(rows) == 2 and all("%" in row for row in rows)


def test_tuning_by_cross_validation_reports_settings_and_thresholds(capsys):
    """`tools.tune --quick` in this process: its out-of-fold runs are the ones tests/tools/test_tune.py
    checks config.yml with, and tools.tune makes each run once per process."""
    from tools.tune import main

    assert main(["--quick"]) == 0
    printed = capsys.readouterr().out
    assert "FallbackClassifier `threshold:" in printed and "FAQ gate `threshold:" in printed
    assert (PROJECT_DIR / "reports" / "tune-quick.md").read_text(encoding="utf-8") in printed


def test_benchmark_quick_run_prints_its_table_and_json(model_path):
    result = subprocess.run([sys.executable, "-m", "tools.bench", "--quick"], cwd=PROJECT_DIR, env=ENV,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads((PROJECT_DIR / "reports" / "bench.json").read_text())
    assert figures["faq"]["p50_ms"] > 0 and figures["lookup"]["questions"] > 0
    assert all(level["errors"] == 0 for level in figures["load"])
    assert "concurrent users" in result.stdout
    # make report over a synthetic store: every conversation and question counted.
    assert (figures["report"]["conversations"], figures["report"]["questions"]) == (2_000, 6_000)
    assert "make report over 2,000 conversations" in result.stdout
