"""Follow everything a page loads, as a browser would, and say which URLs it asked for.

From an HTML page: `src` and `href` of scripts, styles and icons; from an ES module (a
`type="module"` script or what one imports): its static and dynamic `import`s; from a style sheet: `url(…)` and `@import`. `load(get, "/")` returns
`{url: response}` for every same-origin file reached; a URL on another host is an error (the page must
work without internet). `get(url, headers)` is any HTTP GET returning an httpx-like response, so the
same walk runs on a TestClient, on a real server, and in the cold-load measurement.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

HTML_LINKS = re.compile(r"""<(?:script|link|img)\b[^>]*>""", re.I)
LINK = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)
MODULE = re.compile(r"""\btype\s*=\s*["']module["']""", re.I)
JS_IMPORTS = re.compile(r"""(?:\bimport|\bexport)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]"""
                        r"""|(?<![/.])\bimport\s*\(?\s*['"]([^'"]+)['"]""")  # not a URL's /import
CSS_LINKS = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
ACCEPT = {"Accept-Encoding": "gzip"}


def references(url: str, content_type: str, text: str, module: bool) -> list[tuple[str, bool]]:
    """(URL, is an ES module) for each file that this one makes the browser load."""
    if "html" in content_type:
        found = [(link[0], bool(MODULE.search(tag))) for tag in HTML_LINKS.findall(text)
                 if (link := LINK.findall(tag))]
    elif "javascript" in content_type and module:
        found = [(a or b, True) for a, b in JS_IMPORTS.findall(text)]
    elif "css" in content_type:
        found = [(a or b, False) for a, b in CSS_LINKS.findall(text)]
    else:
        found = []
    return [(urljoin(url, f), m) for f, m in found if not f.startswith(("data:", "#", "blob:"))]


def load(get, start: str, headers: dict | None = None) -> dict:
    """Every file reached from `start`, keyed by path; raises on a failed or outside URL."""
    seen: dict = {}
    todo = [(start, False)]
    while todo:
        url, module = todo.pop()
        parts = urlsplit(url)
        if parts.netloc:
            raise AssertionError(f"{url} is loaded from another host")
        if url in seen:
            continue
        response = get(url, headers=headers or ACCEPT)
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
        seen[url] = response
        content_type = response.headers.get("content-type", "")
        if any(kind in content_type for kind in ("html", "javascript", "css")):
            todo += references(url, content_type, response.text, module)
    return seen
