"""Spec text is plain text: never read as HTML or Markdown."""

from __future__ import annotations

import markdown

from generator.render.markup import escape_markdown, escape_text


def render(md: str) -> str:
    return markdown.markdown(md, extensions=["attr_list", "toc"])


def test_html_in_spec_text_is_shown_not_run():
    assert escape_text('<script>alert("x")</script> & <b>') == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;")


def test_blank_lines_cannot_end_a_raw_html_block():
    # A blank line would end the <p> block and hand the rest to Markdown.
    text = escape_text("first\n\n*second*\n<i>x</i>")
    html = render(f"<p>{text}</p>")
    assert html == "<p>first<br><br>*second*<br>&lt;i&gt;x&lt;/i&gt;</p>"


def test_markdown_syntax_in_a_heading_is_literal():
    html = render(f"# {escape_markdown('Hate *speech* [x](javascript:alert(1)) <img src=x> {: #id}')}")
    assert "<em>" not in html and "<a" not in html and "<img" not in html
    assert html.startswith('<h1 id="')
    # Browsers show the character references as the characters the lead typed.
    assert "&#42;speech&#42;" in html and "&#60;img src&#61;x&#62;" in html


def test_pull_request_text_cannot_mention_people_or_link_issues():
    from generator.render.markup import escape_markdown_inline
    assert escape_markdown_inline("@mike see #12 *now*") == "&#64;mike see &#35;12 \\*now\\*"
