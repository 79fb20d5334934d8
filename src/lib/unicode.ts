/**
 * A UTF-16 code unit of a surrogate pair without its other half (`"\ud800"` in JSON, or in a YAML
 * double-quoted string): not a character. No UTF-8 text can hold one, so it can only come from an
 * escape; a text holding one is refused (the post's fields, a comment's fields).
 */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Whether a text is well-formed Unicode (no lone surrogate). */
export const isWellFormedText = (s: string) => !LONE_SURROGATE.test(s)

/** The refusal of a text with a lone surrogate, naming the field. */
export const notWellFormed = (label: string) => `${label} is not valid Unicode: it holds a lone surrogate (such as \\ud800)`

/** `text.slice(0, end)`, one unit shorter when that would keep a pair's first half without its second. */
export function sliceWhole(text: string, end: number): string {
  const last = text.charCodeAt(end - 1)
  return text.slice(0, last >= 0xd800 && last <= 0xdbff && end < text.length ? end - 1 : end)
}

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g')

/** The text with each half of a surrogate pair standing alone replaced by U+FFFD (what a decoder shows). */
export const toWellFormed = (s: string) => (isWellFormedText(s) ? s : s.replace(LONE_SURROGATES, '\uFFFD'))
