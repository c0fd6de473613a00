"""Images of examples (box and image-classification guidelines): small PNG or JPEG files
in the guideline folder, read like spec files (a regular file that stays inside the
folder, a bounded size) from disk or, for a release, from git at its commit.

An example names its image relative to the guideline folder (`image: images/street.png`);
the site inlines the bytes (a data URI), so a page never links outside the site and a
released page shows the image as it was released.
"""

from __future__ import annotations

import base64
import io
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .diagnostics import Report
from .spec_file import read_regular_file

MAX_IMAGE_BYTES = 256 * 1024
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_SIDE = 8192  # pixels; a larger header is refused before any decoding


class ImageError(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Image:
    path: str  # as written in the spec, relative to the guideline folder
    mime: str
    width: int
    height: int
    data: bytes

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


Reader = Callable[[str], bytes]


def path_problem(path: str) -> str | None:
    """Why an image path is not a plain relative path inside the guideline folder."""
    if "\\" in path or path.startswith("/") or ":" in path.split("/")[0]:
        return f"image path '{path}' must be relative to the guideline folder, written with '/'"
    normal = posixpath.normpath(path)
    if normal.startswith("..") or normal == ".":
        return f"image path '{path}' leaves the guideline folder"
    if posixpath.splitext(normal)[1].lower() not in (".png", ".jpg", ".jpeg"):
        return f"image '{path}' is not a .png, .jpg or .jpeg file"
    return None


def decode(path: str, data: bytes) -> Image:
    """The image's format and size from its header (Pillow reads the header only)."""
    from PIL import Image as PILImage, UnidentifiedImageError

    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(f"image '{path}' is {len(data)} bytes; example images are limited to {MAX_IMAGE_BYTES}",
                         "scale the image down or save it with more compression")
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise ImageError(f"image '{path}' is not a readable PNG or JPEG file",
                         "save it again as PNG or JPEG") from None
    if kind not in FORMATS:
        raise ImageError(f"image '{path}' is {kind}, not PNG or JPEG", "save it as PNG or JPEG")
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ImageError(f"image '{path}' is {width}x{height} pixels; at most {MAX_SIDE} on a side",
                         "scale the image down")
    return Image(path, FORMATS[kind], width, height, data)


def folder_reader(folder: Path, root: Path | None) -> Reader:
    """Read images from a guideline folder on disk, refusing what spec files are refused."""
    def read(path: str) -> bytes:
        scratch = Report()
        data = read_regular_file(folder / path, path, scratch, root)
        if data is None:
            problem = scratch.diagnostics[0] if scratch.diagnostics else None
            raise ImageError(f"image '{path}': {problem.message}" if problem else f"image '{path}' cannot be read",
                             problem.hint if problem and problem.hint else "add the image to the guideline folder")
        return data
    return read


def missing_reader(path: str) -> bytes:
    raise ImageError(f"image '{path}' cannot be read here", "add the image to the guideline folder")
