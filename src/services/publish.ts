import type { SiteConfig } from '../config'
import { postRenderOptions } from '../lib/render-options'
import { AppError } from '../lib/errors'
import { isReservedPageId } from '../lib/aliases'
import { sha256Hex } from '../lib/hash'
import { own } from '../lib/own'
import { unaddressable } from '../lib/slug'
import { isWellFormedText, notWellFormed } from '../lib/unicode'
import { siteObject } from '../lib/stubs'
import type { PostFields, PostOrigin } from '../model'
import type { IfMatch, PublishOutcome } from '../objects/site'
import { FrontMatterError, parseFrontMatter } from '../render/front-matter'
import { RenderError } from '../render/render-markdown'
import { RENDER_VERSION, renderPost, type RenderedPost } from '../render/render-post'
import { describeIssues, frontMatterSchema, postIdSchema, postJsonSchema, prerenderedPostSchema, toPostFields } from '../schemas'

/** A validated post, before rendering. */
export interface ParsedPost {
  fields: PostFields
  /** The `id` given in front matter or JSON, if any. */
  declaredId: string | null
}

function invalid(message: string): AppError {
  return new AppError(400, 'invalid_post', message)
}

function declaredId(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null
  const parsed = postIdSchema.safeParse(String(value))
  if (!parsed.success) throw invalid(`id: ${describeIssues(parsed.error)}`)
  return parsed.data
}

/** Reads a markdown post with YAML front matter. */
export function parseMarkdownPost(text: string, timeZone: string): ParsedPost {
  let doc
  try {
    doc = parseFrontMatter(text)
  } catch (err) {
    if (err instanceof FrontMatterError) throw invalid(err.message)
    throw err
  }
  const parsed = frontMatterSchema.safeParse(doc.data)
  if (!parsed.success) throw invalid(describeIssues(parsed.error))
  // (A body read as UTF-8 has none; one from a JSON string, such as a backup's markdown, may.)
  if (!isWellFormedText(doc.body)) throw invalid(notWellFormed('body'))
  const fields = toPostFields(parsed.data, doc.body, timeZone)
  if (typeof fields === 'string') throw invalid(fields)
  return { fields, declaredId: declaredId(parsed.data.id) }
}

/**
 * Reads a post rendered by `npm run render --publish` (for posts too heavy to typeset within the
 * Free plan's CPU limit). Its HTML is trusted as the author's own: it comes with the admin token,
 * and the page's Content-Security-Policy still allows no inline script. It must come from this
 * blog's renderer version, so that it matches the stylesheet.
 */
export function parsePrerenderedPost(value: unknown, timeZone: string): { post: ParsedPost; rendered: RenderedPost } {
  const parsed = prerenderedPostSchema.safeParse(value)
  if (!parsed.success) throw invalid(describeIssues(parsed.error))
  if (parsed.data.rendered.renderVersion !== RENDER_VERSION) {
    throw new AppError(
      409,
      'renderer_mismatch',
      `The post was rendered by renderer version ${parsed.data.rendered.renderVersion}; this blog runs version ${RENDER_VERSION}. Update your copy and render again.`,
    )
  }
  return { post: parseJsonPost(value, timeZone), rendered: parsed.data.rendered }
}

/** Reads a post sent as JSON (the front matter fields plus `body`). */
export function parseJsonPost(value: unknown, timeZone: string): ParsedPost {
  const parsed = postJsonSchema.safeParse(value)
  if (!parsed.success) throw invalid(describeIssues(parsed.error))
  const fields = toPostFields(parsed.data, parsed.data.body, timeZone)
  if (typeof fields === 'string') throw invalid(fields)
  return { fields, declaredId: declaredId(parsed.data.id) }
}

export interface PublishOptions {
  /** null: the Site object assigns the next free number. */
  id: string | null
  post: ParsedPost
  origin: PostOrigin
  /** The request body as sent; its hash identifies an unchanged file on content sync. */
  source: string
  /** A rendering made elsewhere (`npm run render --publish`); otherwise the Worker renders. */
  rendered?: RenderedPost
  /** The request's If-Match, checked by the Site object in the same step as the write. */
  ifMatch?: IfMatch
  /** `If-None-Match: *`: only create (see PublishRequest.createOnly). */
  createOnly?: boolean
}

/** The largest excerpt a post may have (the text before <!--more-->, or its first paragraphs), rendered. */
export const MAX_EXCERPT_HTML = 256 * 1024

/**
 * Checks and renders a post as a publish would, without storing anything: the first half of
 * publishPost, and all of a dry run (`?dry_run=1`).
 */
export function renderForPublish(config: SiteConfig, opts: Pick<PublishOptions, 'id' | 'post' | 'rendered'>): RenderedPost {
  const { fields } = opts.post
  if (opts.id !== null && opts.post.declaredId !== null && opts.post.declaredId !== opts.id) {
    throw invalid(`The id in the post ("${opts.post.declaredId}") differs from the id in the URL ("${opts.id}").`)
  }
  if (fields.type === 'page' && opts.id !== null && isReservedPageId(opts.id)) {
    throw invalid(`"${opts.id}" cannot be a page's id: its address /${opts.id} belongs to the site (choose another id).`)
  }
  const { slugs } = config
  if (fields.category !== undefined && unaddressable(fields.category, slugs.category, fields.categorySlug)) {
    throw invalid(
      `category: "${fields.category}" gives no address (its slug would be empty, "." or ".."): give it one with category_slug, or rename it.`,
    )
  }
  const noAddress = fields.tags.find((t) => unaddressable(t, slugs.tag, fields.tagSlugs && own(fields.tagSlugs, t)))
  if (noAddress !== undefined) {
    throw invalid(
      `tags: the tag "${noAddress}" gives no address (its slug would be empty, "." or ".."): give it one in tag_slugs, or rename it.`,
    )
  }
  let rendered = opts.rendered
  try {
    rendered ??= renderPost(fields.body, fields.summary, postRenderOptions(config))
  } catch (err) {
    if (err instanceof RenderError) throw new AppError(422, 'unrenderable', err.message)
    throw err
  }
  if (rendered.excerptHtml.length > MAX_EXCERPT_HTML) {
    // The excerpt is stored in the site's registry row (SQLite rows are limited to 2 MB) and shown on list pages.
    throw new AppError(
      422,
      'excerpt_too_large',
      `The excerpt renders to ${Math.round(rendered.excerptHtml.length / 1024)} KB (at most ${MAX_EXCERPT_HTML / 1024} KB): put <!--more--> earlier or give a summary.`,
    )
  }
  return rendered
}

/**
 * A dry run (`?dry_run=1`): checks and renders the post as publishPost would, and asks the Site object
 * whether what is stored would refuse it (a renamed id, If-None-Match, If-Match, an alias another post
 * holds), answering the same 4xx a publish would. Stores nothing.
 */
export async function dryRunPublish(
  env: Cloudflare.Env,
  config: SiteConfig,
  opts: Pick<PublishOptions, 'id' | 'post' | 'rendered' | 'ifMatch' | 'createOnly'>,
): Promise<RenderedPost> {
  const rendered = renderForPublish(config, opts)
  const refused = await siteObject(env).checkPublish({
    id: opts.id,
    aliases: opts.post.fields.aliases ?? [],
    page: opts.post.fields.type === 'page',
    ...(opts.ifMatch !== undefined ? { ifMatch: opts.ifMatch } : {}),
    ...(opts.createOnly ? { createOnly: true } : {}),
  })
  if (refused) throw new AppError(refused.status, refused.code, refused.message)
  return rendered
}

/**
 * Renders a post (markdown and math to HTML, once, here in the Worker) and hands it to the Site
 * object, which stores it and updates the read model.
 */
export async function publishPost(
  env: Cloudflare.Env,
  config: SiteConfig,
  opts: PublishOptions,
): Promise<{ outcome: PublishOutcome; rendered: RenderedPost }> {
  const { fields } = opts.post
  const rendered = renderForPublish(config, opts)
  const syncHash = opts.origin === 'sync' ? await sha256Hex(opts.source) : null
  const outcome = await siteObject(env).publish({
    id: opts.id,
    fields,
    rendered,
    origin: opts.origin,
    syncHash,
    ...(opts.ifMatch !== undefined ? { ifMatch: opts.ifMatch } : {}),
    ...(opts.createOnly ? { createOnly: true } : {}),
  })
  // One JSON line per publish (Workers Logs / `wrangler tail`): what changed, by which path.
  console.log(
    JSON.stringify(
      outcome.ok
        ? {
            event: 'post.publish',
            id: outcome.post.id,
            result: outcome.result,
            status: outcome.post.status,
            revision: outcome.post.revision,
            origin: opts.origin,
          }
        : { event: 'post.publish_refused', id: opts.id, code: outcome.code, origin: opts.origin },
    ),
  )
  return { outcome, rendered }
}
