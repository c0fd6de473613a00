"""Checks of image examples and their boxes (task_type box, or an image classified).

An example's image is read (generator/images.py), decoded for its size and kept for the
site; each box must lie inside the image and be at least the guideline's minimum size.

    image: images/street.png            # 320 x 200 pixels
    boxes: [{label: car, x: 300, y: 20, w: 40, h: 30}]   -> ends at x = 340: outside
"""

from __future__ import annotations

from typing import Any

from .images import ImageError, decode, path_problem

BOX = "box"
IMAGE_SHAPES = ("single-label", "multi-label", BOX)
NAME = "taxonomy.yaml"
KeyPath = tuple[Any, ...]


def check_image_example(files: Any, manifest: Any, shape: str, owner: str | None, kind: str, example: Any,
                        path: KeyPath, refs: Any, name: str = NAME) -> None:
    if example.image is not None and shape not in IMAGE_SHAPES:
        files.error(name, path + ("image",), "shape-mismatch",
                    f"an example's image belongs to single-label, multi-label and box guidelines; this one is {shape}",
                    "remove image from this example", at_key=True)
        return
    if example.boxes is not None and shape != BOX:
        files.error(name, path + ("boxes",), "shape-mismatch",
                    f"an example's boxes belongs to box guidelines; this one is {shape}",
                    "remove boxes from this example", at_key=True)
        return
    if shape == BOX and example.image is None:
        files.error(name, path + ("text",), "example-image", "a box example needs its image",
                    "add image: <path of a PNG or JPEG in the guideline folder>, and boxes", at_key=True)
        return
    if shape == BOX and example.boxes is None:
        files.error(name, path + ("image",), "example-image", "a box example needs its boxes",
                    "add boxes: [{label: <class>, x: .., y: .., w: .., h: ..}] (an empty list when none)",
                    at_key=True)
    image = _read(files, example.image, path, name) if example.image is not None else None
    for k, box in enumerate(example.boxes or []):
        bpath = path + ("boxes", k)
        refs.check(name, bpath + ("label",), box.label, "label")
        if image is not None and (box.x + box.w > image.width + 1e-9 or box.y + box.h > image.height + 1e-9):
            files.error(name, bpath, "example-box",
                        f"box {box.x:g},{box.y:g} {box.w:g}x{box.h:g} ends outside the image "
                        f"({image.width}x{image.height} pixels)", "make x + w and y + h fit the image")
        smallest = manifest.boxes.min_size if manifest.boxes is not None else 1
        if min(box.w, box.h) < smallest:
            files.error(name, bpath, "example-box",
                        f"box {box.w:g}x{box.h:g} is smaller than the guideline's minimum of {smallest:g} pixels",
                        "objects under the minimum size are not boxed: remove the box, or lower boxes.min_size")
    if shape == BOX and example.boxes is not None and owner is not None:
        classes = {box.label for box in example.boxes}
        if kind == "positive" and owner not in classes:
            files.error(name, path + ("boxes",), "example-label",
                        f"positive example of '{owner}' has no box of class '{owner}'",
                        f"box the {owner} object, or move the example", at_key=True)
        if kind == "negative" and owner in classes:
            files.error(name, path + ("boxes",), "negative-own-label",
                        f"negative example of '{owner}' has a box of class '{owner}'",
                        "a negative example shows what is not this class; box it with the class that applies",
                        at_key=True)


def _read(files: Any, image_path: str, path: KeyPath, name: str) -> Any:
    if image_path in files.images:
        return files.images[image_path]
    problem = path_problem(image_path)
    if problem is not None:
        files.error(name, path + ("image",), "example-image", problem,
                    "write the path inside the guideline folder, e.g. images/street.png")
        return None
    try:
        image = decode(image_path, files.read_image(image_path))
    except ImageError as error:
        files.error(name, path + ("image",), "example-image", error.message, error.hint)
        return None
    files.images[image_path] = image
    return image
