"""Incremental builds: a build writes only the documents whose inputs, code or files changed;
the build record (OUT/.handout-manifest.json) is untrusted and never holds a patient's details;
a build with nothing to do decides without loading the engine."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from builder import batch, incremental, manifest
from builder.cli import main
from builder.errors import Problem
from builder.manifest import MANIFEST_NAME

from .hostile import BRAND_YAML, EN_YAML, edit, image_bytes, write_files

TODAY = dt.date.today()

JA_YAML = """\
title: デモの資料
sections:
  - type: about
    text: この病気についての説明です。
  - type: prepare
    items:
      - id: loose-clothes
        text: ゆったりした服を着てきてください。
      - id: light-meal
        text: 軽い食事をとってきてください。
  - type: red_flags
    items:
      - id: chest-pain
        text: 胸の痛みや息苦しさがあるとき。
  - type: faq
    items:
      - q: 痛いですか？
        a: ほとんどの人は少し感じるだけです。
"""

FIGURE_SECTION = """\
  - type: figure
    figure: points
    caption: Where the points are.
    alt: A line drawing of a knee with two points marked.
"""


def handout_yaml(hid: str, due: dt.date, layouts: str, figures: bool = False) -> str:
    return (f"id: {hid}\ncondition: Demo condition\nsource_language: en\n"
            f"reviewed: {TODAY - dt.timedelta(days=300)}\nreview_due: {due}\n"
            f"layouts: [{layouts}]\n" + ("figures:\n  points: figures/points.png\n"
                                         if figures else ""))


def make_project(root: Path) -> Path:
    """alpha (en, ja; leaflet and bilingual; review due soon) and beta (en, with a figure;
    leaflet and booklet) for demo-brand (with a logo) and other-brand: ten documents."""
    write_files(root, {
        "handouts/alpha/handout.yaml": handout_yaml("alpha", TODAY + dt.timedelta(days=30),
                                                    "leaflet, bilingual"),
        "handouts/alpha/en.yaml": EN_YAML,
        "handouts/alpha/ja.yaml": JA_YAML,
        "handouts/beta/handout.yaml": handout_yaml("beta", dt.date(2099, 1, 1),
                                                   "leaflet, booklet", figures=True),
        "handouts/beta/en.yaml": EN_YAML + FIGURE_SECTION,
        "handouts/beta/figures/points.png": image_bytes("PNG", (200, 150)),
        "assets/brands/demo-brand/brand.yaml": BRAND_YAML + "logo: logo.png\n",
        "assets/brands/demo-brand/logo.png": image_bytes("PNG", (120, 40)),
        "assets/brands/other-brand/brand.yaml": edit(BRAND_YAML, "Demo Clinic", "Other Clinic"),
    })
    # Saved an hour ago: a file saved in the last two seconds is hashed again by the next build
    # (digests.RACY_NS), which would record its hash then and rewrite the record.
    an_hour_ago = (dt.datetime.now().timestamp() - 3600) * 1e9
    for path in root.rglob("*"):
        os.utime(path, ns=(int(an_hour_ago), int(an_hour_ago)))
    return root


ALPHA = {f"{brand}/{lang}/alpha-{layout}-a4.pdf" for brand in ("demo-brand", "other-brand")
         for lang, layout in (("en", "leaflet"), ("ja", "leaflet"), ("ja+en", "bilingual"))}
BETA = {f"{brand}/en/beta-{layout}-a4.pdf" for brand in ("demo-brand", "other-brand")
        for layout in ("leaflet", "booklet")}
EVERYTHING = ALPHA | BETA


BRANDS = ("-b", "demo-brand", "-b", "other-brand")  # (not the built-in ones)


def build(*args: str) -> Result:
    """`handout build` of the project in the working folder into out/, in this process."""
    brands = () if "-b" in args else BRANDS
    result = CliRunner().invoke(main, ["build", "--root", ".", "-o", "out", "-j", "1", *brands,
                                       *args], prog_name="handout")
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, \
        result.output
    return result


def built(result: Result) -> set[str]:
    """The documents a build wrote (its 'built PATH' lines), relative to out/."""
    return {line.removeprefix("built out/") for line in result.stdout.splitlines()
            if line.startswith("built ")}


def summary(result: Result) -> str:
    return result.stderr.splitlines()[-1]


def files(out: Path) -> dict[str, tuple[int, int]]:
    """Every file under out/ with its modification time and size."""
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project, built once; each test works on a copy of it (and its out/)."""
    root = make_project(tmp_path_factory.mktemp("incremental") / "proj")
    before = os.getcwd()
    os.chdir(root)
    try:
        result = build()
    finally:
        os.chdir(before)
    assert result.exit_code == 0, result.output
    assert built(result) == EVERYTHING
    return root


@pytest.fixture
def proj(built_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built project (the working folder): a copy moves its project and its
    output folder together, so every document is still up to date."""
    root = tmp_path / "proj"
    shutil.copytree(built_once, root, symlinks=True)
    monkeypatch.chdir(root)
    result = build()
    assert (result.exit_code, built(result)) == (0, set()), result.output
    assert summary(result).startswith("Built 0, 10 up to date, 0 failed, in "), result.output
    return root


# -- what is built again -----------------------------------------------------------------------


def test_a_second_build_writes_nothing(proj: Path) -> None:
    before = files(proj / "out")
    result = build()
    assert result.exit_code == 0 and result.stdout == "", result.output
    assert summary(result).startswith("Built 0, 10 up to date, 0 failed, in "), result.output
    assert files(proj / "out") == before


def test_force_builds_everything(proj: Path) -> None:
    result = build("--force")
    assert result.exit_code == 0, result.output
    assert built(result) == EVERYTHING
    assert summary(result).startswith("Built 10, 0 up to date, 0 failed, in "), result.output
    assert built(build()) == set()  # (and the record is up to date again)


@pytest.mark.parametrize(("changed", "rebuilt"), [
    ("handouts/alpha/ja.yaml", {d for d in ALPHA if "/ja" in d}),
    ("handouts/alpha/en.yaml", {d for d in ALPHA if "/ja/" not in d}),
    ("handouts/alpha/handout.yaml", ALPHA),
    ("handouts/beta/figures/points.png", BETA),
    ("assets/brands/demo-brand/brand.yaml", {d for d in EVERYTHING if "demo-brand" in d}),
    ("assets/brands/demo-brand/logo.png", {d for d in EVERYTHING if "demo-brand" in d}),
    ("assets/brands/other-brand/brand.yaml", {d for d in EVERYTHING if "other-brand" in d}),
])
def test_a_changed_file_rebuilds_exactly_what_depends_on_it(proj: Path, changed: str,
                                                             rebuilt: set[str]) -> None:
    path = proj / changed
    if path.suffix == ".png":
        path.write_bytes(image_bytes("PNG", (210, 150) if "figures" in changed else (90, 30)))
    else:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Demo", "Sample", 1) if "Demo" in text else
                        text.replace("説明です", "説明になります", 1), encoding="utf-8")
    result = build()
    assert result.exit_code == 0, result.output
    assert built(result) == rebuilt
    assert summary(result).startswith(f"Built {len(rebuilt)}, {10 - len(rebuilt)} up to date, "
                                      "0 failed, in "), result.output
    assert built(build()) == set()


def test_a_document_deleted_or_replaced_by_hand_is_built_again(proj: Path) -> None:
    out = proj / "out"
    (out / "demo-brand/en/alpha-leaflet-a4.pdf").unlink()
    (out / "other-brand/ja/alpha-leaflet-a4.pdf").write_bytes(b"%PDF-1.4 replaced by hand")
    (out / "demo-brand/en/beta-booklet-a4-reading.pdf").unlink()  # a layout's extra file
    result = build()
    assert result.exit_code == 0, result.output
    assert built(result) == {"demo-brand/en/alpha-leaflet-a4.pdf",
                             "other-brand/ja/alpha-leaflet-a4.pdf",
                             "demo-brand/en/beta-booklet-a4.pdf"}
    assert (out / "demo-brand/en/beta-booklet-a4-reading.pdf").is_file()
    assert (out / "other-brand/ja/alpha-leaflet-a4.pdf").read_bytes().startswith(b"%PDF-1.4\n")


def test_a_failed_handout_is_retried_and_the_others_stay_up_to_date(proj: Path) -> None:
    en = proj / "handouts/beta/en.yaml"
    good = en.read_text()
    en.write_text(good.replace("title: Demo handout\n", ""))
    for _ in range(2):  # a failure is never recorded: the next build tries again
        result = build()
        assert result.exit_code == 1, result.output
        assert built(result) == set()
        assert "handouts/beta/en.yaml:1:1: missing 'title'" in result.stderr, result.output
        assert summary(result).startswith("Built 0, 6 up to date, 4 failed, in "), result.output
        assert summary(result).endswith("; failed: demo-brand/en/beta-booklet-a4, "
                                        "demo-brand/en/beta-leaflet-a4, "
                                        "other-brand/en/beta-booklet-a4, "
                                        "other-brand/en/beta-leaflet-a4."), result.output
    en.write_text(good)
    assert built(build()) == set()  # its documents are as they were built: up to date again


def test_a_run_for_some_documents_keeps_the_record_of_the_others(
        proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (proj / "handouts/alpha/ja.yaml").write_text(JA_YAML.replace("説明です", "説明になります"))
    result = build("alpha", "-l", "ja", "-b", "other-brand")
    assert built(result) == {"other-brand/ja/alpha-leaflet-a4.pdf",
                             "other-brand/ja+en/alpha-bilingual-a4.pdf"}, result.output
    result = build("beta")
    assert (result.exit_code, built(result)) == (0, set()), result.output
    assert built(build()) == {"demo-brand/ja/alpha-leaflet-a4.pdf",
                              "demo-brand/ja+en/alpha-bilingual-a4.pdf"}
    loads = count_engine_loads(monkeypatch)
    for selection in ((), ("alpha", "-l", "ja", "-b", "other-brand"), ("beta",)):
        result = build(*selection)  # each selection remembers its own plan
        assert (result.exit_code, built(result)) == (0, set()), result.output
    assert loads == []


def test_a_build_that_is_not_recorded_is_built_again(proj: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that could not save its record (a full disk, or stopped before the end) leaves
    the documents it wrote unrecorded: the next build builds them again, and only them."""
    (proj / "handouts/beta/figures/points.png").write_bytes(image_bytes("PNG", (210, 150)))

    def full_disk(out_dir: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(incremental, "write_manifest", full_disk)
    result = build()
    assert result.exit_code == 0, result.output
    assert built(result) == BETA
    assert (f"out/{MANIFEST_NAME}: not saved (No space left on device); the next build builds "
            "these documents again (warning)") in result.stderr.splitlines(), result.output
    monkeypatch.undo()
    monkeypatch.chdir(proj)
    assert built(build()) == BETA
    assert built(build()) == set()


def test_a_change_to_the_code_rebuilds_everything(proj: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "code_fingerprint", lambda root, digests: "0" * 64)
    result = build()
    assert result.exit_code == 0, result.output
    assert built(result) == EVERYTHING


# -- a build with nothing to do -----------------------------------------------------------------


def count_engine_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """batch.load_engine, counting its calls: returns the list of the roots it loaded."""
    real = batch.load_engine
    loads: list[Path | None] = []

    def load_engine(root: Path | None = None) -> batch.Engine:
        loads.append(root)
        return real(root)

    monkeypatch.setattr(batch, "load_engine", load_engine)
    return loads


def test_nothing_to_do_needs_no_engine_and_still_warns_of_reviews(
        proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads = count_engine_loads(monkeypatch)
    (proj / "out/demo-brand/en/alpha-leaflet-a4.pdf").unlink()
    with_engine = build()
    assert built(with_engine) == {"demo-brand/en/alpha-leaflet-a4.pdf"}
    assert len(loads) == 1
    result = build()
    assert result.exit_code == 0, result.output
    assert len(loads) == 1  # not loaded again
    due = TODAY + dt.timedelta(days=30)
    warning = f"handouts/alpha/handout.yaml:5:13: review_due: the review is due on {due} (warning)"
    assert warning in result.stderr.splitlines(), result.output
    assert result.stderr.splitlines()[:-1] == with_engine.stderr.splitlines()[:-1]
    assert summary(result).startswith("Built 0, 10 up to date, 0 failed, in "), result.output
    (proj / "handouts/alpha/en.yaml").write_text(EN_YAML.replace("Demo", "Sample"))
    assert len(built(build())) == 4 and len(loads) == 2  # something changed: the engine is needed


def test_the_installed_command_builds_then_has_nothing_to_do(proj: Path) -> None:
    handout = shutil.which("handout")
    if handout is None:
        pytest.skip("the handout command is not installed")
    (proj / "handouts/beta/figures/points.png").write_bytes(image_bytes("PNG", (210, 150)))
    command = [handout, "build", "--root", ".", "-o", "out", *BRANDS]  # (a real pool)
    first = subprocess.run(command, cwd=proj, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert {line.removeprefix("built out/") for line in first.stdout.splitlines()} == BETA
    # (The process ends without Python's teardown here: its summary and report must be whole.)
    second = subprocess.run([*command, "--report", "report.json"], cwd=proj,
                            capture_output=True, text=True, timeout=60)
    assert (second.returncode, second.stdout) == (0, ""), second.stderr
    assert second.stderr.splitlines()[-1].startswith("Built 0, 10 up to date, 0 failed, in ")
    report = json.loads((proj / "report.json").read_text())
    assert (report["totals"]["up_to_date"], len(report["outputs"])) == (10, 10)
    piped = subprocess.run(f"'{handout}' build --root . -o out {' '.join(BRANDS)} 2>&1 | cat",
                           shell=True, cwd=proj, capture_output=True, text=True, timeout=60)
    assert piped.stdout.splitlines()[:-1] == second.stderr.splitlines()[:-1], piped
    assert piped.stdout.splitlines()[-1].startswith("Built 0, 10 up to date, 0 failed, in ")
    # Started without standard input, output or error: nothing opened later takes their place.
    before = {name: (proj / "out" / name).stat().st_mtime_ns for name in EVERYTHING}
    for extra, closed in (("", ">&-"), ("", "2>&-"), ("", "<&- >&- 2>&-"),
                          ("--force", "<&- >&- 2>&-")):
        done = subprocess.run(f"'{handout}' build --root . -o out {' '.join(BRANDS)} {extra} "
                              f"{closed}", shell=True, cwd=proj, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, (closed, done)
    assert all((proj / "out" / name).stat().st_mtime_ns != before[name] for name in EVERYTHING)
    assert json.loads((proj / "out" / MANIFEST_NAME).read_text())["outputs"].keys() >= EVERYTHING
    timed = subprocess.run([sys.executable, "-X", "importtime", "-m", "builder", *command[1:]],
                           cwd=proj, capture_output=True, text=True, timeout=60)
    assert timed.returncode == 0, timed.stderr
    imported = [line.split("|")[-1].strip() for line in timed.stderr.splitlines()
                if line.startswith("import time:")]
    assert "builder.cli" in imported
    assert not [name for name in imported if name.split(".")[0] in
                ("reportlab", "PIL", "pypdf", "yaml", "babel")], imported


# -- the report ---------------------------------------------------------------------------------


def test_the_report_of_a_mixed_build(proj: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch.build_one

    def with_a_note(engine: batch.Engine, job: batch.Job, *args: object,
                    **kwargs: object) -> batch.Result:
        result = real(engine, job, *args, **kwargs)  # type: ignore[arg-type]
        if result.ok:
            result.problems.append(Problem(f"handouts/{job.handout}/handout.yaml",
                                           message="body text set at 10.5 pt to fit",
                                           severity="warning"))
        return result

    monkeypatch.setattr(batch, "build_one", with_a_note)
    en = proj / "handouts/beta/en.yaml"
    good = en.read_text()
    en.write_text(good.replace("title: Demo handout\n", ""))
    (proj / "handouts/alpha/ja.yaml").write_text(JA_YAML.replace("説明です", "説明になります"))
    result = build("--report", "first.json")
    assert result.exit_code == 1, result.output
    first = json.loads((proj / "first.json").read_text())
    assert first["totals"]["built"] == 4 and first["totals"]["up_to_date"] == 2
    assert first["totals"]["failed"] == 4 and first["totals"]["seconds"] > 0
    by_name = {o["name"]: o for o in first["outputs"]}
    assert len(by_name) == 10
    note = "handouts/alpha/handout.yaml: body text set at 10.5 pt to fit (warning)"
    ja = by_name["demo-brand/ja/alpha-leaflet-a4"]
    assert ja["status"] == "built" and ja["pages"] >= 1 and ja["milliseconds"] > 0
    assert ja["bytes"] == (proj / ja["path"]).stat().st_size
    assert (ja["warnings"], ja["errors"]) == ([note], [])
    en_leaflet = by_name["demo-brand/en/alpha-leaflet-a4"]
    assert en_leaflet["status"] == "up to date" and en_leaflet["milliseconds"] == 0
    assert en_leaflet["path"] == "out/demo-brand/en/alpha-leaflet-a4.pdf"
    assert en_leaflet["bytes"] == (proj / en_leaflet["path"]).stat().st_size
    failed = by_name["demo-brand/en/beta-booklet-a4"]
    assert failed["status"] == "failed" and failed["path"] is None and failed["warnings"] == []
    assert failed["errors"] == ["handouts/beta/en.yaml:1:1: missing 'title'"]
    monkeypatch.undo()
    monkeypatch.chdir(proj)
    en.write_text(good)
    assert build("--report", "second.json").exit_code == 0
    second = {o["name"]: o for o in json.loads((proj / "second.json").read_text())["outputs"]}
    assert {n: o["status"] for n, o in second.items()} == {n: "up to date" for n in by_name}
    for name in (n for n, o in by_name.items() if o["status"] == "built"):
        recorded = {k: second[name][k] for k in ("pages", "bytes", "warnings")}
        assert recorded == {k: by_name[name][k] for k in ("pages", "bytes", "warnings")}
        assert second[name]["milliseconds"] == 0


def test_an_unwritable_report_still_fails_the_run(proj: Path) -> None:
    (proj / "taken").write_text("a file, not a folder")
    result = build("--report", "taken/report.json")
    assert result.exit_code == 1
    assert "taken/report.json: cannot write the report: " in result.stderr


# -- a patient's copy -----------------------------------------------------------------------------


def test_a_patients_copy_never_touches_the_record(proj: Path, tmp_path: Path) -> None:
    record = proj / "out" / MANIFEST_NAME
    before, listing = record.read_bytes(), files(proj / "out")
    copy = tmp_path / "copy.pdf"
    result = build("alpha", "-l", "en", "-b", "demo-brand", "--patient-name", "Zelda Quuxley",
                   "--note", "Walk daily.", "-o", str(copy))
    assert result.exit_code == 0, result.output
    assert copy.is_file()
    assert record.read_bytes() == before and files(proj / "out") == listing
    for path in (proj / "out").rglob("*"):
        assert not path.is_file() or b"Quuxley" not in path.read_bytes()
    result = build("alpha", "--patient-name", "Zelda Quuxley", "-o", str(copy), "--force")
    assert result.exit_code == 2 and "--force is for batches" in result.output
    assert record.read_bytes() == before


# -- the record is untrusted ----------------------------------------------------------------------


def _entry_leaving_out(record: Path) -> bytes:
    data = json.loads(record.read_text())
    entry = next(iter(data["outputs"].values()))
    data["outputs"]["../victim.txt"] = {**entry, "files": {"../victim.txt": [4, 0]}}
    return json.dumps(data).encode()


def _absolute_file(record: Path) -> bytes:
    data = json.loads(record.read_text())
    name, entry = next(iter(data["outputs"].items()))
    entry["files"] = {name: entry["files"][name], str(record.parent.parent / "victim.txt"): [4, 0]}
    return json.dumps(data).encode()


def _other_format(record: Path) -> bytes:
    data = json.loads(record.read_text())
    return json.dumps({**data, "format": 999}).encode()


def _hash_in_capitals(record: Path) -> bytes:
    data = json.loads(record.read_text())
    entry = next(iter(data["outputs"].values()))
    entry["key"] = entry["key"].upper()
    return json.dumps(data).encode()


def _hash_with_a_newline(record: Path) -> bytes:
    data = json.loads(record.read_text())
    plan = next(iter(data["plans"].values()))
    plan["code"] = plan["code"][:63] + "\n"
    return json.dumps(data).encode()


def _odd_job_field(name: str) -> Callable[[Path], bytes]:
    def make(record: Path) -> bytes:
        data = json.loads(record.read_text())
        job = next(iter(data["plans"].values()))["jobs"][0]
        job["fields"][name] = "x"
        return json.dumps(data).encode()
    return make


def _big(record: Path) -> None:
    with record.open("wb") as handle:
        handle.truncate(manifest.MAX_BYTES + 1)  # (sparse: costs no disk)


def _pipe(record: Path) -> None:
    record.unlink()
    os.mkfifo(record)


def _device(record: Path) -> None:
    record.unlink()
    record.symlink_to("/dev/zero")


HOSTILE_RECORDS = {
    "not JSON": b"{not json",
    "binary": bytes(range(256)) * 64,
    "empty": b"",
    "a list": b"[]",
    "wrong types": b'{"format": 1, "digests": [], "plans": "x", "outputs": 3}',
    "a bool for a number": (b'{"format": 1, "digests": {"/a": [true, 1, 1, "' + b"0" * 64
                            + b'"]}, "plans": {}, "outputs": {}}'),
    "deeply nested": b"[" * 200_000,
    "an entry leaving the folder": _entry_leaving_out,
    "an absolute file": _absolute_file,
    "another format": _other_format,
    "a hash in capitals": _hash_in_capitals,
    "a hash ending in a new line": _hash_with_a_newline,
    "a job field in capitals": _odd_job_field("Handout"),
    "a job field with a new line": _odd_job_field("lang\n"),
    "an empty job field": _odd_job_field(""),
    "a job field too long": _odd_job_field("a" * 41),
    "too big": _big,
    "a pipe": _pipe,
    "a link to a device": _device,
}


@pytest.mark.parametrize("case", HOSTILE_RECORDS, ids=list(HOSTILE_RECORDS))
def test_a_record_that_cannot_be_trusted_is_not_used(proj: Path, case: str) -> None:
    victim = proj / "victim.txt"
    victim.write_bytes(b"keep")
    record = proj / "out" / MANIFEST_NAME
    make = HOSTILE_RECORDS[case]
    content = make if isinstance(make, bytes) else make(record)
    if isinstance(content, bytes):
        record.write_bytes(content)
    result = build("beta", "-b", "demo-brand", "--layout", "leaflet")
    assert result.exit_code == 0, result.output
    assert built(result) == {"demo-brand/en/beta-leaflet-a4.pdf"}
    warnings = [line for line in result.stderr.splitlines() if MANIFEST_NAME in line]
    assert len(warnings) == 1, result.output
    assert warnings[0].startswith(f"out/{MANIFEST_NAME}: not used ("), warnings
    assert warnings[0].endswith("); every document of this build is checked and built again "
                                "(warning)"), warnings
    assert victim.read_bytes() == b"keep"
    assert record.is_file() and not record.is_symlink()  # replaced by a good one
    again = build("beta", "-b", "demo-brand", "--layout", "leaflet")
    assert (built(again), again.stderr.count(MANIFEST_NAME)) == (set(), 0), again.output


# -- what the record is computed from --------------------------------------------------------------


def test_the_light_inputs_module_agrees_with_the_engine_and_importlib() -> None:
    """inputs.py finds the builder's folder and the library versions without the imports
    they would cost; it must find what project.py and importlib.metadata find."""
    import importlib.metadata

    from builder import inputs, project

    assert inputs.BUILTIN_ROOT == project.BUILTIN_ROOT
    assert inputs.library_versions(inputs.LIBRARIES) == {
        name: importlib.metadata.version(name) for name in inputs.LIBRARIES}


def test_a_file_just_saved_is_hashed_again_next_time(tmp_path: Path) -> None:
    from builder.digests import Digests

    fresh, old = tmp_path / "fresh.yaml", tmp_path / "old.yaml"
    fresh.write_text("a: 1\n")
    old.write_text("b: 2\n")
    os.utime(old, ns=(0, 1_000_000_000))
    digests = Digests()
    assert digests.of(fresh) != digests.of(old)
    assert set(digests.cache()) == {str(old)}  # (a second save this second keeps its time)
    size, mtime, inode, _ = digests.cache()[str(old)]
    trusted = {str(old): (size, mtime, inode, "f" * 64)}
    assert Digests(trusted).of(old) == "f" * 64  # unchanged: not read again
    old.write_text("b: 3\n")
    os.utime(old, ns=(0, 2_000_000_000))
    assert Digests(trusted).of(old) not in ("f" * 64, digests.of(old))
