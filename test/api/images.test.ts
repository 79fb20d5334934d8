import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { ORIGIN, putPost, request, TOKEN } from '../helpers'

type Store = 'kv' | 'r2'

/** Sends a request to the Worker with the image settings overridden (a new env object per store). */
const envs: Record<string, Cloudflare.Env> = {}
async function send(store: Store, path: string, init: RequestInit = {}, extra: Record<string, string> = {}): Promise<Response> {
  const name = `${store}|${JSON.stringify(extra)}`
  envs[name] ??= { ...env, IMAGE_STORE: store, ...extra } as Cloudflare.Env
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), envs[name]!, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/** Bytes that start with a type's signature, made unique by `seed`. */
function imageBytes(type: 'png' | 'jpeg' | 'gif' | 'webp' | 'avif', seed: string, size = 64): Uint8Array<ArrayBuffer> {
  const head: number[] =
    type === 'png'
      ? PNG_SIG
      : type === 'jpeg'
        ? [0xff, 0xd8, 0xff, 0xe0]
        : type === 'gif'
          ? [...'GIF89a'].map((ch) => ch.charCodeAt(0))
          : type === 'webp'
            ? [...'RIFF\x00\x00\x00\x00WEBPVP8 '].map((ch) => ch.charCodeAt(0))
            : [0, 0, 0, 0x1c, ...'ftypavif\x00\x00\x00\x00mif1miaf'].map((ch) => (typeof ch === 'number' ? ch : ch.charCodeAt(0)))
  const bytes = new Uint8Array(Math.max(size, head.length + seed.length))
  bytes.set(head)
  bytes.set(new TextEncoder().encode(seed), head.length)
  return bytes
}

function upload(
  store: Store,
  bytes: Uint8Array<ArrayBuffer>,
  contentType: string,
  query = '?name=photo.png',
  auth = true,
  extra: Record<string, string> = {},
) {
  return send(
    store,
    `/api/images${query}`,
    {
      method: 'POST',
      headers: { 'content-type': contentType, ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}) },
      body: bytes,
    },
    extra,
  )
}

interface Info {
  url: string
  key: string
  contentType: string
  size: number
}

for (const store of ['kv', 'r2'] as const) {
  describe(`images stored in ${store}`, () => {
    it('stores an upload and answers 201 with its URL, key, type and size', async () => {
      const bytes = imageBytes('png', `first-${store}`)
      const res = await upload(store, bytes, 'image/png')
      expect(res.status).toBe(201)
      const info = (await res.json()) as Info
      expect(info.key).toMatch(/^[0-9a-f]{16}\.png$/)
      expect(info).toEqual({ url: `/media/${info.key}`, key: info.key, contentType: 'image/png', size: bytes.byteLength })
      // It went to the configured store.
      const hash16 = info.key.slice(0, 16)
      if (store === 'kv') expect(await env.POSTS.get(`v1:media:${hash16}`, 'arrayBuffer')).not.toBeNull()
      else expect(await (env as unknown as { MEDIA_BUCKET: R2Bucket }).MEDIA_BUCKET.head(`media/${hash16}`)).not.toBeNull()
    })

    it('gives the same bytes the same URL and stores them once (200 the second time)', async () => {
      const bytes = imageBytes('jpeg', `same-${store}`)
      const first = (await (await upload(store, bytes, 'image/jpeg', '?name=a.jpg')).json()) as Info
      const again = await upload(store, bytes, 'image/jpeg', '?name=b.jpg')
      expect(again.status).toBe(200)
      expect(await again.json()).toEqual(first)
      const other = (await (await upload(store, imageBytes('jpeg', `other-${store}`), 'image/jpeg')).json()) as Info
      expect(other.url).not.toBe(first.url)
      const list = await send(store, '/api/images?limit=1000', { headers: { authorization: `Bearer ${TOKEN}` } })
      const { images } = (await list.json()) as { images: (Info & { name: string })[] }
      expect(images.filter((i) => i.key === first.key)).toEqual([{ ...first, name: 'a.jpg', uploadedAt: expect.any(Number), usedBy: [] }])
    })

    it('serves an image with its type, a year of immutable caching, an ETag, 304 and HEAD', async () => {
      const bytes = imageBytes('webp', `serve-${store}`, 300)
      const { url } = (await (await upload(store, bytes, 'image/webp')).json()) as Info
      const res = await send(store, url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('image/webp')
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      // Feed readers and other sites may embed it.
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
      const etag = res.headers.get('etag')!
      expect(etag).toMatch(/^"[0-9a-f]{16}"$/)
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)

      const notModified = await send(store, url, { headers: { 'if-none-match': etag } })
      expect(notModified.status).toBe(304)
      expect(notModified.headers.get('etag')).toBe(etag)
      expect(await notModified.text()).toBe('')

      const head = await send(store, url, { method: 'HEAD' })
      expect(head.status).toBe(200)
      expect(head.headers.get('content-type')).toBe('image/webp')
      expect(head.headers.get('content-length')).toBe('300')
      expect(await head.text()).toBe('')
    })

    it('accepts every allowed type whose bytes match', async () => {
      for (const [type, mime, ext] of [
        ['png', 'image/png', 'png'],
        ['jpeg', 'image/jpeg', 'jpg'],
        ['gif', 'image/gif', 'gif'],
        ['webp', 'image/webp', 'webp'],
        ['avif', 'image/avif', 'avif'],
      ] as const) {
        const res = await upload(store, imageBytes(type, `all-${store}`), mime)
        expect([200, 201]).toContain(res.status)
        const info = (await res.json()) as Info
        expect(info.key.endsWith(`.${ext}`)).toBe(true)
        expect((await send(store, info.url)).headers.get('content-type')).toBe(mime)
      }
    })

    it('refuses bytes that do not match the declared type with 415 and stores nothing', async () => {
      const before = await send(store, '/api/images?limit=1000', { headers: { authorization: `Bearer ${TOKEN}` } })
      const count = ((await before.json()) as { images: unknown[] }).images.length
      const res = await upload(store, imageBytes('png', `mismatch-${store}`), 'image/jpeg')
      expect(res.status).toBe(415)
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
        code: 'image_type_mismatch',
        message: 'The bytes are image/png, not the declared image/jpeg.',
      })
      const html = await upload(store, new TextEncoder().encode('<html><script>alert(1)</script></html>'), 'image/png')
      expect(html.status).toBe(415)
      const after = await send(store, '/api/images?limit=1000', { headers: { authorization: `Bearer ${TOKEN}` } })
      expect(((await after.json()) as { images: unknown[] }).images.length).toBe(count)
    })

    it('refuses SVG and non-image types with 415', async () => {
      const svg = await upload(store, new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')
      expect(svg.status).toBe(415)
      expect(((await svg.json()) as { error: { message: string } }).error.message).toMatch(/SVG.*script/)
      for (const type of ['text/html', 'application/octet-stream', '']) {
        const res = await upload(store, imageBytes('png', 'x'), type)
        expect(res.status).toBe(415)
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type')
      }
    })

    it('refuses an image over IMAGE_MAX_BYTES with 413, and an empty body with 400', async () => {
      const res = await upload(store, imageBytes('png', 'big', 4096), 'image/png', '', true, { IMAGE_MAX_BYTES: '2048' })
      expect(res.status).toBe(413)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large')
      const ok = await upload(store, imageBytes('png', 'small', 2048), 'image/png', '', true, { IMAGE_MAX_BYTES: '2048' })
      expect(ok.status).toBe(201)
      const empty = await upload(store, new Uint8Array(0), 'image/png')
      expect(empty.status).toBe(400)
    })

    it('requires the admin token to upload, list and delete (401)', async () => {
      const res = await upload(store, imageBytes('png', `noauth-${store}`), 'image/png', '', false)
      expect(res.status).toBe(401)
      expect((await send(store, '/api/images')).status).toBe(401)
      expect((await send(store, '/api/images/0123456789abcdef.png', { method: 'DELETE' })).status).toBe(401)
      const wrong = await send(store, '/api/images', {
        method: 'POST',
        headers: { authorization: 'Bearer wrong', 'content-type': 'image/png' },
        body: imageBytes('png', 'x'),
      })
      expect(wrong.status).toBe(401)
    })

    it('answers 404 for an unknown image or the wrong extension, 400 for a malformed name', async () => {
      expect((await send(store, '/media/0123456789abcdef.png')).status).toBe(404)
      const { key } = (await (await upload(store, imageBytes('gif', `ext-${store}`), 'image/gif')).json()) as Info
      expect((await send(store, `/media/${key.replace('.gif', '.png')}`)).status).toBe(404)
      for (const bad of ['abc.png', '0123456789ABCDEF.png', '0123456789abcdef.svg', '0123456789abcdef.png.html', '..%2Fsite']) {
        expect((await send(store, `/media/${bad}`)).status).toBe(400)
      }
    })

    it('deletes an image: its URL then answers 404', async () => {
      const { key, url } = (await (await upload(store, imageBytes('png', `delete-${store}`), 'image/png')).json()) as Info
      const del = await send(store, `/api/images/${key}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
      expect(del.status).toBe(204)
      expect((await send(store, url)).status).toBe(404)
      const again = await send(store, `/api/images/${key}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
      expect(again.status).toBe(404)
    })

    it('validates the name and the list query', async () => {
      const res = await upload(store, imageBytes('png', 'named'), 'image/png', `?name=${'x'.repeat(151)}`)
      expect(res.status).toBe(400)
      const list = await send(store, '/api/images?limit=0', { headers: { authorization: `Bearer ${TOKEN}` } })
      expect(list.status).toBe(400)
    })
  })
}

describe('which posts show an image', () => {
  it("lists each image's posts (drafts too, deleted ones not) with their titles and statuses", async () => {
    const shown = (await (await upload('kv', imageBytes('png', 'used-a'), 'image/png', '?name=figure.png')).json()) as Info
    const draftOnly = (await (await upload('kv', imageBytes('gif', 'used-b'), 'image/gif', '?name=anim.gif')).json()) as Info
    const unused = (await (await upload('kv', imageBytes('webp', 'used-c'), 'image/webp')).json()) as Info
    const puts = [
      putPost(
        'img-used',
        { title: '用图的文章', date: '2024-03-01 10:00' },
        `![图](/media/${shown.key})\n\nAgain: ![x](https://blog.example/media/${shown.key}).`,
      ),
      putPost('img-draft', { title: 'A draft', draft: true }, `![](/media/${draftOnly.key}) and ![](/media/${shown.key})`),
      putPost('img-gone', { title: 'Gone', date: '2024-03-02 10:00' }, `![](/media/${draftOnly.key}) ![](/media/${unused.key})`),
      // Another file name that starts the same, and the same hash with another extension: not these images.
      putPost('img-near', { title: 'Near misses', date: '2024-03-03 10:00' }, `/media/${unused.key}x /media/${shown.key.slice(0, 16)}.jpg`),
    ]
    for (const res of await Promise.all(puts)) expect(res.status).toBe(201)
    const del = await request('/api/posts/img-gone', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(del.status).toBe(200)

    const list = await send('kv', '/api/images?limit=1000', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(list.status).toBe(200)
    const { images } = (await list.json()) as { images: (Info & { usedBy: unknown[] })[] }
    const usedBy = (key: string) => images.find((i) => i.key === key)?.usedBy
    expect(usedBy(shown.key)).toEqual([
      { id: 'img-draft', title: 'A draft', status: 'draft' },
      { id: 'img-used', title: '用图的文章', status: 'published' },
    ])
    expect(usedBy(draftOnly.key)).toEqual([{ id: 'img-draft', title: 'A draft', status: 'draft' }])
    expect(usedBy(unused.key)).toEqual([])
  })
})

describe('image store settings', () => {
  it('serves an image uploaded to KV after IMAGE_STORE changed to r2', async () => {
    const { url } = (await (await upload('kv', imageBytes('png', 'moved-store'), 'image/png')).json()) as Info
    const res = await send('r2', url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
  })

  it('explains that IMAGE_STORE = "r2" needs the MEDIA_BUCKET binding', async () => {
    const ctx = createExecutionContext()
    const noBucket = { ...env, IMAGE_STORE: 'r2', MEDIA_BUCKET: undefined } as unknown as Cloudflare.Env
    const res = await worker.fetch(
      new Request(`${ORIGIN}/api/images`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'image/png' },
        body: imageBytes('png', 'nobucket'),
      }),
      noBucket,
      ctx,
    )
    await waitOnExecutionContext(ctx)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('image_store_misconfigured')
    expect(body.error.message).toContain('MEDIA_BUCKET')
  })
})
