import * as z from 'zod'
import { AppError } from '../lib/errors'
import { sha256HexOf } from '../lib/hash'
import type { PostStatus } from '../model'

/**
 * Uploaded images (README: Images). Content-addressed: the key is the first 16 hex digits of the
 * SHA-256 of the bytes, so the same upload gives the same URL and is stored once. Stored in Workers
 * KV (`v1:media:<hash16>`, metadata {contentType, size, name, sha256, uploadedAt}) or, with
 * `IMAGE_STORE = "r2"`, in the R2 bucket bound as `MEDIA_BUCKET` (object `media/<hash16>`).
 */

/** The image types accepted, with the extension of their URL. SVG is refused: it can carry script. */
export const IMAGE_TYPES = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
} as const

export type ImageType = keyof typeof IMAGE_TYPES
export type ImageExt = (typeof IMAGE_TYPES)[ImageType]

const TYPE_OF_EXT = Object.fromEntries(Object.entries(IMAGE_TYPES).map(([t, e]) => [e, t])) as Record<ImageExt, ImageType>

/** Workers KV's largest value. */
export const KV_VALUE_LIMIT = 25 * 1024 * 1024
/** IMAGE_MAX_BYTES when unset. */
export const DEFAULT_IMAGE_MAX_BYTES = 10 * 1024 * 1024

/** `<hash16>.<ext>`: an image's file name in `/media/` URLs and in the API. */
export const MEDIA_FILE_RE = /^([0-9a-f]{16})\.(png|jpg|gif|webp|avif)$/

/** `/media/<hash16>.<ext>` anywhere in a text (a post's markdown): group 1 is the file name. */
export const MEDIA_REF = /\/media\/([0-9a-f]{16}\.(?:png|jpg|gif|webp|avif))(?![0-9A-Za-z])/g

/** A post that shows an uploaded image (Site.imageUses, GET /api/images `usedBy`). */
export interface ImageUse {
  id: string
  title: string
  status: PostStatus
}

/** The KV key of an image. */
export const mediaKvKey = (hash16: string) => `v1:media:${hash16}`
/** The R2 object key of an image. */
export const mediaR2Key = (hash16: string) => `media/${hash16}`

/** What is stored with an image (KV metadata; R2 custom metadata as strings). */
export interface ImageMeta {
  contentType: ImageType
  size: number
  name: string
  sha256: string
  uploadedAt: number
}

/** The answer to an upload and one entry of the image list. */
export interface ImageInfo {
  /** Site-relative URL, `/media/<key>`. */
  url: string
  /** `<hash16>.<ext>`: the file name, for `DELETE /api/images/:key`. */
  key: string
  contentType: ImageType
  size: number
}

export interface ImageSettings {
  store: 'kv' | 'r2'
  maxBytes: number
}

const settingsSchema = z.object({
  IMAGE_STORE: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v?.trim().toLowerCase() || 'kv'
      if (s !== 'kv' && s !== 'r2') {
        ctx.addIssue({ code: 'custom', message: 'must be "kv" or "r2"' })
        return z.NEVER
      }
      return s
    }),
  IMAGE_MAX_BYTES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return DEFAULT_IMAGE_MAX_BYTES
      const n = Number(v)
      if (!Number.isInteger(n) || n < 1024 || n > KV_VALUE_LIMIT) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from 1024 to ${KV_VALUE_LIMIT}` })
        return z.NEVER
      }
      return n
    }),
})

type ImageEnv = { IMAGE_STORE?: string; IMAGE_MAX_BYTES?: string; MEDIA_BUCKET?: R2Bucket; POSTS: KVNamespace }

/** The bucket, when `MEDIA_BUCKET` is bound (it is optional, so not in the generated Env type). */
const bucketOf = (env: object): R2Bucket | undefined => (env as { MEDIA_BUCKET?: R2Bucket }).MEDIA_BUCKET

/**
 * IMAGE_STORE and IMAGE_MAX_BYTES. A wrong value, or `r2` without a bound bucket, is an operator
 * error: image requests answer 500 `image_store_misconfigured` with the reason (nothing else breaks).
 */
export function imageSettings(env: object): ImageSettings {
  const e = env as ImageEnv
  const parsed = settingsSchema.safeParse({ IMAGE_STORE: e.IMAGE_STORE, IMAGE_MAX_BYTES: e.IMAGE_MAX_BYTES })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new AppError(500, 'image_store_misconfigured', `Invalid setting ${String(issue?.path[0])}: ${issue?.message}`)
  }
  if (parsed.data.IMAGE_STORE === 'r2' && !bucketOf(env)) {
    throw new AppError(
      500,
      'image_store_misconfigured',
      'IMAGE_STORE is "r2" but no R2 bucket is bound as MEDIA_BUCKET (see wrangler.toml).',
    )
  }
  return { store: parsed.data.IMAGE_STORE, maxBytes: parsed.data.IMAGE_MAX_BYTES }
}

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))

/** The image type the bytes' magic number says, or null. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) return 'image/gif'
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp'
  // ISO-BMFF: a `ftyp` box whose major or a compatible brand is avif (still) or avis (sequence).
  if (bytes.length >= 16 && ascii(bytes, 4, 8) === 'ftyp') {
    const boxSize = Math.min(((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0, bytes.length, 256)
    const brands = [ascii(bytes, 8, 12)]
    for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(bytes, at, at + 4))
    if (brands.includes('avif') || brands.includes('avis')) return 'image/avif'
  }
  return null
}

/** The declared Content-Type checked against the accepted types (415 otherwise, SVG with its reason). */
export function checkDeclaredType(header: string | undefined): ImageType {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'image/svg+xml') {
    throw new AppError(
      415,
      'unsupported_media_type',
      'SVG images are not accepted: an SVG can carry script. Convert it to PNG or WebP first.',
    )
  }
  if (!Object.hasOwn(IMAGE_TYPES, type)) {
    throw new AppError(415, 'unsupported_media_type', `Content-Type must be one of: ${Object.keys(IMAGE_TYPES).join(', ')}.`)
  }
  return type as ImageType
}

/** An uploaded file name, kept as metadata only (the URL never uses it). */
export const imageNameSchema = z
  .string()
  .trim()
  .max(150, 'name is longer than 150 characters')
  .refine((v) => !/[\u0000-\u001f\u007f/\\]/.test(v), 'name may not contain control characters or slashes')

const infoOf = (hash16: string, contentType: ImageType, size: number): ImageInfo => {
  const key = `${hash16}.${IMAGE_TYPES[contentType]}`
  return { url: `/media/${key}`, key, contentType, size }
}

/**
 * Stores an image (already checked against its declared type and size). Returns its info and
 * whether it was new; an image with the same bytes is stored once and keeps its first name.
 */
export async function storeImage(
  env: object,
  settings: ImageSettings,
  bytes: Uint8Array<ArrayBuffer>,
  declared: ImageType,
  name: string,
): Promise<{ info: ImageInfo; created: boolean }> {
  if (bytes.byteLength === 0) throw new AppError(400, 'empty_body', 'The request body is empty: send the image bytes.')
  if (bytes.byteLength > settings.maxBytes) {
    throw new AppError(
      413,
      'payload_too_large',
      `The image is larger than ${settings.maxBytes.toLocaleString('en-US')} bytes (IMAGE_MAX_BYTES).`,
    )
  }
  const sniffed = sniffImageType(bytes)
  if (sniffed !== declared) {
    throw new AppError(
      415,
      'image_type_mismatch',
      sniffed
        ? `The bytes are ${sniffed}, not the declared ${declared}.`
        : `The bytes are not a ${declared} image (their signature does not match).`,
    )
  }
  const sha256 = await sha256HexOf(bytes)
  const hash16 = sha256.slice(0, 16)
  const info = infoOf(hash16, declared, bytes.byteLength)
  const meta: ImageMeta = { contentType: declared, size: bytes.byteLength, name, sha256, uploadedAt: Date.now() }
  if (settings.store === 'r2') {
    const bucket = bucketOf(env)!
    const existing = await bucket.head(mediaR2Key(hash16))
    if (existing) return { info: checkSame(existing.customMetadata?.sha256, sha256, info), created: false }
    await bucket.put(mediaR2Key(hash16), bytes, {
      httpMetadata: { contentType: declared },
      customMetadata: { name, sha256, size: String(meta.size), uploadedAt: String(meta.uploadedAt) },
      sha256,
    })
    return { info, created: true }
  }
  const kv = (env as ImageEnv).POSTS
  const existing = await kv.getWithMetadata<ImageMeta>(mediaKvKey(hash16), 'stream')
  if (existing.value) {
    await existing.value.cancel()
    return { info: checkSame(existing.metadata?.sha256, sha256, info), created: false }
  }
  await kv.put(mediaKvKey(hash16), bytes, { metadata: meta })
  return { info, created: true }
}

/** Two different images with the same 64-bit prefix are practically impossible, but never mixed up. */
function checkSame(stored: string | undefined, sha256: string, info: ImageInfo): ImageInfo {
  if (stored && stored !== sha256) throw new AppError(409, 'hash_collision', 'Another image is stored under this key.')
  return info
}

/** A stored image, ready to serve. */
export interface StoredImage {
  body: ReadableStream | null
  contentType: ImageType
  size: number
}

/**
 * Reads an image from the configured store, then from the other one (so images uploaded before
 * IMAGE_STORE changed still load). `withBody: false` checks existence only (304, HEAD).
 */
export async function readImage(env: object, settings: ImageSettings, hash16: string, withBody: boolean): Promise<StoredImage | null> {
  const bucket = bucketOf(env)
  const stores = settings.store === 'r2' ? (['r2', 'kv'] as const) : (['kv', 'r2'] as const)
  for (const store of stores) {
    if (store === 'r2') {
      if (!bucket) continue
      const object = withBody ? await bucket.get(mediaR2Key(hash16)) : await bucket.head(mediaR2Key(hash16))
      if (!object) continue
      const type = object.httpMetadata?.contentType
      if (!type || !Object.hasOwn(IMAGE_TYPES, type)) continue
      return { body: 'body' in object ? (object as R2ObjectBody).body : null, contentType: type as ImageType, size: object.size }
    } else {
      const { value, metadata } = await (env as ImageEnv).POSTS.getWithMetadata<ImageMeta>(mediaKvKey(hash16), 'stream')
      if (!value || !metadata) continue
      if (!withBody) await value.cancel()
      return { body: withBody ? value : null, contentType: metadata.contentType, size: metadata.size }
    }
  }
  return null
}

/** The type a `/media/` file name's extension stands for. */
export const typeOfExt = (ext: string): ImageType | undefined => TYPE_OF_EXT[ext as ImageExt]

/** One page of the configured store's images (newest upload order is not kept: key order). */
export async function listImages(
  env: object,
  settings: ImageSettings,
  limit: number,
  cursor: string | undefined,
): Promise<{ images: (ImageInfo & { name: string; uploadedAt: number | null })[]; cursor: string | null }> {
  if (settings.store === 'r2') {
    const page = await bucketOf(env)!.list({ prefix: 'media/', limit, cursor, include: ['httpMetadata', 'customMetadata'] })
    const images = page.objects.flatMap((o) => {
      const type = o.httpMetadata?.contentType
      if (!type || !Object.hasOwn(IMAGE_TYPES, type)) return []
      const uploadedAt = Number(o.customMetadata?.uploadedAt)
      return [
        {
          ...infoOf(o.key.slice('media/'.length), type as ImageType, o.size),
          name: o.customMetadata?.name ?? '',
          uploadedAt: Number.isFinite(uploadedAt) ? uploadedAt : null,
        },
      ]
    })
    return { images, cursor: page.truncated ? page.cursor : null }
  }
  const page = await (env as ImageEnv).POSTS.list<ImageMeta>({ prefix: 'v1:media:', limit, cursor })
  const images = page.keys.flatMap((k) =>
    k.metadata
      ? [
          {
            ...infoOf(k.name.slice('v1:media:'.length), k.metadata.contentType, k.metadata.size),
            name: k.metadata.name,
            uploadedAt: k.metadata.uploadedAt,
          },
        ]
      : [],
  )
  return { images, cursor: page.list_complete ? null : page.cursor }
}

/** Deletes an image from both stores; false when it was in neither. */
export async function deleteImage(env: object, hash16: string, contentType: ImageType): Promise<boolean> {
  const bucket = bucketOf(env)
  const kv = (env as ImageEnv).POSTS
  let found = false
  const inKv = await kv.getWithMetadata<ImageMeta>(mediaKvKey(hash16), 'stream')
  if (inKv.value) {
    await inKv.value.cancel()
    if (inKv.metadata?.contentType === contentType) {
      await kv.delete(mediaKvKey(hash16))
      found = true
    }
  }
  if (bucket) {
    const head = await bucket.head(mediaR2Key(hash16))
    if (head && head.httpMetadata?.contentType === contentType) {
      await bucket.delete(mediaR2Key(hash16))
      found = true
    }
  }
  return found
}
