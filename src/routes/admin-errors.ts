import type { AdminErrorStrings, Strings } from '../i18n'

/** An API refusal as the admin receives it: its code and its (English) message. */
export interface ApiRefusal {
  code: string
  message: string
}

type Rule = (e: AdminErrorStrings, m: RegExpExecArray) => string

/**
 * The API's refusals by code, each with the message it has (the pattern picks out the ids and
 * numbers the message names); the first rule whose pattern matches gives the text. The patterns
 * follow the API's messages (src/objects/site.ts, src/routes/api.ts, src/services/images.ts,
 * src/lib/request.ts); a message that matches none is shown as the API wrote it.
 */
const RULES: Record<string, [RegExp, Rule][]> = {
  id_taken: [[/^There is already a post "(.+)"\.$/, (e, m) => e.idTaken(m[1]!)]],
  id_moved: [
    [/^Post "(.+)" was renamed to "(.+)" and/, (e, m) => e.idRenamed(m[1]!, m[2]!)],
    [/^"(.+)" is a former id of post "(.+)" and/, (e, m) => e.idFormer(m[1]!, m[2]!)],
  ],
  alias_taken: [
    [/^The alias "(.+)" already redirects to post "(.+)";/, (e, m) => e.aliasTaken(m[1]!, m[2]!)],
    [/^The alias "(.+)" is the short address of page "(.+)",/, (e, m) => e.aliasIsPageAddress(m[1]!, m[2]!)],
    [/^A page's short address (\S+) is an alias of post "(.+)"/, (e, m) => e.pageAddressIsAlias(m[1]!, m[2]!)],
  ],
  precondition_failed: [[/^/, (e) => e.changed]],
  not_found: [
    [/^There is no post "(.+)"\.$/, (e, m) => e.noPost(m[1]!)],
    [/^/, (e) => e.notFound],
  ],
  post_deleted: [[/^/, (e) => e.postDeleted]],
  post_moved: [[/^Post "(.+)" was renamed to "(.+)"\.$/, (e, m) => e.postRenamed(m[1]!, m[2]!)]],
  no_such_revision: [[/has no revision ([0-9]+)/, (e, m) => e.noRevision(m[1]!)]],
  comment_not_found: [[/^There is no comment ([0-9]+)\.$/, (e, m) => e.noComment(m[1]!)]],
  unavailable: [[/^/, (e) => e.unavailable]],
  overloaded: [[/^/, (e) => e.busy]],
  payload_too_large: [[/larger than ([0-9,]+) bytes/, (e, m) => e.tooLarge(m[1]!)]],
  unrenderable: [[/^/, (e) => e.unrenderable]],
  excerpt_too_large: [[/renders to ([0-9]+) KB \(at most ([0-9]+) KB\)/, (e, m) => e.excerptTooLarge(m[1]!, m[2]!)]],
  unsupported_media_type: [
    [/^Content-Type must be one of: (image\/.+)\.$/, (e, m) => e.imageTypes(m[1]!)],
    [/^SVG images are not accepted/, (e) => e.imageSvg],
  ],
  image_type_mismatch: [
    [/^The bytes are (\S+), not the declared (\S+)\.$/, (e, m) => e.imageMismatch(m[1]!, m[2]!)],
    [/^The bytes are not a (\S+) image/, (e, m) => e.imageUnknown(m[1]!)],
  ],
  empty_body: [[/^/, (e) => e.emptyFile]],
  invalid_cursor: [[/^/, (e) => e.badCursor]],
  invalid_encoding: [[/^/, (e) => e.notUtf8]],
  api_error: [[/^The API answered ([0-9]+)\.$/, (e, m) => e.apiAnswered(m[1]!)]],
}

/** Refusals whose message lists what is wrong with the fields (zod's issues: `field: reason; …`). */
const FIELD_CODES = new Set(['invalid_post', 'invalid_form', 'invalid_request', 'invalid_id', 'invalid_query'])

/** A refusal of the whole post (its front matter, its id) rather than of one field. */
const WHOLE: [RegExp, Rule][] = [
  [/^Front matter is not valid YAML: ([^]*)$/, (e, m) => e.yaml(m[1]!)],
  [/^Front matter must be a YAML mapping/, (e) => e.yamlNotMapping],
  [/^The id in the post \("(.+)"\) differs from the id in the URL \("(.+)"\)\.$/, (e, m) => e.idMismatch(m[1]!, m[2]!)],
  [/^"(.+)" cannot be a page's id: its address/, (e, m) => e.reservedPageId(m[1]!)],
  [/^POST \/api\/posts assigns the id;/, (e) => e.idInNewPost],
]

type FieldRule = (e: AdminErrorStrings, field: string, m: RegExpExecArray) => string

/** One field's reason (the message after its subject), as schemas.ts words it. */
const FIELD: [RegExp, FieldRule][] = [
  [/^\S+(?: \S+)? is required$/, (e, f) => e.required(f)],
  [/^\S+(?: \S+)? must be text$/, (e, f) => e.notText(f)],
  [/^\S+(?: \S+)? is longer than ([0-9,]+) characters$/, (e, f, m) => e.tooLong(f, m[1]!)],
  [/^\S+ must be true or false$/, (e, f) => e.notBoolean(f)],
  [/^\S+ is not a date\b/, (e, f) => e.notDate(f)],
  [/^\S+ must be lower-case letters and digits separated by single dashes$/, (e, f) => e.notSlug(f)],
  [/^\S+ must be ((?:\w+, )*\w+) or (\w+)$/, (e, f, m) => e.oneOf(f, [...m[1]!.split(', '), m[2]!])],
  [/^\S+ must be 1 to ([0-9]+)$/, (e, f, m) => e.countFrom1(f, m[1]!)],
  [/^\S+ must be a number from 1(?: to ([0-9]+))?$/, (e, f, m) => e.countFrom1(f, m[1])],
  [/^\S+ must be 1 to ([0-9]+) characters$/, (e, f, m) => e.length1To(f, m[1]!)],
  [/^\S+ must be given once$/, (e, f) => e.givenOnce(f)],
  [/^\S+ must be a place the queue gave as next$/, (e, f) => e.notListPlace(f)],
  [/^\S+ holds a control character or is not valid Unicode$/, (e, f) => e.controlOrBroken(f)],
  // zod's own words, where a schema gives none (the admin's own checks of its query: a hand-typed ?done=x).
  [/^Too big: expected string to have <=([0-9]+) characters$/, (e, f, m) => e.tooLong(f, m[1]!)],
  [/^Invalid (?:input|option|string|value)\b/, (e, f) => e.invalidValue(f)],
  [/^more than ([0-9]+) tags$/, (e, _f, m) => e.tooManyTags(m[1]!)],
  [/ is not valid Unicode: it holds a lone surrogate/, (e, f) => e.notUnicode(f)],
  [/ holds a control character \(/, (e, f) => e.hasControl(f)],
  [/^(?:the tag )?"(.+)" gives no address /, (e, f, m) => e.noAddress(f, m[1]!)],
]

/**
 * One issue of a field refusal: `path: reason`, or a reason that starts with its field's name
 * (`title is required`). A reason the admin has no words for is kept as the API wrote it, which names
 * the field too.
 */
function fieldIssue(e: AdminErrorStrings, issue: string): string {
  const prefixed = /^([a-z_]+(?:\.[0-9a-z_]+)*): ([^]+)$/.exec(issue)
  const field = prefixed ? prefixed[1]! : /^([a-z_]+) /.exec(issue)?.[1]
  const reason = prefixed ? prefixed[2]! : issue
  if (field === undefined) return issue
  for (const [re, text] of FIELD) {
    const m = re.exec(reason)
    if (m) return text(e, field, m)
  }
  return issue
}

/**
 * The text the admin shows for an API refusal, in the site's language: the admin's words for its
 * code (with the ids, numbers and field names the API's message gives), or the API's own message
 * for a refusal it has no words for. The API itself stays English (docs/API.md); only the admin's
 * pages and its script's forwarder (`/admin/api/*`) show this.
 */
export function adminErrorText(t: Strings, err: ApiRefusal): string {
  const e = t.admin.errors
  const { code, message } = err
  if (code === 'unauthorized') return t.admin.sessionExpired
  if (code === 'forbidden') return t.admin.csrfFailed
  if (code === 'malformed_form') return t.commentErrors.formUnreadable
  if (code === 'bad_content_length') return t.commentErrors.badContentLength
  for (const [re, text] of RULES[code] ?? []) {
    const m = re.exec(message)
    if (m) return text(e, m)
  }
  if (!FIELD_CODES.has(code)) return message
  for (const [re, text] of WHOLE) {
    const m = re.exec(message)
    if (m) return text(e, m)
  }
  const issues = message.split('; ')
  const texts = issues.map((issue) => fieldIssue(e, issue))
  return texts.some((text, i) => text !== issues[i]) ? e.several(texts) : message
}
