"""Content cannot reach outside the project: no files read or written elsewhere, no network,
no markup that reportlab interprets, no image decoded without limits."""

from __future__ import annotations

import os
import re
import socket
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from builder import disk_cache, images
from builder.manifest import MANIFEST_NAME
from builder.project import BUILTIN_ROOT
from builder.text import plain_text

from .conftest import invoke, pdf_text
from .hostile import (
    BRAND_YAML,
    EN_YAML,
    HANDOUT_YAML,
    edit,
    hostile_project,
    image_bytes,
    png_bomb,
    png_claiming,
    write_files,
)

# -- what the builder touches while it builds ------------------------------------------------

_RECORDING: list[list[tuple[str, tuple[Any, ...]]]] = []
_EVENTS = ("open", "os.listdir", "os.scandir", "os.mkdir", "os.rename", "os.replace",
           "os.remove", "os.rmdir", "os.symlink", "os.link", "os.chmod", "os.truncate",
           "shutil.copyfile", "shutil.rmtree")
_ANYWHERE = ("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.fork",
             "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.", "ctypes.dlopen")


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _RECORDING and (event in _EVENTS or event.startswith(_ANYWHERE)):
        _RECORDING[-1].append((event, args))


sys.addaudithook(_hook)  # (audit hooks cannot be removed: it records only inside `recording`)


class recording:
    """Collect the audit events (file opens, listings, renames, sockets …) raised inside."""

    def __enter__(self) -> list[tuple[str, tuple[Any, ...]]]:
        _RECORDING.append([])
        return _RECORDING[-1]

    def __exit__(self, *exc: object) -> None:
        _RECORDING.pop()


def _writes(event: str, args: tuple[Any, ...]) -> bool:
    if event != "open":
        return event not in ("os.listdir", "os.scandir")
    mode, flags = args[1], args[2]
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))


def _paths(args: tuple[Any, ...]) -> Iterator[str]:
    for arg in args[:2]:
        if isinstance(arg, str | bytes | os.PathLike):
            yield os.path.abspath(os.fsdecode(arg))


def _under(path: str, *folders: Path | str) -> bool:
    return any(path == str(f) or path.startswith(str(f).rstrip("/") + "/") for f in folders)


# Python itself, its libraries and the builder's own files (fonts, labels, layouts).
LIBRARIES = sorted({sys.prefix, sys.base_prefix, str(BUILTIN_ROOT),
                    *(p for p in sys.path if p and os.path.isabs(p))})


def hostile_paths_project(root: Path) -> Path:
    """A project whose content tries every way out: links, ../, absolute paths, markup."""
    hostile_project(root)
    outside = root.parent / "secrets"
    outside.mkdir()
    for name in ("secret.png", "secret.yaml"):
        (outside / name).write_bytes(image_bytes("PNG") if name.endswith("png") else
                                     EN_YAML.encode())
    write_files(root, {
        # A handout that builds, with a figure, links and markup that names local files.
        "handouts/good/figures/ok.png": image_bytes("PNG"),
        "handouts/good/handout.yaml": edit(HANDOUT_YAML, "id: demo", "id: good")
        + "figures:\n  ok: figures/ok.png\n",
        "handouts/good/en.yaml": edit(EN_YAML, "title: Demo handout",
                                      "title: '<img src=\"" + str(outside / "secret.png")
                                      + "\"/> file:///etc/passwd'")
        + "  - type: figure\n    figure: ok\n",
        "assets/brands/good-brand/logo.png": image_bytes("PNG"),
        "assets/brands/good-brand/brand.yaml": edit(BRAND_YAML, "Demo Clinic", "Good Clinic")
        + "logo: logo.png\nbooking_url: https://example.org/book\n",
        # Handouts and brands that point outside, each in another way.
        "handouts/demo/handout.yaml": HANDOUT_YAML + "figures:\n  a: ../../../secrets/secret.png\n"
                                                    f"  b: {outside / 'secret.png'}\n"
                                                    "  c: figures/link.png\n",
        "assets/brands/demo-brand/brand.yaml": BRAND_YAML
        + "logo: ../../../../secrets/secret.png\n",
    })
    (root / "handouts/demo/figures").mkdir()
    os.symlink(outside / "secret.png", root / "handouts/demo/figures/link.png")
    (root / "handouts/linked").mkdir()
    (root / "handouts/linked/handout.yaml").write_text(edit(HANDOUT_YAML, "id: demo", "id: linked"))
    os.symlink(outside / "secret.yaml", root / "handouts/linked/en.yaml")
    os.symlink(outside, root / "handouts/elsewhere")
    (root / "assets/brands/linked-brand").mkdir()
    os.symlink(outside / "secret.yaml", root / "assets/brands/linked-brand/brand.yaml")
    return root


def test_content_cannot_reach_outside_the_project(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    warm = hostile_project(tmp_path / "warm")  # imports and font loading happen here, unrecorded
    monkeypatch.chdir(tmp_path)
    invoke(CliRunner(), "build", "--root", str(warm), "-o", str(tmp_path / "warm-out"),
           "-j", "1", "-b", "good-brand", "--layout", "leaflet", "--layout", "booklet")
    root = hostile_paths_project(tmp_path / "proj")
    out = tmp_path / "out"
    monkeypatch.chdir(root)
    with recording() as events:
        result = invoke(CliRunner(), "build", "--root", str(root), "-o", str(out), "-j", "1",
                        "--layout", "leaflet", "--layout", "booklet", "-b", "good-brand",
                        "-b", "demo-brand", "-b", "linked-brand")
    assert result.exit_code == 1, result.output
    assert (out / "good-brand/en/good-leaflet-a4.pdf").is_file(), result.output
    for line in ("handouts/demo/handout.yaml:8:6: figures.a: '../../../secrets/secret.png' must "
                 "be a file inside demo/, given relative to it",
                 "handouts/demo/handout.yaml:10:6: figures.c: 'figures/link.png' points outside "
                 "demo/",
                 "assets/brands/demo-brand/brand.yaml:9:7: logo: '../../../../secrets/secret.png' "
                 "must be a file inside demo-brand/, given relative to it",
                 "handouts/linked/en.yaml: is a link to a file outside this handout's folder; "
                 "copy the file in instead",
                 "handouts/elsewhere: is a link to a folder outside handouts/; copy the handout in "
                 "instead",
                 "assets/brands/linked-brand/brand.yaml: is a link to a file outside the brand's "
                 "folder; copy the file in instead"):
        assert line in result.stderr.splitlines(), result.stderr
    touched = [(event, path) for event, args in events for path in _paths(args)]
    assert touched, "the audit hook saw nothing: the check would prove nothing"
    # (the cache folder: fonts' character maps, logos for print, QR codes and review dates)
    cache = disk_cache.cache_dir()
    assert cache is not None
    read_outside = sorted({p for e, p in touched
                           if not _under(p, root, out, cache, *LIBRARIES)})
    assert read_outside == [], read_outside
    written_outside = sorted({p for event, args in events if _writes(event, args)
                              for p in _paths(args) if not _under(p, out, cache)})
    assert written_outside == [], written_outside
    assert not [e for e, _ in events if e.startswith(_ANYWHERE)]
    assert not any(_under(p, tmp_path / "secrets") for _, p in touched)


def test_no_network_during_a_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = hostile_project(tmp_path / "proj")
    write_files(root, {"assets/brands/good-brand/brand.yaml": edit(
        BRAND_YAML, "Demo Clinic", "Good Clinic") + "booking_url: https://example.org/book\n",
        "handouts/good/en.yaml": edit(EN_YAML, "Some text about the condition.",
                                      "See https://example.org/info and https://doi.org/10.1/x.")})

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the build tried to use the network")

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname",
                 "socketpair"):
        monkeypatch.setattr(socket, name, no_network)
    monkeypatch.chdir(tmp_path)
    with recording() as events:
        result = invoke(CliRunner(), "build", "--root", str(root), "-o", "out", "-j", "1",
                        "good", "-b", "good-brand", "--layout", "leaflet", "--layout", "booklet",
                        "--layout", "trifold")
    assert result.exit_code == 0, result.output
    assert not [e for e, _ in events if e.startswith("socket.")]
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 4  # (booklet: two files)


# -- markup ----------------------------------------------------------------------------------

TRICKS = [
    '<img src="/etc/passwd" width="10" height="10"/>',
    '<font name="Courier" size="40" color="red">big</font>',
    "an unclosed <b tag and a stray </i></b></para> end",
    "&amp; &lt; &gt; &quot; &#65; &#x42; &nbsp; &bogus; & alone",
    '<a href="javascript:alert(1)">click</a> <a href="file:///etc/passwd">file</a>',
    '<link href="https://evil.example.org">l</link> <br/> <br> <BR/>',
    '<seq id="x"/> <seqreset/> <onDraw name="x" label="y"/> <index item="z"/>',
    "<greek>a</greek> <strike>s</strike> <u>u</u> <super>2</super> <sub>2</sub>",
    '<![CDATA[ x ]]> <!-- comment --> <?xml version="1.0"?> <!DOCTYPE x>',
    '<span style="x">s</span> <unichar name="SNOWMAN"/> <unichar code="0x41"/>',
    '<para autoLeading="max">p</para> <img src="https://evil.example.org/x.png"/>',
    "**<b>bold</b>** *<i>it</i>* https://example.org/<b>x</b>?a=1&b=2 %(x)s {0} $HOME `id`",
]
ALLOWED_TAGS = {"b": set(), "i": set(), "font": {"face", "color"}, "a": {"href", "color"}}


def trick_project(root: Path) -> Path:
    """Every markup trick in the text fields of a handout and a brand."""
    hostile_project(root)
    en = {
        "title": TRICKS[0] + " " + TRICKS[1],
        "subtitle": TRICKS[2],
        "summary": TRICKS[3],
        "sections": [
            {"type": "about", "heading": TRICKS[4], "text": "\n\n".join(TRICKS[5:])},
            {"type": "aftercare", "intro": TRICKS[6],
             "items": [{"id": f"t{i}", "text": t} for i, t in enumerate(TRICKS[7:10])]},
            {"type": "red_flags", "items": [{"id": "r", "text": TRICKS[10]}]},
            {"type": "faq", "items": [{"q": TRICKS[11], "a": TRICKS[0]}]},
        ],
    }
    brand = yaml.safe_load(BRAND_YAML) | {
        "name": "<b>Clinic</b> & <img src='/etc/passwd'/>",
        "contact": {"address": TRICKS[8], "phone": "<br/>555", "email": "a@example.org"},
        "footer": TRICKS[1],
    }
    write_files(root, {"handouts/demo/en.yaml": yaml.safe_dump(en, allow_unicode=True,
                                                               sort_keys=False),
                       "assets/brands/demo-brand/brand.yaml": yaml.safe_dump(
                           brand, allow_unicode=True, sort_keys=False)})
    return root


def _spy_paragraphs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every markup text handed to reportlab's Paragraph."""
    from reportlab.platypus import paragraph

    seen: list[str] = []
    real = paragraph.Paragraph.__init__

    def init(self: Any, text: str, *args: Any, **kwargs: Any) -> None:
        seen.append(text)
        real(self, text, *args, **kwargs)

    monkeypatch.setattr(paragraph.Paragraph, "__init__", init)
    return seen


def test_every_markup_trick_prints_as_typed(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfbase.pdfmetrics import getRegisteredFontNames

    root = trick_project(tmp_path / "proj")
    seen = _spy_paragraphs(monkeypatch)
    monkeypatch.chdir(tmp_path)
    result = invoke(CliRunner(), "build", "--root", str(root), "-o", "out", "-j", "1", "demo",
                    "-b", "demo-brand", "--layout", "leaflet", "--layout", "large-print",
                    "--layout", "card")
    assert result.exit_code == 0, result.output
    fonts = set(getRegisteredFontNames())
    assert seen
    for markup in seen:  # reportlab sees well-formed markup with only our own tags in it
        tree = ET.fromstring(f"<para>{markup}</para>")
        for element in tree.iter():
            if element is tree:
                continue
            assert element.tag in ALLOWED_TAGS, (element.tag, markup)
            assert set(element.attrib) <= ALLOWED_TAGS[element.tag], (element.attrib, markup)
            assert element.get("face", next(iter(fonts))) in fonts, markup
            assert re.fullmatch(r"https://\S+", element.get("href", "https://x")), markup
            assert re.fullmatch(r"#[0-9A-Fa-f]{6}|\w+", element.get("color", "#000000")), markup
    for layout in ("leaflet", "large-print"):
        path = tmp_path / f"out/demo-brand/en/demo-{layout}-a4.pdf"
        shown = "".join(pdf_text(path).split())
        for trick in TRICKS:
            assert "".join(plain_text(trick).split()) in shown, (layout, trick)
        reader = pypdf.PdfReader(path)
        assert reader.metadata.title.startswith(TRICKS[0])
        assert reader.metadata.author == "<b>Clinic</b> & <img src='/etc/passwd'/>"
        links = [annot.get_object()["/A"]["/URI"] for page in reader.pages
                 for annot in page.get("/Annots", []) if "/A" in annot.get_object()]
        assert links and all(link.startswith("https://") for link in links), links
        assert "https://example.org/" in links
        for page in reader.pages:  # no picture came from the text: this brand has no logo
            xobjects = page["/Resources"].get("/XObject", {})
            assert not [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]


# -- images ----------------------------------------------------------------------------------


def test_pixel_cap_does_not_depend_on_pillows_global(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)  # someone switched Pillow's check off
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_bomb(6000))
    assert len(bomb.read_bytes()) < 100_000
    assert images.check_image(bomb) == ("image is 6000 x 6000 pixels; at most 25,000,000 "
                                        "pixels are allowed")
    header_only = tmp_path / "header.png"
    header_only.write_bytes(png_claiming(50_000, 50_000))
    assert images.check_image(header_only) == ("image is 50000 x 50000 pixels; at most "
                                               "25,000,000 pixels are allowed")


def test_images_are_fully_decoded_before_use(tmp_path: Path) -> None:
    path = tmp_path / "fig.png"
    path.write_bytes(image_bytes("PNG", (32, 16)))
    image = images.load_image(path)
    path.unlink()  # what was loaded no longer needs the file: every pixel is in memory
    assert image.size == (32, 16) and len(image.tobytes()) == 32 * 16 * 3


def test_only_png_and_jpeg_decoders_see_the_bytes(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[str] = []
    for name, (factory, accept) in list(Image.OPEN.items()):
        if name not in ("PNG", "JPEG"):
            def spy(*args: Any, _name: str = name, _factory: Any = factory) -> Any:
                tried.append(_name)
                return _factory(*args)
            monkeypatch.setitem(Image.OPEN, name, (spy, accept))
    for fmt in ("GIF", "BMP", "TIFF", "WEBP", "ICO", "PCX", "TGA"):
        path = tmp_path / f"x.{fmt.lower()}"
        path.write_bytes(image_bytes(fmt, (8, 8)))
        assert images.check_image(path) is not None
    assert tried == []


def test_an_image_that_changes_after_the_check_fails_its_document_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = hostile_project(tmp_path / "proj")
    write_files(root, {
        "handouts/demo/handout.yaml": HANDOUT_YAML + "figures:\n  f: figures/f.png\n",
        "handouts/demo/figures/f.png": image_bytes("PNG"),
        "handouts/demo/en.yaml": EN_YAML + "  - type: figure\n    figure: f\n"})
    from builder import batch

    real = batch.render_job

    def swap_then_render(engine: batch.Engine, job: batch.Job, *args: Any) -> Any:
        if job.handout == "demo":  # replaced by a GIF after the project was checked
            (root / "handouts/demo/figures/f.png").write_bytes(image_bytes("GIF", (9, 9)))
        return real(engine, job, *args)

    monkeypatch.setattr(batch, "render_job", swap_then_render)
    monkeypatch.chdir(root)
    result = invoke(CliRunner(), "build", "--root", str(root), "-o", "out", "-j", "1",
                    "-b", "good-brand")
    assert result.exit_code == 1, result.output
    assert "handouts/demo/figures/f.png: is a GIF image; use PNG or JPEG" in \
        result.stderr.splitlines(), result.output
    assert sorted(p.name for p in (root / "out").rglob("*")
                  if p.is_file() and p.name != MANIFEST_NAME) == ["good-leaflet-a4.pdf"]
