"""Open a static HTML site in headless Chromium, page by page, and report what is broken.

Each page is loaded with ``chromium --dump-dom`` (the DOM after the page's scripts ran); every
internal link is followed, and its target must exist and hold the ``#fragment`` it names.
"""
import os
import subprocess
import tempfile
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=2000"]


class Page(HTMLParser):
    """What a test needs of a rendered page: links, ids, the h1, the main content's text."""

    def __init__(self, dom):
        super().__init__(convert_charrefs=True)
        self.links, self.ids, self.h1, self.main_text = [], set(), "", ""
        self._in_h1 = False
        self._main_depth = 0
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "h1":
            self._in_h1 = True
        if self._main_depth:
            self._main_depth += 1
        elif attrs.get("role") == "main":
            self._main_depth = 1

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        if self._main_depth:
            self._main_depth -= 1

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data
        if self._main_depth:
            self.main_text += data


def render(url, profile):
    """The DOM of ``url`` as Chromium rendered it (a fresh profile directory per site)."""
    proc = subprocess.run([CHROMIUM] + FLAGS + ["--user-data-dir=" + profile, "--dump-dom", url],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError("chromium failed on %s (rc %s): %s" % (url, proc.returncode, proc.stderr[-2000:]))
    return proc.stdout


def crawl(index_path):
    """Render every page reachable from ``index_path``; return ``(pages, problems)``.

    ``pages`` maps each page's path (relative to the site) to its :class:`Page`; ``problems`` lists
    every broken internal link (missing file or missing fragment) and every page that rendered empty.
    """
    root = os.path.dirname(os.path.abspath(index_path))
    root_url = "file://" + root + "/"
    pages, problems, wanted_fragments = {}, [], []
    queue = [os.path.basename(index_path)]
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        while queue:
            relative = queue.pop(0)
            if relative in pages:
                continue
            page = pages[relative] = Page(render(root_url + relative, profile))
            if not page.main_text.strip() or not page.h1.strip():
                problems.append("%s: rendered without a heading or content" % relative)
            for href in page.links:
                target, fragment = urldefrag(urljoin(root_url + relative, href))
                if urlsplit(target).scheme != "file":
                    continue  # external: not this site's to check
                path = unquote(urlsplit(target).path)
                if not path.startswith(root + "/") and path != root:
                    problems.append("%s: link %s leaves the site" % (relative, href))
                    continue
                if not os.path.isfile(path):
                    problems.append("%s: link %s points at a missing file" % (relative, href))
                    continue
                target_relative = os.path.relpath(path, root)
                if target_relative.endswith(".html"):
                    queue.append(target_relative)
                    if fragment:
                        wanted_fragments.append((relative, href, target_relative, unquote(fragment)))
    for relative, href, target_relative, fragment in wanted_fragments:
        if fragment not in pages[target_relative].ids:
            problems.append("%s: link %s names a missing anchor #%s" % (relative, href, fragment))
    return pages, problems
