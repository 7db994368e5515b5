"""Turning run()'s and sweep()'s arguments into what the runtime and the CLI take."""
import json
import math
import os
import pathlib


def source(scenario):
    """(path or text, is_text): a path names a file; text holds a newline or an '='."""
    if isinstance(scenario, os.PathLike):
        return os.fspath(scenario), False
    text = str(scenario)
    if ("\n" in text or "=" in text) and not os.path.isfile(text):
        return text, True
    return text, False


def toml_value(value, nested=False):
    """`value` as a --set value: strings as the CLI takes them (quoted inside arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v, nested=True) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{k} = {toml_value(v, nested=True)}" for k, v in value.items())
        return "{ " + items + " }"
    if isinstance(value, pathlib.PurePath):
        value = str(value)
    return json.dumps(value) if nested else str(value)


def overrides(settings):
    """A dict {"training.mode": "sync"} (or None) as --set KEY=VALUE strings."""
    return [f"{key}={toml_value(value)}" for key, value in (settings or {}).items()]
