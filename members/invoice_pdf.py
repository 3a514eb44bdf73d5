"""An invoice as a PDF: ReportLab's flowing layout (paragraphs and tables that wrap and run
onto a second page) of the same content as the printable page (``invoice_document``)."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .invoice_document import invoice_document

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


def _styles():
    sheet = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=sheet["BodyText"], fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle("title", parent=sheet["Title"], alignment=0, fontSize=17),
        "heading": ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold"),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "mark": ParagraphStyle(
            "mark", parent=body, fontName="Helvetica-Bold", fontSize=13, textColor=colors.green
        ),
    }


def _paragraph(text, style):
    return Paragraph(escape(str(text)), style)


def _party(lines, styles):
    head, *rest = lines or [""]
    return [
        _paragraph(head, styles["heading"]),
        *(_paragraph(line, styles["body"]) for line in rest),
    ]


def invoice_pdf(invoice, payments=()) -> bytes:
    """Return the PDF bytes of an invoice or credit note (A4, as many pages as it needs)."""
    document = invoice_document(invoice, payments)
    styles = _styles()
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{document.title} {document.number}",
    )
    story = [_paragraph(f"{document.title} {document.number}", styles["title"])]
    if document.paid_mark:
        story.append(_paragraph(document.paid_mark, styles["mark"]))
    parties = Table(
        [[_party(document.seller, styles), _party(document.buyer, styles)]],
        colWidths=[WIDTH / 2] * 2,
    )
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(0, 4 * mm), parties, Spacer(0, 6 * mm)]
    facts = Table(
        [
            [_paragraph(label, styles["heading"]), _paragraph(value, styles["body"])]
            for label, value in document.facts
        ],
        colWidths=[WIDTH * 0.3, WIDTH * 0.7],
    )
    story += [facts, Spacer(0, 6 * mm)]
    rows = [
        [_paragraph(text, styles["body"]), _paragraph(amount, styles["right"])]
        for text, amount in document.lines
    ]
    rows += [
        [_paragraph(label, styles["heading"]), _paragraph(amount, styles["right"])]
        for label, amount in document.totals
    ]
    lines = Table(rows, colWidths=[WIDTH * 0.75, WIDTH * 0.25])
    lines.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, len(document.lines) - 1), 0.5, colors.grey),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [lines, Spacer(0, 6 * mm)]
    story += [_paragraph(mention, styles["small"]) for mention in document.mentions]
    pdf.build(story)
    return buffer.getvalue()
