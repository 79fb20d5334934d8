import * as z from 'zod'
import { parseDate } from './lib/dates'
import type { PostFields } from './model'
import { POST_ID_MAX, SLUG_RE } from './lib/slug'
import { isHttpUrl } from './render/safe-url'
import { MAX_ALIASES, normaliseAlias } from './lib/aliases'
import { once } from './lib/once'
import { isWellFormedText, notWellFormed } from './lib/unicode'
import type { CommentErrorStrings } from './i18n'

/** Largest accepted post (request body), in bytes. */
export const MAX_POST_BYTES = 1_000_000
/** Largest accepted pre-rendered post (markdown plus the HTML rendered by `npm run render`). */
export const MAX_PRERENDERED_BYTES = 16_000_000
/** Largest accepted comment request, in bytes. */
// (The no-JavaScript form sends each Chinese character as 9 bytes, %E4%B8%AD: a 10,000-character
// comment is ~90 KB of form.)
export const MAX_COMMENT_BYTES = 128 * 1024

/** A post id: a slug `[a-z0-9]+(-[a-z0-9]+)*` of at most 100 characters (numbers included). */
export const postIdSchema = z
  .string()
  .max(POST_ID_MAX, `id is longer than ${POST_ID_MAX} characters`)
  .regex(SLUG_RE, 'id must be lower-case letters and digits separated by single dashes')

/** Control characters (tab, newline and carriage return are allowed in bodies). */
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/** Whether a text is free of control characters (tab and line breaks allowed: a YAML block scalar holds them). */
const noControl = (s: string) => !CONTROL.test(s)

/** The refusal of a post's text field holding a control character (`\u0000`, `\u001b`…), naming the field. */
const withControl = (label: string) => `${label} holds a control character (U+0000 to U+001F other than tab and line breaks, or U+007F)`

/**
 * The schemas of a post sent to the API, made on first use: zod makes a schema's methods when the
 * schema is made (about 25 µs a call on this machine), so a reading isolate, which takes no post,
 * does not make them at start.
 */
function buildPostSchemas() {
  /**
   * A number where text belongs (JSON's `"title": 2024`, YAML's `title: !!int 2024`) is accepted as
   * its text. (Front matter's plain scalars reach here as the author's text: render/front-matter.ts.)
   */
  const textOf = (label: string) =>
    z
      .union([z.string(), z.number()], {
        error: (issue) => (issue.input === undefined || issue.input === null ? `${label} is required` : `${label} must be text`),
      })
      .transform(String)
      .refine(isWellFormedText, notWellFormed(label))
      .refine(noControl, withControl(label))
  const text = textOf('a tag')

  // (An empty YAML field, `summary:`, is null: the same as leaving it out.)
  const optionalText = (max: number, label: string) =>
    z.preprocess(
      (v) => (v === null ? undefined : v),
      textOf(label)
        .pipe(z.string().trim().max(max, `${label} is longer than ${max} characters`))
        .optional(),
    )

  const tagsSchema = z
    .union([z.array(text.pipe(z.string().trim())), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[,，]/)))
    .transform((tags) => [...new Set(tags.map((t) => t.trim()).filter(Boolean))])
    .pipe(
      z
        .array(
          z
            .string()
            .max(60, 'a tag is longer than 60 characters')
            .refine(isWellFormedText, notWellFormed('a tag'))
            .refine(noControl, withControl('a tag')),
        )
        .max(50, 'more than 50 tags'),
    )

  // (An empty `date:` is null: the same as leaving it out.)
  const dateText = (label: string) =>
    z.preprocess((v) => (v === null ? undefined : v), textOf(label).pipe(z.string().trim().max(40)).optional())

  /**
   * `tag_slugs`: tag name → slug. Read as the mapping's entries rather than with `z.record`, which
   * assigns each key to a plain object and so drops a tag called `__proto__`; each refusal names its tag.
   */
  const tagSlugsSchema = z
    .preprocess(
      (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : v),
      z
        .array(z.tuple([z.string(), z.unknown()]), 'tag_slugs must map tag names to slugs')
        .max(50, 'tag_slugs: at most 50 tags')
        .superRefine((entries, ctx) => {
          for (const [name, slug] of entries) {
            const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)
            if (!isWellFormedText(name)) ctx.addIssue({ code: 'custom', message: `tag_slugs: ${notWellFormed('a tag name')}` })
            else if (!noControl(name)) ctx.addIssue({ code: 'custom', message: `tag_slugs: ${withControl('a tag name')}` })
            else if (name.trim() === '' || name.trim().length > 60)
              ctx.addIssue({ code: 'custom', message: `tag_slugs: the tag name ${shown} must be 1–60 characters` })
            else if (typeof slug !== 'string' || slug.length > 100 || !SLUG_RE.test(slug))
              ctx.addIssue({
                code: 'custom',
                message: `tag_slugs: the slug of ${shown} must be lower-case letters and digits separated by single dashes`,
              })
          }
        }),
    )
    .transform((entries): Record<string, string> => Object.fromEntries(entries.map(([name, slug]) => [name.trim(), slug as string])))

  const fieldsShape = {
    id: z.unknown().optional(),
    title: textOf('title').pipe(z.string().trim().min(1, 'title is required').max(300, 'title is longer than 300 characters')),
    author: optionalText(100, 'author'),
    date: dateText('date'),
    updated: dateText('updated'),
    category: optionalText(100, 'category'),
    tags: tagsSchema.optional(),
    summary: optionalText(2000, 'summary'),
    draft: z.boolean('draft must be true or false').optional(),
    comments: z.boolean('comments must be true or false').optional(),
    /** `false`: the post shows no reactions and takes none (README: Comments, Reactions). */
    reactions: z.boolean('reactions must be true or false').optional(),
    series: optionalText(100, 'series'),
    category_slug: z
      .string()
      .max(100)
      .regex(SLUG_RE, 'category_slug must be lower-case letters and digits separated by single dashes')
      .optional(),
    tag_slugs: tagSlugsSchema.optional(),
    /** `page`: a standalone page (关于, 留言板), in no list, feed or archive (README: Pages). */
    type: z.enum(['post', 'page'], 'type must be post or page').optional(),
    /** A page linked from the header (pages only). */
    nav: z.boolean('nav must be true or false').optional(),
    /** Old addresses that answer 301 to this post (README: Redirects). */
    aliases: z
      .union([z.array(z.string('aliases must be paths such as /old-slug.html')), z.string()])
      .transform((v, ctx) => {
        const list = Array.isArray(v) ? v : v.split(',').filter((s) => s.trim() !== '')
        if (list.length > MAX_ALIASES) {
          ctx.addIssue({ code: 'custom', message: `aliases: at most ${MAX_ALIASES}` })
          return z.NEVER
        }
        const paths: string[] = []
        for (const item of list) {
          const result = normaliseAlias(item)
          if ('error' in result) {
            ctx.addIssue({ code: 'custom', message: result.error })
            return z.NEVER
          }
          if (!paths.includes(result.path)) paths.push(result.path)
        }
        return paths
      })
      .optional(),
  }

  const frontMatter = z.object(fieldsShape)

  const postJson = z.object({
    ...fieldsShape,
    body: z.string('body must be a string').max(MAX_POST_BYTES, 'body is larger than 1 MB').refine(isWellFormedText, notWellFormed('body')),
  })

  const rendered = z.object({
    html: z.string().max(MAX_PRERENDERED_BYTES),
    excerptHtml: z.string().max(2_000_000),
    description: z.string().max(2000),
    toc: z.array(z.object({ depth: z.number().int().min(1).max(6), id: z.string().max(200), text: z.string().max(1000) })).max(2000),
    mathErrors: z.number().int().min(0),
    renderVersion: z.string().max(100),
    links: z.array(z.string().max(100)).max(2000).default([]),
  })

  const prerendered = postJson.extend({ rendered })
  return { frontMatter, postJson, rendered, prerendered }
}
const posts = once(buildPostSchemas)

/** Front matter of a markdown post (unknown keys are ignored, as static site generators do). */
export const frontMatterSchema = z.lazy(() => posts().frontMatter)

/** A post sent as JSON: the front matter fields plus the markdown `body`. */
export const postJsonSchema = z.lazy(() => posts().postJson)

export type FrontMatterInput = z.infer<typeof frontMatterSchema>

/** What `npm run render` made of a post, sent with `PUT /api/posts/:id?prerendered=1`. */
export const renderedSchema = z.lazy(() => posts().rendered)

/** A post with its own rendering: the JSON post fields plus `rendered`. */
export const prerenderedPostSchema = z.lazy(() => posts().prerendered)

/** Resolves dates in the site's time zone; returns an error message for an unreadable date. */
export function toPostFields(input: FrontMatterInput, body: string, timeZone: string): PostFields | string {
  const date = input.date === undefined || input.date === '' ? undefined : parseDate(input.date, timeZone)
  if (date === null) return 'date is not a date (use 2024-05-01, 2024-05-01 08:30 or ISO 8601)'
  const updated = input.updated === undefined || input.updated === '' ? undefined : parseDate(input.updated, timeZone)
  if (updated === null) return 'updated is not a date (use 2024-05-01, 2024-05-01 08:30 or ISO 8601)'
  return {
    title: input.title,
    author: input.author || undefined,
    date,
    updated,
    category: input.category || undefined,
    tags: input.tags ?? [],
    summary: input.summary || undefined,
    draft: input.draft ?? false,
    ...(input.comments === false ? { commentsClosed: true } : {}),
    ...(input.reactions === false ? { reactionsOff: true } : {}),
    ...(input.series ? { series: input.series } : {}),
    ...(input.category_slug ? { categorySlug: input.category_slug } : {}),
    ...(input.tag_slugs && Object.keys(input.tag_slugs).length > 0 ? { tagSlugs: input.tag_slugs } : {}),
    ...(input.type === 'page' ? { type: 'page' as const, ...(input.nav ? { nav: true } : {}) } : {}),
    ...(input.aliases && input.aliases.length > 0 ? { aliases: input.aliases } : {}),
    body,
  }
}

/** Empty form fields count as absent. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

const cleanText = (v: string) => noControl(v) && isWellFormedText(v)

/** Longest accepted comment fields, in characters. */
const MAX_AUTHOR = 50
const MAX_EMAIL = 254
const MAX_URL = 300
const MAX_BODY = 10_000
/** Longest idempotency key (the `key` field or the Idempotency-Key header). */
export const MAX_COMMENT_KEY = 100

/**
 * The schemas of a reader's comment and of the comment API, with every message in the site's
 * language (`m`): readers see them on the page and through comments.js. Made on first use per
 * language (see buildPostSchemas).
 */
function buildCommentSchemas(m: CommentErrorStrings) {
  // Blank lines before the text and white space after it go; the first line's indentation stays (a
  // comment may open with an indented code block).
  const commentText = z
    .string(m.bodyRequired)
    .overwrite((v) => v.replace(/^(?:[ \t]*(?:\r\n?|\n))+/, '').trimEnd())
    .min(1, m.bodyRequired)
    .max(MAX_BODY, m.bodyTooLong(MAX_BODY))
    .refine(cleanText, m.bodyInvalid)

  const key = z.preprocess(
    blankToUndefined,
    z
      .string(m.keyInvalid(MAX_COMMENT_KEY))
      .max(MAX_COMMENT_KEY, m.keyInvalid(MAX_COMMENT_KEY))
      .regex(/^[A-Za-z0-9._:-]+$/, m.keyInvalid(MAX_COMMENT_KEY))
      .optional(),
  )

  const input = z.object({
    author: z
      .string(m.authorRequired)
      .trim()
      .min(1, m.authorRequired)
      .max(MAX_AUTHOR, m.authorTooLong(MAX_AUTHOR))
      .refine((v) => cleanText(v) && !/[\r\n\t]/.test(v), m.authorInvalid),
    email: z.preprocess(blankToUndefined, z.email(m.emailInvalid).max(MAX_EMAIL, m.emailTooLong(MAX_EMAIL)).optional()),
    url: z.preprocess(
      blankToUndefined,
      z
        .string(m.urlInvalid)
        .trim()
        .max(MAX_URL, m.urlTooLong(MAX_URL))
        .refine((v) => cleanText(v) && isHttpUrl(v), m.urlInvalid)
        .optional(),
    ),
    body: commentText,
    parent: z.preprocess(
      blankToUndefined,
      // A number or a string of digits (from the form), nothing else: no true, no [1].
      z
        .union(
          [
            z.number(),
            z
              .string()
              .regex(/^\d{1,9}$/)
              .transform(Number),
          ],
          m.parentInvalid,
        )
        .pipe(z.number().int(m.parentInvalid).positive(m.parentInvalid))
        .optional(),
    ),
    key,
    /** Ask to be told of replies by e-mail ("1" from the form's checkbox, or true). */
    notify: z.union([z.literal('1'), z.literal('on'), z.literal('0'), z.boolean()], m.notifyInvalid).optional(),
    /** The honeypot: hidden from people; anything in it marks a bot. */
    website: z.string(m.automated).max(1000, m.automated).optional(),
    /** The form's signed render time (minimum fill time). */
    ts: z.string(m.formTimeMissing).max(100, m.formTimeMissing).optional(),
    /** Cloudflare Turnstile's token, when Turnstile is on. */
    'cf-turnstile-response': z.string(m.turnstileFailed).max(4096, m.turnstileFailed).optional(),
    /** The form's buttons: preview or post. */
    intent: z.enum(['preview', 'post'], m.intentInvalid).optional(),
  })

  const body = z.object({
    body: commentText,
  })
  return { input, body, key }
}

const commentSchemasByLanguage = new WeakMap<CommentErrorStrings, ReturnType<typeof buildCommentSchemas>>()

/**
 * A reader's comment (`input`, from a form or JSON), a comment body to preview or the new text of an
 * edited comment (`body`), and the idempotency key alone (`key`, also taken from the Idempotency-Key
 * header), each refusing with the messages of `m` (`strings(language).commentErrors`).
 */
export function commentSchemas(m: CommentErrorStrings): ReturnType<typeof buildCommentSchemas> {
  let schemas = commentSchemasByLanguage.get(m)
  if (!schemas) commentSchemasByLanguage.set(m, (schemas = buildCommentSchemas(m)))
  return schemas
}

export type CommentInput = z.infer<ReturnType<typeof buildCommentSchemas>['input']>

/** A comment schema's refusal as one text in the site's language (the messages name their fields). */
export function describeCommentIssues(error: { issues: readonly { message: string }[] }, m: CommentErrorStrings): string {
  return m.several([...new Set(error.issues.map((i) => i.message))].slice(0, 5))
}

/** Who to erase: by e-mail address or by name (exactly one). Admin only: its messages stay English. */
export const eraseSchema = z.lazy(() =>
  z
    .object({
      email: z.email('email is not a valid address').max(254).optional(),
      name: z.string().trim().min(1).max(50).optional(),
    })
    .refine((v) => (v.email === undefined) !== (v.name === undefined), 'give either email or name'),
)

/**
 * A post reaction (文章反应) as a reader sends it: `{ reaction }` in JSON, or the form's `reaction`
 * field. Only its shape here; the Worker checks the key against REACTIONS (services/reactions.ts).
 */
export const reactionInputSchema = z.lazy(() => z.object({ reaction: z.string().max(100) }))

/** At most this many comments in one batch of moderation (POST /api/comments/batch). */
export const MAX_BATCH = 100

/** POST /api/comments/batch: one action on up to MAX_BATCH comments. */
export const batchSchema = z.lazy(() =>
  z.object({
    action: z.enum(['approve', 'spam', 'delete'], 'action must be approve, spam or delete'),
    comments: z
      .array(
        z.object({
          postId: postIdSchema,
          commentId: z.number('commentId must be a comment number').int('commentId must be a comment number').min(1).max(999_999_999),
        }),
        'comments must be a list of {postId, commentId}',
      )
      .min(1, 'comments is empty')
      .max(MAX_BATCH, `at most ${MAX_BATCH} comments at once`),
  }),
)

/** A comment id in a URL: digits, no leading zero. */
export const commentIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, 'not a comment id')
  .transform(Number)

/** Page numbers in list URLs (`/page/2`): digits only, no leading zero. */
export const pageNumberSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,5}$/, 'not a page number')
  .transform(Number)

/**
 * A query parameter that is a whole number from 1 to `max`, written with at most `digits` digits
 * (a leading zero counts as one), with one message for every way it can be wrong. A function, so
 * the schema is made where a route's lazy schema is.
 */
export function countParam(name: string, max: number, digits: number) {
  const message = `${name} must be 1 to ${max}`
  return z
    .string()
    .regex(new RegExp(`^[0-9]{1,${digits}}$`), message)
    .transform(Number)
    .pipe(z.number().int().min(1, message).max(max, message))
}

/** Turns zod issues into one readable sentence for an API error message. */
export function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.map(String).join('.')
      // A query parameter given twice (`?q=a&q=b`) reaches a text field as a list: said so, not in zod's words.
      if (path && /^Invalid input: expected \w+, received array$/.test(i.message)) return `${path} must be given once`
      return path && !i.message.startsWith(path) ? `${path}: ${i.message}` : i.message
    })
    .join('; ')
}
