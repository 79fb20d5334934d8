import { siteConfig } from '../config'
import { AppError } from '../lib/errors'
import { commentRenderOptions } from '../lib/render-options'
import { sha256Hex } from '../lib/hash'
import { roomObject } from '../lib/stubs'
import type { PublicComment } from '../model'
import { RenderError } from '../render/render-markdown'
import { COMMENT_RENDER_VERSION, renderComment } from '../render/render-comment'
import { commentInputSchema, describeIssues } from '../schemas'

export interface SubmittedComment {
  comment: PublicComment
  /** True when the idempotency key was seen before and the stored comment is returned. */
  replayed: boolean
}

/**
 * Validates, renders (once, here, with every raw HTML token escaped) and stores a comment in the
 * post's object. `headerKey` is the `Idempotency-Key` header, an alternative to the `key` field.
 */
export async function submitComment(env: Cloudflare.Env, postId: string, raw: unknown, headerKey?: string): Promise<SubmittedComment> {
  const parsed = commentInputSchema.safeParse(raw)
  if (!parsed.success) throw new AppError(400, 'invalid_comment', describeIssues(parsed.error))
  const input = parsed.data
  let key = input.key ?? null
  if (headerKey !== undefined && headerKey !== '') {
    const fromHeader = commentInputSchema.shape.key.safeParse(headerKey)
    if (!fromHeader.success || fromHeader.data === undefined) {
      throw new AppError(400, 'invalid_comment', 'Idempotency-Key may contain letters, digits and . _ : - only (at most 100).')
    }
    if (key !== null && key !== fromHeader.data) {
      throw new AppError(400, 'invalid_comment', 'The Idempotency-Key header and the key field differ.')
    }
    key = fromHeader.data
  }
  let rendered
  try {
    rendered = renderComment(input.body, commentRenderOptions(siteConfig(env)))
  } catch (err) {
    if (err instanceof RenderError) throw new AppError(422, 'unrenderable', err.message)
    throw err
  }
  const requestHash = await sha256Hex(
    JSON.stringify([input.author, input.email ?? null, input.url ?? null, input.body, input.parent ?? null]),
  )
  const result = await roomObject(env, postId).addComment({
    postId,
    key,
    requestHash,
    author: input.author,
    email: input.email ?? null,
    url: input.url ?? null,
    body: input.body,
    html: rendered.html,
    excerpt: rendered.excerpt,
    parent: input.parent ?? null,
    renderVersion: COMMENT_RENDER_VERSION,
  })
  if (!result.ok) throw new AppError(result.status, result.code, result.message)
  return { comment: result.comment, replayed: result.replayed }
}
