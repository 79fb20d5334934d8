/**
 * Local images of a markdown post: every `![alt](path)` whose path is a file next to the post
 * (`images/x.png`, `./images/x.png`) is uploaded (POST /api/images) and the reference rewritten to
 * the returned URL in the text sent; the file on disk is not changed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import { api, type CliContext } from './context'

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
}

/** `![alt](target "title")` or `![alt](<target>)`; code spans and blocks are not looked into. */
const IMAGE = /!\[([^\]]*)\]\(\s*(<[^>\n]+>|[^\s)]+)(\s+(?:"[^"]*"|'[^']*'))?\s*\)/g

/** A reference to a file beside the post (not a URL, an absolute path or an anchor). */
export function isLocalImage(target: string): boolean {
  return !/^(?:[a-z][a-z0-9+.-]*:|\/|#)/i.test(target) && extname(target.split(/[?#]/)[0]!).toLowerCase() in TYPES
}

/** Replaces each local image reference through `upload` (called once per distinct file); fenced code is left alone. */
export async function rewriteLocalImages(
  text: string,
  dir: string,
  upload: (path: string) => Promise<string>,
): Promise<{ text: string; uploaded: string[] }> {
  const urls = new Map<string, string>()
  const parts = text.split(/(^(?:```|~~~)[\s\S]*?^(?:```|~~~)[^\n]*$)/m)
  for (let i = 0; i < parts.length; i += 2) {
    const part = parts[i]!
    const found: { match: string; replacement: Promise<string> }[] = []
    for (const m of part.matchAll(IMAGE)) {
      const raw = m[2]!.replace(/^<|>$/g, '')
      if (!isLocalImage(raw)) continue
      const path = resolve(dir, decodeURI(raw))
      if (!existsSync(path) || !statSync(path).isFile()) continue
      const known = urls.get(path)
      const url = known ?? (await upload(path))
      urls.set(path, url)
      found.push({ match: m[0], replacement: Promise.resolve(`![${m[1]}](${url}${m[3] ?? ''})`) })
    }
    let out = part
    for (const f of found) out = out.split(f.match).join(await f.replacement)
    parts[i] = out
  }
  return { text: parts.join(''), uploaded: [...urls.keys()] }
}

/** Uploads one image file; the blog answers with its URL (the same bytes give the same URL). */
export async function uploadImage(ctx: CliContext, path: string): Promise<string> {
  const type = TYPES[extname(path).toLowerCase()]
  if (!type) throw new Error(`${path}: not an image type the blog takes`)
  const res = await api<{ url: string }>(ctx, `/api/images?name=${encodeURIComponent(basename(path))}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: readFileSync(path),
  })
  return res.url
}
