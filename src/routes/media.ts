import { Hono } from 'hono'
import * as z from 'zod'
import type { AppEnv } from '../app-env'
import { requireAdmin } from '../lib/auth'
import { AppError } from '../lib/errors'
import { limitBody } from '../lib/request'
import { validate } from '../lib/validate'
import { retrying, siteObject } from '../lib/stubs'
import {
  checkDeclaredType,
  deleteImage,
  imageNameSchema,
  imageSettings,
  listImages,
  MEDIA_FILE_RE,
  readImage,
  storeImage,
  typeOfExt,
  type ImageUse,
} from '../services/images'

/** Uploaded images (README: Images): `GET /media/:file` for readers, `/api/images` for the admin. */
const media = new Hono<AppEnv>()

const IMMUTABLE = 'public, max-age=31536000, immutable'

const fileParam = validate(
  'param',
  () => z.object({ file: z.string().regex(MEDIA_FILE_RE, 'an image file name is 16 hex digits and .png, .jpg, .gif, .webp or .avif') }),
  { status: 400, code: 'invalid_file' },
)

/** Whether an If-None-Match header names this entity tag (or is `*`). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((t) => {
    const tag = t.trim()
    return tag === '*' || tag === etag || tag === `W/${etag}`
  })
}

media.get('/media/:file', fileParam, async (c) => {
  const [, hash16, ext] = MEDIA_FILE_RE.exec(c.req.valid('param').file)!
  const settings = imageSettings(c.env)
  const etag = `"${hash16}"`
  const conditional = matches(c.req.header('if-none-match'), etag)
  const image = await readImage(c.env, settings, hash16!, !conditional && c.req.method !== 'HEAD')
  // The extension must be the stored type's: one URL per image.
  if (!image || typeOfExt(ext!) !== image.contentType) throw new AppError(404, 'not_found', 'There is no such image.')
  const headers = {
    'cache-control': IMMUTABLE,
    etag,
    'x-content-type-options': 'nosniff',
  }
  if (conditional) return c.body(null, 304, headers)
  return new Response(image.body, {
    status: 200,
    headers: {
      ...headers,
      'content-type': image.contentType,
      'content-length': String(image.size),
      'content-disposition': `inline; filename="${hash16}.${ext}"`,
    },
  })
})

const uploadQuery = validate('query', () => z.object({ name: imageNameSchema.optional() }), { status: 400, code: 'invalid_query' })

media.post(
  '/api/images',
  requireAdmin(),
  uploadQuery,
  async (c, next) => {
    // The type is checked before the body is read, the size while it is read.
    checkDeclaredType(c.req.header('content-type'))
    return limitBody(imageSettings(c.env).maxBytes)(c, next)
  },
  async (c) => {
    const settings = imageSettings(c.env)
    const declared = checkDeclaredType(c.req.header('content-type'))
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    const { info, created } = await storeImage(c.env, settings, bytes, declared, c.req.valid('query').name ?? '')
    console.log(JSON.stringify({ event: 'image.upload', key: info.key, size: info.size, created, store: settings.store }))
    return c.json(info, created ? 201 : 200)
  },
)

const listQuery = validate(
  'query',
  () =>
    z.object({
      limit: z
        .string()
        .regex(/^[1-9][0-9]{0,3}$/, 'limit must be a number from 1 to 1000')
        .transform(Number)
        .pipe(z.number().max(1000, 'limit must be a number from 1 to 1000'))
        .optional(),
      cursor: z.string().max(1000).optional(),
    }),
  { status: 400, code: 'invalid_query' },
)

media.get('/api/images', requireAdmin(), listQuery, async (c) => {
  const { limit, cursor } = c.req.valid('query')
  const settings = imageSettings(c.env)
  let list: Awaited<ReturnType<typeof listImages>>
  try {
    list = await listImages(c.env, settings, limit ?? 100, cursor || undefined)
  } catch (err) {
    // A cursor the store does not know (made up, or from the other store).
    if (cursor) throw new AppError(400, 'invalid_cursor', 'cursor is not one this list gave.')
    throw err
  }
  // Which posts show each image (the Site object reads the posts' markdown): before deleting one.
  const uses: Record<string, ImageUse[]> = list.images.length
    ? await retrying(() => siteObject(c.env).imageUses(list.images.map((i) => i.key)))
    : {}
  return c.json({ images: list.images.map((i) => ({ ...i, usedBy: uses[i.key] ?? [] })), cursor: list.cursor })
})

media.delete('/api/images/:file', requireAdmin(), fileParam, async (c) => {
  const [, hash16, ext] = MEDIA_FILE_RE.exec(c.req.valid('param').file)!
  imageSettings(c.env)
  const deleted = await deleteImage(c.env, hash16!, typeOfExt(ext!)!)
  if (!deleted) throw new AppError(404, 'not_found', 'There is no such image.')
  console.log(JSON.stringify({ event: 'image.delete', key: `${hash16}.${ext}` }))
  return c.body(null, 204)
})

const methodNotAllowed = (allow: string) => () => {
  throw new AppError(405, 'method_not_allowed', `Allowed methods: ${allow}.`, { Allow: allow })
}
media.all('/api/images', methodNotAllowed('GET, POST'))
media.all('/api/images/:file', methodNotAllowed('DELETE'))

export default media
