"""README's two commands set the machine up or say exactly what to run, and a missing browser is never a quiet skip."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".ci" / "system-packages"

NEEDS_BROWSER = """
from tests.browser.conftest import browser  # noqa: F401 - the fixture under test


def test_it_needs_a_browser(browser):
    assert browser
"""


def fake_dpkg(folder: Path, installed: set[str]) -> Path:
    """A ``dpkg-query`` that knows only ``installed``: the machine the script sees, without touching this one."""
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True)
    names = " ".join(sorted(installed))
    script = bin_dir / "dpkg-query"
    script.write_text(
        "#!/bin/sh\n"
        "for package; do :; done\n"  # the last argument
        f'for name in {names}; do [ "$name" = "$package" ] && printf "install ok installed" && exit 0; done\n'
        "exit 1\n"
    )
    script.chmod(0o755)
    return bin_dir


def run_script(profile: str, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "SYSTEM_PACKAGES": "check"}
    env.pop("CHROMIUM_PATH", None)
    return subprocess.run(["bash", str(SCRIPT), profile], capture_output=True, text=True, env=env, check=False)  # noqa: S603, S607


def test_make_test_stops_with_the_exact_apt_command_when_chromium_is_missing(tmp_path: Path) -> None:
    everything_but_chromium = {
        "python3-venv",
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
        "fonts-noto-core",
        "qpdf",
        "poppler-utils",
        "gettext",
        "libreoffice-writer-nogui",
        "texlive-latex-base",
    }
    result = run_script("test", fake_dpkg(tmp_path, everything_but_chromium))
    assert result.returncode == 1
    assert "apt-get install -y --no-install-recommends chromium\n" in result.stderr


def test_make_run_does_not_ask_for_what_only_the_tests_need(tmp_path: Path) -> None:
    app_only = {"python3-venv", "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"}
    app_only |= {"fonts-dejavu-core", "fonts-noto-core"}
    assert run_script("run", fake_dpkg(tmp_path, app_only)).returncode == 0
    result = run_script("run", fake_dpkg(tmp_path / "no-venv", app_only - {"python3-venv"}))
    assert result.returncode == 1
    assert "apt-get install -y --no-install-recommends python3-venv\n" in result.stderr


def run_browser_test(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_needs_browser.py").write_text(NEEDS_BROWSER)
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "CHROMIUM_PATH": str(tmp_path / "no-chromium"), **env}
    environment.pop("REQUIRE_BROWSER", None)
    environment.update(env)
    command = [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-rs", "-q"]
    command += ["--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path)]
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=tmp_path, check=False)  # noqa: S603


def test_browser_tests_fail_when_chromium_cannot_start(tmp_path: Path) -> None:
    result = run_browser_test(tmp_path)
    assert result.returncode == 1, result.stdout
    assert "1 error" in result.stdout
    assert "REQUIRE_BROWSER=0 skips the browser tests" in result.stdout or "skip the browser tests" in result.stdout


def test_browser_tests_skip_only_when_explicitly_opted_out(tmp_path: Path) -> None:
    result = run_browser_test(tmp_path, REQUIRE_BROWSER="0")
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
