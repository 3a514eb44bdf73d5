"""An invoice as a PDF: ReportLab's flowing layout (paragraphs and tables that wrap and run
onto a second page) of the same content as the printable page (``invoice_document``).

The PDF is a Factur-X file: PDF/A-3 with the invoice's CII XML embedded (``invoice_xml``).
The ``factur-x`` library embeds the XML, checks it against the EN 16931 schema and writes
the XMP metadata that declares PDF/A-3; it keeps the rest of the PDF as it is, so what
PDF/A asks of the pages themselves is done here: every font embedded (ReportLab's
built-in Helvetica is not, so the pages use the Bitstream Vera fonts that ReportLab ships)
and an sRGB output intent (its ICC profile made by Pillow's LittleCMS, nothing to ship).
"""

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import facturx
import reportlab
from PIL import ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .invoice_document import invoice_document
from .invoice_xml import invoice_xml

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
FONT, BOLD = "CiteVera", "CiteVera-Bold"
# A table sets its cells' font even when they hold paragraphs: Helvetica unless told.
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), FONT)


@cache
def _register_fonts():
    """Register the TrueType fonts that ReportLab ships, so that the PDF embeds them."""
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, folder / "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, folder / "VeraBd.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles():
    _register_fonts()
    sheet = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=sheet["BodyText"], fontName=FONT, fontSize=9.5, leading=12.5
    )
    return {
        "title": ParagraphStyle(
            "title", parent=sheet["Title"], fontName=BOLD, alignment=0, fontSize=17
        ),
        "heading": ParagraphStyle("heading", parent=body, fontName=BOLD),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "mark": ParagraphStyle(
            "mark", parent=body, fontName=BOLD, fontSize=13, textColor=colors.green
        ),
    }


def _paragraph(text, style):
    # Vera has no narrow no-break space; a plain no-break space keeps "1 234,50 €" whole.
    return Paragraph(escape(str(text).replace("\u202f", "\xa0")), style)


def _party(lines, styles):
    head, *rest = lines or [""]
    return [
        _paragraph(head, styles["heading"]),
        *(_paragraph(line, styles["body"]) for line in rest),
    ]


def invoice_pdf(invoice, payments=()) -> bytes:
    """Return the Factur-X PDF of an invoice or credit note: the printed pages (A4, as many
    as it needs) with the CII XML embedded as ``factur-x.xml``."""
    document = invoice_document(invoice, payments)
    pages = _with_output_intent(_pages(document))
    return facturx.generate_from_binary(
        pages,
        invoice_xml(invoice),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        pdf_metadata={
            "author": invoice.seller_name,
            "keywords": "Factur-X",
            "title": f"{document.title} {document.number}",
            "subject": f"{document.title} {document.number} · {invoice.buyer_name}",
        },
        lang="fr-FR",
    )


@cache
def _srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _with_output_intent(pdf: bytes) -> bytes:
    """Add the sRGB output intent PDF/A asks for (the colours the pages are meant in)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    profile = StreamObject()
    profile.set_data(_srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB"),
            NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/DestOutputProfile"): writer._add_object(profile),
        }
    )
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _pages(document) -> bytes:
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
        initialFontName=FONT,
    )
    story = [_paragraph(f"{document.title} {document.number}", styles["title"])]
    if document.paid_mark:
        story.append(_paragraph(document.paid_mark, styles["mark"]))
    parties = Table(
        [[_party(document.seller, styles), _party(document.buyer, styles)]],
        colWidths=[WIDTH / 2] * 2,
    )
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), CELL_FONT]))
    story += [Spacer(0, 4 * mm), parties, Spacer(0, 6 * mm)]
    facts = Table(
        [
            [_paragraph(label, styles["heading"]), _paragraph(value, styles["body"])]
            for label, value in document.facts
        ],
        colWidths=[WIDTH * 0.3, WIDTH * 0.7],
    )
    facts.setStyle(TableStyle([CELL_FONT]))
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
                CELL_FONT,
            ]
        )
    )
    story += [lines, Spacer(0, 6 * mm)]
    story += [_paragraph(mention, styles["small"]) for mention in document.mentions]
    pdf.build(story)
    return buffer.getvalue()
