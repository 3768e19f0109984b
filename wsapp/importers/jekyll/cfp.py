"""The call for papers: invitation, topics, review criteria, policies and instructions.

Paragraphs are matched to the fields the CFP page renders; a sentence is only turned into a field
(page limit, template) when the page renders it back word for word, so nothing is reworded.
Whatever is not recognised stays as text in the field of the part of the call it came from.
"""

import re

from markdown_it.token import Token

from wsapp.importers.jekyll.blocks import Block
from wsapp.importers.jekyll.source import clean, soup

TOPIC_CUES = ("topic", "not limited to", "related to", "welcome submissions", "interested in")
CRITERIA_CUES = ("criteria", "evaluated", "assessed", "judged")
SUBMITTED_TO = re.compile(r"Papers should be submitted (?:to|via|through|on) ([^:]+):\s*(\S+)\s*")
PAGE_LIMIT = re.compile(
    r"Submitted papers should have up to (\d+) pages?(?: \(([^)]*)\))?\.(?:\s+|$)"
)
TEMPLATE = re.compile(
    r"Please use the (.+?) provided at\s+"
    r"(?:<a href=\"([^\"]+)\">\s*\2\s*</a>|\[\s*([^\]]+?)\s*\]\(\3\)|<?(https?://[^\s>]+?)>?)"
    r"\.(?:\s+|$)"
)
SITES = {"openreview.net": "OpenReview", "cmt3.research.microsoft.com": "CMT",
         "easychair.org": "EasyChair"}  # fmt: skip


def empty_cfp() -> dict:
    return {"invitation_md": "", "topics_intro_md": "", "topics": [], "review_intro_md": "",
            "review_criteria": [], "policies_md": "", "allows_dual_submission": False,
            "is_non_archival": False, "submission_site_name": "", "submission_url": None,
            "page_limit": None, "page_limit_note": "", "template_name": "", "template_url": None,
            "is_anonymous": True, "instructions_md": "", "reviewers_md": "",
            "reviewers_url": None}  # fmt: skip


def list_tree(tokens: list[Token]) -> list[dict]:
    """A (nested) Markdown list as [{"text", "children"}], the text as inline Markdown."""
    root: list[dict] = []
    lists: list[list[dict]] = []
    items: list[dict] = []
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(items[-1]["children"] if items else root)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            items.append({"text": "", "children": []})
            lists[-1].append(items[-1])
        elif token.type == "list_item_close":
            items.pop()
        elif token.type == "inline" and items:
            items[-1]["text"] = clean(f"{items[-1]['text']} {token.content}")
    return root


def build_call(blocks: list[Block], cfp: dict, used: set[int], note) -> None:
    """Invitation, deadline summary, topics, criteria and policies from the call's blocks."""
    field = "invitation_md"
    for i, block in enumerate(blocks):
        if id(block) in used:
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        lower = clean(soup(block.html).get_text()).lower()
        if block.kind == "p" and following is not None and following.kind == "list":
            if any(c in lower for c in CRITERIA_CUES) and not cfp["review_criteria"]:
                cfp["review_intro_md"] = block.source
                cfp["review_criteria"] = [t["text"] for t in list_tree(following.tokens)]
                used.update((id(block), id(following)))
                field = "policies_md"
                continue
            if any(c in lower for c in TOPIC_CUES) and not cfp["topics"]:
                cfp["topics_intro_md"] = block.source
                cfp["topics"] = list_tree(following.tokens)
                used.update((id(block), id(following)))
                field = "policies_md"
                continue
        if block.kind == "p" and _is_deadline_summary(block):
            link = soup(block.html).find("a", href=True)
            if link is not None and not cfp["submission_url"]:
                cfp["submission_url"] = link["href"]
            note(f"CFP line {block.line}: the deadline sentence is shown from the important "
                 "dates and the submission link")  # fmt: skip
            used.add(id(block))
            continue
        if block.kind in ("p", "list", "html", "quote", "pipe"):
            cfp[field] = _append(cfp[field], block.source)
            used.add(id(block))


def _is_deadline_summary(block: Block) -> bool:
    page = soup(block.html)
    text = clean(page.get_text()).lower()
    return "deadline" in text and bool(page.find(["s", "del", "a"])) and text.count(". ") < 2


def build_instructions(blocks: list[Block], cfp: dict, used: set[int]) -> None:
    """Submission site and link, page limit and template, then the rest as instructions."""
    for block in blocks:
        if id(block) in used:
            continue
        used.add(id(block))
        if block.kind != "p":
            cfp["instructions_md"] = _append(cfp["instructions_md"], block.source)
            continue
        text = block.source.strip()
        page = soup(block.html)
        m = SUBMITTED_TO.fullmatch(clean(page.get_text()))
        links = page.find_all("a", href=True)
        if m and len(links) == 1 and clean(links[0].get_text()) == m[2]:
            cfp["submission_site_name"] = m[1].strip()
            cfp["submission_url"] = cfp["submission_url"] or links[0]["href"]
            if links[0]["href"] == cfp["submission_url"]:
                continue
        m = PAGE_LIMIT.search(text)
        if m and cfp["page_limit"] is None:
            cfp["page_limit"], cfp["page_limit_note"] = int(m[1]), m[2] or ""
            text = (text[: m.start()] + text[m.end() :]).strip()
        m = TEMPLATE.search(text)
        if m and cfp["template_url"] is None:
            cfp["template_name"], cfp["template_url"] = m[1], m[2] or m[3] or m[4]
            text = (text[: m.start()] + text[m.end() :]).strip()
        if text:
            cfp["instructions_md"] = _append(cfp["instructions_md"], text)


def finish(cfp: dict, warn) -> None:
    """Site name from the link's host; policy flags from what the call says, warned if unsaid."""
    url = cfp["submission_url"] or ""
    host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    if url and not cfp["submission_site_name"]:
        cfp["submission_site_name"] = SITES.get(host, host)
    text = clean(soup(" ".join(str(v) for v in cfp.values() if isinstance(v, str))).get_text())
    text = text.lower() + " " + " ".join(_topic_texts(cfp["topics"])).lower()
    flags = {
        "is_anonymous": (r"double[- ]blind|anonymi[sz]ed|must be anonymous",
                         r"single[- ]blind|non[- ]anonymous|not (?:be )?anonymous"),
        "allows_dual_submission": (r"allows? dual submissions?|dual submissions? (?:are|is) "
                                   r"(?:allowed|welcome|permitted)",
                                   r"(?:no|not allow|disallow\w*|not accept) dual submissions?"),
        "is_non_archival": (r"non[- ]archival|not have any (?:official )?proceedings",
                            r"\barchival proceedings|published in the proceedings"),
    }  # fmt: skip
    for field, (yes, no) in flags.items():
        if re.search(no, text):
            cfp[field] = False
        elif re.search(yes, text):
            cfp[field] = True
        else:
            shown = "anonymous review" if field == "is_anonymous" else f"{field} = False"
            warn(f"the call for papers does not say {field.replace('_', ' ')}; the CFP page "
                 f"will show {shown} (edit it in the organizer area)")  # fmt: skip


def _topic_texts(topics: list[dict]) -> list[str]:
    return [t["text"] for t in topics] + [x for t in topics for x in _topic_texts(t["children"])]


def _append(markdown: str, source: str) -> str:
    return f"{markdown}\n\n{source.strip()}" if markdown else source.strip()
