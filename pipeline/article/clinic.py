"""The clinic profile: whose leaflet this is, and how to reach them.

``clinic:`` in the front matter is either a mapping or the path (relative to
the article) of a YAML file holding the same mapping, so that all of a
clinic's leaflets share one profile, read here into a ``ClinicProfile``
(``model.py``)::

    name: Riverside Physiotherapy        # required
    logo: riverside-logo.svg             # SVG or PNG, next to the profile
    address: |
      12 River Street
      Leeds LS1 4AP
    phone: 0113 496 0000
    email: physio@riverside.example
    website: https://riverside.example
    colour: "#0b5d7a"                    # brand colour, used for headings
    formats: [pdf, large-print, epub, brf, mp3]   # what `release` publishes

``formats`` lists what the clinic hands its patients, from
the registry of outputs (``outputs.py``: ``pdf``, ``large-print``, ``booklet``,
``epub``, ``brf``, ``mp3``, ``narrated-epub``; ``braille``, ``audio`` ... are other
names for them, each format's ``aliases``). Without it, every format: what the
NHS Accessible Information Standard expects a clinic to be able to give.

The brand colour is text on a white page, so it must reach the WCAG AA
contrast of 4.5:1; a lighter colour is an error that names the ratio.
"""
from __future__ import annotations

import difflib
import logging
import re
from pathlib import Path

import yaml

from ..config import MIN_TEXT_CONTRAST  # WCAG 2.1 AA, normal-size text
from ..errors import SourceError
from ..outputs import aliases, format_names
from .characters import describe, first_not_text
from .guarded_yaml import GuardedLoader, YamlTooLarge
from .images import check_image_file
from .model import ClinicProfile

log = logging.getLogger(__name__)

FIELDS = ("name", "logo", "address", "phone", "email", "website", "colour", "formats")
TEXT_FIELDS = FIELDS[:-1]
ALIASES = {"color": "colour", "telephone": "phone", "url": "website", "web": "website"}
HEX_COLOUR = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
WHITE = (255, 255, 255)
LOGO_FORMATS = (".svg", ".png")


def load_clinic(value: object, article_path: Path, line: int | None) -> ClinicProfile:
    """The profile from the front matter's ``clinic:`` value (mapping or file name)."""
    if isinstance(value, str):
        profile_path = profile_file(value, article_path, line)
        return profile_from_mapping(read_profile(profile_path), profile_path, None, article_path)
    if isinstance(value, dict):
        return profile_from_mapping(value, article_path, line, article_path)
    raise SourceError("front matter 'clinic': expected the clinic's details or the name of "
                      "a YAML file holding them", file=article_path, line=line,
                      hint="write 'clinic: clinic.yaml' or 'clinic:' followed by indented "
                           "'name: ...', 'phone: ...' lines")


def profile_file(value: str, article_path: Path, line: int | None) -> Path:
    folder = article_path.parent.resolve()
    path = (folder / value.strip()).resolve()
    if not path.is_relative_to(folder):
        raise SourceError(f"front matter 'clinic': '{value}' is outside the article's folder",
                          file=article_path, line=line,
                          hint=f"keep the clinic profile in {article_path.parent}")
    if not path.is_file():
        raise SourceError(f"front matter 'clinic': the profile '{value}' does not exist",
                          file=article_path, line=line,
                          hint="check the file name; it is relative to the article")
    return path


def read_profile(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=GuardedLoader)
    except UnicodeDecodeError as error:
        raise SourceError(f"the clinic profile is not UTF-8 text (byte {error.start})", file=path,
                          hint="save the file as UTF-8") from None
    except YamlTooLarge as error:
        raise SourceError(f"the clinic profile is too large to read: {error.problem}", file=path,
                          line=error.problem_mark.line + 1,
                          hint="write one 'field: value' line for each detail") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourceError(f"the clinic profile is not valid YAML: {getattr(error, 'problem', error)}",
                          file=path, line=mark.line + 1 if mark else None,
                          hint="check the indentation, and quote values that contain ': '") from None
    if not isinstance(data, dict):
        raise SourceError("the clinic profile must be a list of 'field: value' lines", file=path,
                          hint="write e.g. 'name: Riverside Physiotherapy'")
    found = first_not_text(data)
    if found is not None:  # a field, as in the front matter: the one who wrote it knows what was meant
        raise SourceError(f"the clinic profile's '{found[0]}' holds the invisible control "
                          f"character {describe(found[1])}, which is not text", file=path,
                          hint="remove the escape (a backslash sequence such as \\0 or \\x1b) "
                               "from the value")
    return data


def profile_from_mapping(data: dict, source: Path, line: int | None,
                         article_path: Path) -> ClinicProfile:
    fields = {ALIASES.get(str(key).lower(), str(key).lower()): value for key, value in data.items()}

    def problem(message: str, hint: str) -> SourceError:
        return SourceError(f"clinic profile: {message}", file=source, line=line, hint=hint)

    for name in fields:
        if name not in FIELDS:
            close = difflib.get_close_matches(name, FIELDS, n=1)
            log.warning("%s: clinic profile field '%s' is ignored%s", source, name,
                        f"; did you mean '{close[0]}'?" if close else "")
    text = {name: text_value(fields.get(name), name, problem) for name in TEXT_FIELDS}
    if not text["name"]:
        raise problem("the clinic has no 'name'", "add 'name: ...' with the clinic's name")
    return ClinicProfile(
        name=text["name"], logo=logo_path(text["logo"], source, article_path, problem),
        address=text["address"], phone=text["phone"], email=text["email"],
        website=text["website"], colour=checked_colour(text["colour"], problem),
        formats=offered_formats(fields.get("formats"), problem))


def text_value(value: object, name: str, problem) -> str | None:
    if value is None:
        return None
    if isinstance(value, list) and name == "address":
        return "\n".join(str(part) for part in value)
    if isinstance(value, (dict, list, bool)):
        raise problem(f"'{name}' must be text", f"write '{name}: ...' on one line")
    return str(value).strip() or None


def logo_path(value: str | None, source: Path, article_path: Path, problem) -> Path | None:
    if value is None:
        return None
    folder = article_path.parent.resolve()
    path = (source.parent.resolve() / value).resolve()
    if path.suffix.lower() not in LOGO_FORMATS:
        raise problem(f"the logo '{value}' must be an SVG or PNG file",
                      "export the logo as SVG (best for print) or PNG")
    if not path.is_relative_to(folder):
        raise problem(f"the logo '{value}' is outside the article's folder",
                      f"copy the logo into {article_path.parent}")
    if not path.is_file():
        raise problem(f"the logo '{value}' does not exist",
                      "check the file name; it is relative to the profile")
    try:
        check_image_file(path, value)
    except SourceError as error:
        raise problem(error.message, error.hint or "") from None
    return path


def offered_formats(value: object, problem) -> tuple[str, ...] | None:
    """The ``formats:`` list as names of registered formats (``outputs.py``), in their order."""
    if value is None:
        return None
    names, other_names = format_names(), aliases()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise problem("'formats' must be a list of formats",
                      f"write e.g. 'formats: [pdf, large-print, epub]', from: {', '.join(names)}")
    chosen = set()
    for item in items:
        name = " ".join(str(item).strip().lower().replace("_", "-").split())
        name = other_names.get(name, name)
        if name not in names:
            close = difflib.get_close_matches(name, [*names, *other_names], n=1)
            raise problem(f"'formats' lists {item!r}, which is not a format the pipeline writes",
                          (f"did you mean '{close[0]}'? " if close else "")
                          + f"choose from {', '.join(names)}")
        chosen.add(name)
    return tuple(name for name in names if name in chosen)


def checked_colour(value: str | None, problem) -> str | None:
    if value is None:
        return None
    match = HEX_COLOUR.match(value.strip())
    if not match:
        raise problem(f"'{value}' is not a colour", "write the colour as #rrggbb, e.g. '#0b5d7a' "
                      "(in quotes, since # starts a comment in YAML)")
    digits = match.group(1)
    colour = "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits).lower()
    ratio = contrast_ratio(rgb(colour), WHITE)
    if ratio < MIN_TEXT_CONTRAST:
        raise problem(
            f"the colour {colour} has a contrast of {ratio:.2f}:1 against the white page; "
            f"text needs at least {MIN_TEXT_CONTRAST}:1 (WCAG AA)",
            f"use a darker shade, such as {passing_shade(colour)}")
    return colour


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def relative_luminance(colour: tuple[int, int, int]) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def passing_shade(colour: str) -> str:
    """The lightest darkening of ``colour`` that reaches the contrast needed."""
    red, green, blue = rgb(colour)
    for step in range(100, -1, -1):
        factor = step / 100
        shade = (round(red * factor), round(green * factor), round(blue * factor))
        if contrast_ratio(shade, WHITE) >= MIN_TEXT_CONTRAST:
            return "#" + "".join(f"{v:02x}" for v in shade)
    return "#000000"
