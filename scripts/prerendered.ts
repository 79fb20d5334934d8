import type { RenderOptions } from '../src/render/render-markdown'
import type { MarkdownDocument } from '../src/render/front-matter'
import { renderPost, type RenderedPost } from '../src/render/render-post'

/**
 * A post file rendered here with the Worker's renderer, and the body of `PUT
 * /api/posts/:id?prerendered=1` that stores it without rendering again (src/schemas.ts,
 * prerenderedPostSchema): `npm run render -- --publish` and the bench's seeding.
 */
export function prerenderedPost(doc: MarkdownDocument, options: RenderOptions): { rendered: RenderedPost; body: Record<string, unknown> } {
  const summary = typeof doc.data.summary === 'string' ? doc.data.summary : undefined
  const rendered = renderPost(doc.body, summary, options)
  return { rendered, body: { ...doc.data, body: doc.body, rendered } }
}
