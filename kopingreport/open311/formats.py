"""Open311 bodies in JSON (arrays at the top, the "Spark" mapping) and XML, and the standard
error body."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

from flask import Response

#: The element name of one item of a list, by the list's name.
ITEM_NAMES = {"services": "service", "service_requests": "request", "attributes": "attribute",
              "values": "value", "errors": "error", "endpoints": "endpoint",
              "formats": "format", "tokens": "token"}
MIMETYPES = {"json": "application/json", "xml": "text/xml"}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(parent: ElementTree.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        element = ElementTree.SubElement(parent, name)
        for key, item in value.items():
            _fill(element, key, item)
    elif isinstance(value, list):
        element = ElementTree.SubElement(parent, name)
        for item in value:
            _fill(element, ITEM_NAMES.get(name, "item"), item)
    else:
        ElementTree.SubElement(parent, name).text = _text(value)


def to_xml(root: str, body: Any) -> bytes:
    """``body`` (a list of items or one object) as an XML document under ``root``."""
    element = ElementTree.Element(root)
    if isinstance(body, list):
        for item in body:
            _fill(element, ITEM_NAMES.get(root, "item"), item)
    else:
        for key, item in body.items():
            _fill(element, key, item)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, "utf-8")


def respond(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    """The body in the asked format, UTF-8, readable from any site (reads are public)."""
    if fmt == "xml":
        data = to_xml(root, body)
    else:
        data = json.dumps(body, ensure_ascii=False).encode()
    response = Response(data, status=status, content_type=MIMETYPES.get(
        fmt, MIMETYPES["json"]) + "; charset=utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def error(fmt: str, status: int, description: str) -> Response:
    """The standard error body: ``[{"code", "description"}]``."""
    return respond(fmt, "errors", [{"code": status, "description": description}], status)
