/** A document's body: rich text from the editor, kept only as the tags and attributes listed here. */
import sanitizeHtml from "sanitize-html";

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "h1",
    "h2",
    "h3",
    "h4",
    "ol",
    "ul",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
  ],
  allowedAttributes: { td: ["colspan", "rowspan"], th: ["colspan", "rowspan"], p: ["class"], span: ["class"] },
  allowedClasses: { p: ["indent", "center", "right"], span: ["bold"] },
  disallowedTagsMode: "discard",
};

export const sanitizeBody = (html: string): string => sanitizeHtml(html, OPTIONS).trim();

/** The body as plain text (search, previews). */
export const bodyText = (html: string): string =>
  sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, " ").trim();
