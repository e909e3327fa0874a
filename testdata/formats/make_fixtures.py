#!/usr/bin/env python3
"""Regenerates the format fixtures of testdata/formats/ from the seeds.

Real tools only: python-docx (DOCX), fpdf2 (PDF, with the WenQuanYi Micro
Hei font of Debian's fonts-wqy-microhei embedded as a subset) and Python's
own codecs (GBK, Big5, Big5-HKSCS, UTF-16, Shift_JIS).

    apt-get install -y fonts-wqy-microhei
    pip install python-docx fpdf2 fonttools
    python3 testdata/formats/make_fixtures.py

Writes, for each seed NNN_x.txt:
  html/NNN_x.html  the seed as a GBK page with the chrome of a government
                   site (navigation, breadcrumbs, info bar, print/close
                   links, share buttons, related links, footer, scripts)
  docx/NNN_x.docx  the seed as a Word document (tab-separated runs of lines
                   become a table)
  pdf/NNN_x.pdf    the seed as a PDF (A4, tables ruled)
and the small fixtures:
  table5.pdf / table5_lines.pdf  a ruled five-column table (目标/序号/任务/
                   要求/责任单位), written cell by cell and line by line
                   across the row; table5.json holds the expected cells
  two_columns.pdf  a page set in two columns; two_columns.json holds the
                   paragraphs of each column
  numbered.docx    automatic numbering and a heading style
  big5.txt, big5hkscs.txt, utf16le_nobom.txt, utf16be_nobom.txt,
  shift_jis.txt, scanned.pdf (a page with a picture and no text)
"""

import html
import json
import os
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SEEDS = ROOT / "seeds"
FONT_TTC = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def seeds():
    manifest = tomllib.loads((SEEDS / "regions.toml").read_text("utf-8"))
    for doc in manifest["document"]:
        yield doc, (SEEDS / doc["file"]).read_text("utf-8")


def groups(text):
    """Runs of lines: ('p', line) or ('table', [cells...])."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            if out and out[-1][0] == "table":
                out[-1][1].append(cells)
            else:
                out.append(("table", [cells]))
        else:
            out.append(("p", line.strip()))
    return out


def wide(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"


def wrap_source(text, width=60):
    """Source line breaks as an editor leaves them, only between two
    Chinese characters (where HTML rendering drops them)."""
    out, run = [], 0
    for i, c in enumerate(text):
        out.append(c)
        run += 1
        if run >= width and i + 1 < len(text) and wide(c) and wide(text[i + 1]):
            out.append("\n")
            run = 0
    return "".join(out)


CHROME_TOP = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{title}_{region}人民政府门户网站</title>
<link rel="stylesheet" type="text/css" href="/css/style.css" />
<style type="text/css">.content p {{ text-indent: 2em; line-height: 2; }}</style>
<script type="text/javascript">var _hmt = _hmt || []; function setFont(s) {{ document.getElementById('zoom').style.fontSize = s + 'px'; }}</script>
</head>
<body>
<div class="top"><div class="logo"><img src="/images/logo.png" alt="{region}人民政府" /></div>
<div class="search"><form action="/search"><input type="text" name="q" value="请输入关键字" /><input type="submit" value="搜索" /></form></div></div>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进{region}</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zcwj/">政策文件</a></div>
<div class="article">
<table class="info" border="0"><tr><td>索引号：</td><td>11540000/2017-00{n}</td><td>主题分类：</td><td>政务公开</td></tr>
<tr><td>发布机构：</td><td>{region}人民政府办公厅</td><td>发布日期：</td><td>{published}</td></tr></table>
<h1>{title}</h1>
<div class="info-bar">发布日期：{published}　来源：{region}人民政府办公厅　浏览次数：{views}　字号：【<a href="javascript:setFont(18)">大</a> <a href="javascript:setFont(16)">中</a> <a href="javascript:setFont(14)">小</a>】</div>
<div class="content" id="zoom">
"""

CHROME_BOTTOM = """</div>
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="bdsharebuttonbox">分享到：<a href="#" class="bds_weixin" title="分享到微信"></a><a href="#" class="bds_tsina" title="分享到新浪微博"></a></div>
<div class="related"><h3>相关文件</h3><ul><li><a href="/zwgk/1.html">关于做好政府网站年度报表发布工作的通知</a></li><li><a href="/zwgk/2.html">政府信息公开工作年度报告</a></li><li><a href="/zwgk/3.html">关于加强政务舆情回应工作的通知</a></li></ul></div>
</div>
<div class="footer"><p>主办：{region}人民政府办公厅　承办：{region}信息中心</p><p>网站标识码：5400000001　备案序号：藏ICP备05000001号</p></div>
<script type="text/javascript">document.write('<span id="cnzz"></span>');</script>
</body>
</html>
"""


def make_html(doc, text, n):
    body = []
    for kind, value in groups(text):
        if kind == "p":
            body.append("<p>" + wrap_source(html.escape(value, quote=False)) + "</p>")
        else:
            body.append('<table border="1" cellspacing="0" cellpadding="4">')
            for row in value:
                body.append("<tr>" + "".join(f"<td>{html.escape(c, quote=False)}</td>" for c in row) + "</tr>")
            body.append("</table>")
    page = (
        CHROME_TOP.format(title=doc["title"], region=doc["region"], published=str(doc.get("published", doc.get("issued", ""))), n=n, views=1000 + 37 * n)
        + "\n".join(body)
        + "\n"
        + CHROME_BOTTOM.format(region=doc["region"])
    )
    # Characters outside GBK (few) become numeric references, as CMSs do.
    return page.encode("gbk", errors="xmlcharrefreplace")


def make_docx(text, path):
    import docx

    d = docx.Document()
    for kind, value in groups(text):
        if kind == "p":
            d.add_paragraph(value)
        else:
            cols = max(len(r) for r in value)
            t = d.add_table(rows=0, cols=cols)
            t.style = "Table Grid"
            for row in value:
                cells = t.add_row().cells
                for i, c in enumerate(row):
                    cells[i].text = c
    d.save(path)


def font_path(tmp):
    from fontTools.ttLib import TTCollection

    ttf = tmp / "wqy-microhei.ttf"
    if not ttf.exists():
        TTCollection(str(FONT_TTC)).fonts[0].save(str(ttf))
    return ttf


def new_pdf(tmp):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_compression(True)
    pdf.add_font("wqy", "", str(font_path(tmp)))
    pdf.set_font("wqy", size=11)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    return pdf


def make_pdf(text, path, tmp):
    pdf = new_pdf(tmp)
    for kind, value in groups(text):
        if kind == "p":
            pdf.multi_cell(0, 7, value, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        else:
            ruled_table(pdf, [piece for row in value for piece in split_row(row, 180)])
            pdf.ln(3)
    pdf.output(str(path))


def ruled_table(pdf, rows, lh=6, pad=2):
    """Draws a ruled table of equal columns across the text width, each
    cell's text wrapped inside it; a row that does not fit goes to the
    next page whole."""
    cols = max(len(r) for r in rows)
    x0 = pdf.l_margin
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / cols
    xs = [x0 + i * width for i in range(cols + 1)]
    for row in rows:
        cells = [split_lines(pdf, row[i] if i < len(row) else "", width) for i in range(cols)]
        h = max(1, max(len(c) for c in cells)) * lh + 2 * pad
        if pdf.get_y() + h > pdf.h - pdf.b_margin:
            pdf.add_page()
        top = pdf.get_y()
        for x in xs:
            pdf.line(x, top, x, top + h)
        pdf.line(xs[0], top, xs[-1], top)
        pdf.line(xs[0], top + h, xs[-1], top + h)
        for ci, lines in enumerate(cells):
            for li, line in enumerate(lines):
                pdf.text(xs[ci] + 1.5, top + pad + lh * (li + 1) - 1.5, line)
        pdf.set_y(top + h)


def split_row(row, limit):
    """A row whose cell is too long for one page continues in the next row
    (as a row broken over a page does), split after a sentence end."""
    out = [list(row)]
    while any(len(c) > limit for c in out[-1]):
        cur = out[-1]
        nxt = [""] * len(cur)
        for i, c in enumerate(cur):
            if len(c) > limit:
                cut = c.rfind("。", 0, limit)
                cut = cut + 1 if cut > 0 else limit
                cur[i], nxt[i] = c[:cut], c[cut:]
        out.append(nxt)
    return out


TABLE5 = [
    # 目标, 序号, 任务, 要求, 责任单位
    ("以政务公开助力稳增长", "1", "加强预期引导",
     "围绕积极的财政政策、稳健的货币政策和更加积极的就业政策，各有关部门负责同志要通过召开新闻发布会、参加政府网站访谈等方式，深入解读政策的背景、依据、目标任务、涉及范围。",
     "市发展改革委、市财政局、市人力社保局"),
    ("", "2", "稳定市场信心",
     "做好宏观经济形势和重要经济数据的解读工作，及时准确发布统计数据。",
     "市统计局、市发展改革委"),
    ("以政务公开助力促改革", "3", "推进放管服改革公开",
     "全面公开地方各级政府部门权力清单和责任清单，实行动态调整，方便群众查询和监督。",
     "市编办、市政府法制办"),
    ("", "4", "推进国资国企信息公开",
     "公开国有资本运营情况、企业国有资产保值增值、国有企业改革重组和企业负责人薪酬等信息。",
     "市国资委"),
]
HEADER = ("目标", "序号", "任务", "要求", "责任单位")
WIDTHS = (30, 12, 30, 68, 30)


def split_lines(pdf, text, width):
    """Greedy character wrap as a typesetter would do it."""
    lines, cur = [], ""
    for c in text:
        if pdf.get_string_width(cur + c) > width - 3:
            lines.append(cur)
            cur = c
        else:
            cur += c
    if cur:
        lines.append(cur)
    return lines


def make_table5(path, tmp, by_line):
    """A ruled five-column table with a merged 目标 cell per pair of rows.
    by_line: text written baseline by baseline across the row (as some
    producers do) instead of cell by cell."""
    pdf = new_pdf(tmp)
    pdf.set_font("wqy", size=10.5)
    lh = 6
    x0, y = 20, 30
    xs = [x0]
    for w in WIDTHS:
        xs.append(xs[-1] + w)
    rows = [HEADER] + TABLE5
    # Row heights from the wrapped cell text.
    wrapped = [[split_lines(pdf, c, w) for c, w in zip(r, WIDTHS)] for r in rows]
    heights = [max(1, max(len(c) for c in r)) * lh + 4 for r in wrapped]
    # The 目标 cell spans a row and the next when the next has none.
    tops = [y]
    for h in heights:
        tops.append(tops[-1] + h)
    # Horizontal rules: full width, except under a merged 目标 cell.
    for i in range(len(rows) + 1):
        yy = tops[i]
        merged_above = 0 < i < len(rows) and rows[i][0] == "" and i > 0
        pdf.line(xs[1] if merged_above else xs[0], yy, xs[-1], yy)
    for x in xs:
        pdf.line(x, tops[0], x, tops[-1])

    def put(ri, ci, li, text):
        pdf.text(xs[ci] + 1.5, tops[ri] + 2 + lh * (li + 1) - 1.5, text)

    for ri, cells in enumerate(wrapped):
        if by_line:
            for li in range(max(len(c) for c in cells)):
                for ci, lines in enumerate(cells):
                    if li < len(lines):
                        put(ri, ci, li, lines[li])
        else:
            for ci, lines in enumerate(cells):
                for li, line in enumerate(lines):
                    put(ri, ci, li, line)
    pdf.output(str(path))
    return [[c for c in r] for r in rows]


TWO_COLUMNS = [
    ["一、推进决策公开", "各级行政机关要建立健全利益相关方、公众代表、专家、媒体等列席政府有关会议制度，增强决策透明度。", "对涉及群众切身利益的重要改革方案和重大政策措施，除依法应当保密的外，在决策前应向社会公布决策草案、决策依据，广泛听取公众意见。"],
    ["二、推进执行公开", "主动公开重大决策、重要政策落实情况，加大对党中央、国务院决策部署贯彻落实情况的公开力度。", "做好审计发现问题整改情况公开，推动政策落地见效，及时回应社会关切。"],
]


def make_two_columns(path, tmp):
    """A page set in two columns (each a list of paragraphs)."""
    pdf = new_pdf(tmp)
    width, gap = 80, 10
    for ci, paras in enumerate(TWO_COLUMNS):
        pdf.set_xy(20 + ci * (width + gap), 25)
        for p in paras:
            pdf.set_x(20 + ci * (width + gap))
            pdf.multi_cell(width, 7, p, wrapmode="CHAR", new_x="LEFT", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))


def make_numbered(path):
    import docx

    d = docx.Document()
    d.add_heading("一、加强政务公开组织领导", level=1)
    for t in ["各级政府要明确分管负责同志，统筹推进政务公开工作。", "健全政务公开领导机制，完善考核评估办法。", "加强业务培训，提高工作人员能力水平。"]:
        d.add_paragraph(t, style="List Number")
    d.save(path)


def make_scanned(path, tmp):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    # A picture of a page and no text: what a scanner produces.
    img = tmp / "scan.png"
    write_png(img, 60, 80)
    pdf.image(str(img), x=20, y=20, w=170)
    pdf.output(str(path))


def write_png(path, w, h):
    import struct
    import zlib

    raw = b"".join(b"\x00" + bytes((x * y) % 256 for x in range(w)) for y in range(h))
    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xFFFFFFFF)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path.write_bytes(png)


# Traditional Chinese written for these fixtures (not from any seed).
TRADITIONAL = (
    "各級政府要堅持以公開為常態、不公開為例外，推進決策、執行、管理、服務、結果公開。\n"
    "加強政策解讀和回應關切，及時發佈權威資訊，擴大政務開放參與。\n"
    "香港特別行政區政府資訊公開守則規定，部門須主動公佈其組織架構及服務資料。\n"
)


def main():
    tmp = HERE / ".tmp"
    tmp.mkdir(exist_ok=True)
    for sub in ("html", "docx", "pdf"):
        (HERE / sub).mkdir(exist_ok=True)
    for n, (doc, text) in enumerate(seeds()):
        stem = Path(doc["file"]).stem
        (HERE / "html" / f"{stem}.html").write_bytes(make_html(doc, text, n))
        make_docx(text, HERE / "docx" / f"{stem}.docx")
        make_pdf(text, HERE / "pdf" / f"{stem}.pdf", tmp)
    cells = make_table5(HERE / "table5.pdf", tmp, by_line=False)
    make_table5(HERE / "table5_lines.pdf", tmp, by_line=True)
    (HERE / "table5.json").write_text(json.dumps(cells, ensure_ascii=False, indent=1) + "\n", "utf-8")
    make_two_columns(HERE / "two_columns.pdf", tmp)
    (HERE / "two_columns.json").write_text(json.dumps(TWO_COLUMNS, ensure_ascii=False, indent=1) + "\n", "utf-8")
    make_numbered(HERE / "numbered.docx")
    make_scanned(HERE / "scanned.pdf", tmp)
    (HERE / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (HERE / "big5hkscs.txt").write_bytes((TRADITIONAL + "市民查詢嘅嘢，部門啱啱已經回覆。\n").encode("big5hkscs"))
    first = next(seeds())[1][:600]
    (HERE / "utf16le_nobom.txt").write_bytes(first.encode("utf-16-le"))
    (HERE / "utf16be_nobom.txt").write_bytes(first.encode("utf-16-be"))
    (HERE / "shift_jis.txt").write_bytes(
        "各府省庁は、行政文書の公開を原則とし、国民の知る権利を尊重しなければならない。情報公開制度の運用状況を毎年公表する。\n".encode("shift_jis")
    )


if __name__ == "__main__":
    sys.exit(main())
