"""The freeze's HTML and CSS rewriting: only URLs, htmx attributes and forms change."""

from wsapp.services.freeze.markup import Resolver, rewrite_css, rewrite_html
from wsapp.services.freeze.urls import internal, output_file, public_url, relative
from wsapp.services.richtext import render_markdown


class Upper(Resolver):
    """Marks every link it rewrites; drops /gone; keeps GET forms, drops POST forms."""

    def link(self, url):
        return None if url == "/gone" else url.upper()

    def absolute(self, url, page_itself):
        return None if page_itself else "https://x.example" + url

    def form(self, method, action):
        return action if method == "get" else None

    def form_note(self):
        return "<p>live</p>"


def test_only_urls_change_and_everything_else_stays():
    page = (
        '<!doctype html>\n<html>\n<head>\n  <link rel="canonical" href="http://h/a">\n'
        '  <meta property="og:image" content="/i.png">\n</head>\n'
        '<body hx-headers=\'{"X-CSRFToken": "t"}\'>\n'
        '  <a href="/a?x=1&amp;y=2" class="c">A &amp; B</a> <span> kept  spacing </span>\n'
        '  <img src="/p.png" srcset="/p.png 1x, /p2.png 2x" alt="">\n'
        '  <a href="/gone">gone</a><br/>\n'
        '  <button hx-post="/vote" data-hx-target="#x">Vote</button>\n'
        "</body>\n</html>\n"
    )
    out = rewrite_html(page, Upper())
    assert out == (
        "<!doctype html>\n<html>\n<head>\n"
        '  <meta property="og:image" content="https://x.example/i.png">\n</head>\n'
        "<body>\n"
        '  <a href="/A?X=1&amp;Y=2" class="c">A &amp; B</a> <span> kept  spacing </span>\n'
        '  <img src="/P.PNG" srcset="/P.PNG 1x, /P2.PNG 2x" alt="">\n'
        "  <a>gone</a><br/>\n"
        "  <button>Vote</button>\n"
        "</body>\n</html>\n"
    )


def test_post_forms_are_replaced_get_forms_kept():
    page = (
        '<main><form method="post" action="/vote"><input name="csrf_token" value="t">'
        '<button>Vote</button></form><form action="/s"><select name="tz"></select></form></main>'
    )
    out = rewrite_html(page, Upper())
    assert out == '<main><p>live</p><form action="/s"><select name="tz"></select></form></main>'


def test_script_contents_are_not_touched():
    page = '<script>var a = "<a href=\'/x\'>";</script><a href="/y">y</a>'
    assert (
        rewrite_html(page, Upper())
        == '<script>var a = "<a href=\'/x\'>";</script><a href="/Y">y</a>'
    )


def test_css_urls():
    css = "body{background:url('/img/a.png')} @import \"/more.css\"; .x{b:url(data:x)}"
    out = rewrite_css(css, lambda url: None if url.startswith("data:") else "R" + url)
    assert out == "body{background:url('R/img/a.png')} @import \"R/more.css\"; .x{b:url(data:x)}"


def test_paths_and_relative_links():
    assert output_file("/", "text/html") == "index.html"
    assert output_file("/bugs-2023/", "text/html") == "bugs-2023/index.html"
    assert output_file("/bugs-2023/schedule", "text/html") == "bugs-2023/schedule/index.html"
    assert output_file("/static/css/site.css", "text/css") == "static/css/site.css"
    assert output_file("/bugs-2023/feed", "application/json") == "bugs-2023/feed.json"
    assert relative("static/css/site.css", "bugs-2023/schedule/index.html") == (
        "../../static/css/site.css"
    )
    assert relative("index.html", "index.html") == "index.html"
    assert public_url("https://m.example/ws/", "bugs-2023/index.html") == (
        "https://m.example/ws/bugs-2023/"
    )
    origin = "http://wsapp.test"
    assert internal("mailto:a@b.c", origin + "/x", origin) is None
    assert internal("https://other.example/x", origin + "/x", origin) is None
    assert internal("#top", origin + "/x", origin) is None
    assert internal("../y?tz=UTC#n", origin + "/a/b/", origin).path == "/a/y"


def test_markdown_under_a_page_h1_starts_at_h2():
    assert str(render_markdown("### Home\n\n#### More", top=2)) == "<h2>Home</h2>\n<h3>More</h3>\n"
    assert str(render_markdown("# Big")) == "<h3>Big</h3>\n"  # the default is unchanged
