"""HTML mail made safe to show: sanitised with nh3 when captured, and wrapped for display so that
nothing in it runs and nothing remote loads.

Sanitising keeps structure and simple formatting and removes scripts, event handlers, forms, style
sheets, `<link>` (prefetch, stylesheets), remote images (`img src` may only be `data:image/…` or an
inline `cid:` part), `srcset`, legacy `background=` attributes and any inline style that could fetch
something (`url(…)`, `image-set(…)`, `expression(…)`, CSS escapes). Links stay clickable and open in
a new tab without referrer.

For display the page puts the sanitised HTML in an `<iframe sandbox srcdoc=…>` whose document
carries its own Content-Security-Policy (`default-src 'none'`), and the page itself is served with a
policy that allows images from Accord and `data:` only (`EMAIL_PAGE_CSP`): three walls, each
enough on its own.
"""

from __future__ import annotations

import html as html_lib
import re

import nh3

# Tags a mail may keep (nh3's safe default set, which has no script, style, link, form, iframe …).
ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"font", "tfoot"}
# Removed together with their content (not just the tag).
DROPPED_WITH_CONTENT = {"script", "style", "title", "template", "noscript", "xml", "head"}
_LAYOUT = {"width", "height", "align", "valign", "bgcolor", "border", "cellpadding", "cellspacing"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"style", "dir", "lang", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "align"},
    "table": _LAYOUT | {"summary"},
    "td": _LAYOUT | {"colspan", "rowspan", "headers", "nowrap"},
    "th": _LAYOUT | {"colspan", "rowspan", "headers", "scope", "nowrap"},
    "tr": _LAYOUT,
    "tbody": _LAYOUT,
    "thead": _LAYOUT,
    "tfoot": _LAYOUT,
    "col": {"span", "width", "align", "valign"},
    "colgroup": {"span", "width", "align", "valign"},
    "font": {"color", "face", "size"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "li": {"value"},
    "hr": {"size", "width", "align"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "bdo": {"dir"},
    "time": {"datetime"},
}
# Inline CSS properties that cannot fetch anything (no `background`, `list-style`, `cursor`,
# `border-image`, `content`: those take url()).
SAFE_STYLE_PROPERTIES = {
    "color",
    "background-color",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "font-variant",
    "text-align",
    "text-decoration",
    "text-indent",
    "text-transform",
    "letter-spacing",
    "word-spacing",
    "line-height",
    "white-space",
    "vertical-align",
    "direction",
    "margin",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "border",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-color",
    "border-style",
    "border-width",
    "border-collapse",
    "border-spacing",
    "border-radius",
    "width",
    "max-width",
    "min-width",
    "height",
    "max-height",
    "min-height",
    "display",
    "list-style-type",
    "table-layout",
}
LINK_SCHEMES = ("http:", "https:", "mailto:", "tel:")
IMAGE_DATA = re.compile(r"^data:image/(png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\s]*$", re.I)
_FETCHING_CSS = re.compile(r"url\s*\(|image-set|expression\s*\(|@import|\\|javascript:", re.I)


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """The last word on each attribute nh3 kept: URLs and styles that could load something go."""
    if name == "src":
        stripped = value.strip()
        if stripped.lower().startswith("cid:") or IMAGE_DATA.match(stripped):
            return stripped
        return None  # remote (http, https, protocol-relative), file:, javascript: …
    if name == "href":
        stripped = value.strip()
        return stripped if stripped.lower().startswith(LINK_SCHEMES) else None
    if name == "style" and _FETCHING_CSS.search(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    url_schemes={"http", "https", "mailto", "tel", "cid", "data"},
    filter_style_properties=SAFE_STYLE_PROPERTIES,
    link_rel="noopener noreferrer nofollow",
    set_tag_attribute_values={"a": {"target": "_blank"}},
    strip_comments=True,
)
_TEXT_CLEANER = nh3.Cleaner(
    tags=set(), clean_content_tags=DROPPED_WITH_CONTENT | {"script"}, attributes={}
)
_BLOCK_END = re.compile(r"(?i)<\s*(br|/p|/div|/tr|/li|/h[1-6]|/table|/blockquote)\s*/?\s*>")
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n(\s*\n)+")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")


def sanitize_email_html(html: str) -> str:
    """The mail's HTML with everything that could run or load removed (see the module doc)."""
    if not html or not html.strip():
        return ""
    return _CLEANER.clean(html).strip()


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML mail (for search and the timeline excerpt)."""
    if not html:
        return ""
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", html)
    text = html_lib.unescape(_TEXT_CLEANER.clean(marked))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# The document inside the sandboxed iframe: its own policy allows inline styles and data: images.
FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'"
# The page that shows a mail: scripts and styles from Accord only, images from Accord or data:.
EMAIL_PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
FRAME_STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;margin:.75rem;color:#1b1f24;background:#fff;"
    "overflow-wrap:anywhere}img{max-width:100%;height:auto}table{max-width:100%}"
    "blockquote{margin:0 0 0 .5rem;padding-left:.75rem;border-left:3px solid #ccd}"
)


def email_frame_document(sanitized_html: str, images: dict[str, str] | None = None) -> str:
    """A whole HTML document for `<iframe srcdoc>`: the sanitised body (sanitised once more, so a
    row written by other means is as safe), inline `cid:` images replaced by the `data:` URIs given
    in `images` (content id → data URI), anything else left without a source."""
    body = sanitize_email_html(sanitized_html)
    images = images or {}
    if "cid:" in body:

        def inline(match: re.Match[str]) -> str:
            cid = html_lib.unescape(match.group(2)).strip().strip("<>")
            local, at, domain = cid.rpartition("@")
            uri = images.get(cid) or (images.get(f"{local}@{domain.lower()}") if at else None)
            return f'{match.group(1)}"{uri}"' if uri else f'{match.group(1)}""'

        body = re.sub(r'(\bsrc=)"cid:([^"]*)"', inline, body, flags=re.I)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{FRAME_CSP}">'
        f"<style>{FRAME_STYLE}</style></head><body>{body}</body></html>"
    )
