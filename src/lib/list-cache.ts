import type { SiteConfig } from '../config'
import { stillWorking, type KeptBody } from './compressed'
import { setNewest } from './bounded'
import { sha256Hex } from './hash'
import type { SiteSnapshot } from '../model'
import { RENDER_VERSION } from '../render/versions'
import { SITE_CSS } from '../views/assets'

/**
 * Pages rendered by this isolate (list pages and feeds by path, search results by URL), each with the
 * objects it was made from (the snapshot; for search also the index pointer). A hit needs the very objects
 * the isolate's readers hand out while they are fresh, so a page is never older than what the
 * isolate would read anyway.
 */
const rendered = new Map<string, KeptPage>()
const RENDERED_LIMIT = 128
const encoder = new TextEncoder()

export interface KeptPage extends KeptBody {
  sources: readonly unknown[]
  /** When a request started making this page again for newer sources (see renderedPage). */
  remaking?: number
  /** Kept only until then (epoch ms), sources or not: made from data that had not settled (routes/feeds.ts). */
  until?: number
}

/** Whether a page kept only for a while (`until`) is past it. */
function outlived(page: KeptPage): boolean {
  return page.until !== undefined && Date.now() >= page.until
}

/**
 * The page's bytes (UTF-8, encoded once: a CJK page of 100 KB costs about half a millisecond to
 * encode), and its gzip-compressed bytes once made (lib/compressed.ts: `sendKept`), when it was made
 * from these very `sources`.
 *
 * When the sources have changed (a new snapshot), the first request to ask makes the page again
 * (null: it is a miss, and it is marked as that request's work), and until it has, the others get the
 * page it replaces (`current: false`, with the sources it was made from; a start older than a second
 * counts as abandoned). Otherwise every request in flight when the snapshot changes renders the page
 * itself: at 50 at once, 50 renders of the same page. `stale: false` (a request that already tried
 * once) never gets the old page.
 */
export function renderedPage<T extends object = object>(
  key: string,
  sources: readonly unknown[],
  stale = true,
): { page: KeptPage & T; current: boolean } | null {
  // (A key holds what its one caller keeps there: `extra` of keepRenderedPage is the same T.)
  const hit = rendered.get(key) as (KeptPage & T) | undefined
  if (!hit) return null
  if (!outlived(hit) && hit.sources.length === sources.length && hit.sources.every((s, i) => s === sources[i]))
    return { page: hit, current: true }
  if (stale && stillWorking(hit.remaking)) return { page: hit, current: false }
  hit.remaking = Date.now()
  return null
}

/**
 * The test lib/replay.ts replays a kept page's answer under: `page` is still the page kept for `key`,
 * and each of its sources is still what its reader would hand out now without I/O (`peeks`, in the
 * order of the sources: e.g. peekSnapshot). It holds the page weakly: a recorded answer never keeps a
 * page alive after this cache has let it go (the cache's bound is the bound on kept bytes).
 */
export function keptWhile(key: string, page: KeptPage, peeks: readonly (() => unknown)[]): () => boolean {
  const ref = new WeakRef(page)
  return () => {
    const kept = rendered.get(key)
    return kept !== undefined && kept === ref.deref() && !outlived(kept) && kept.sources.every((source, i) => peeks[i]!() === source)
  }
}

/**
 * Keeps a page (and what else its caller needs with it, `extra`: a feed's validators) for `key`;
 * with `until`, no longer than that (epoch ms).
 */
export function keepRenderedPage<T extends object = object>(
  key: string,
  sources: readonly unknown[],
  html: string | Uint8Array<ArrayBuffer>,
  extra?: T,
  until?: number,
): KeptPage & T {
  const entry = {
    ...extra,
    sources,
    body: typeof html === 'string' ? encoder.encode(html) : html,
    ...(until === undefined ? {} : { until }),
  } as KeptPage & T
  setNewest(rendered, key, entry, RENDERED_LIMIT)
  return entry
}

/** FNV-1a, 32 bits: a cheap fingerprint of the settings (not a security boundary). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(36)
}

const configTags = new WeakMap<SiteConfig, string>()

/** A fingerprint of what shapes every page besides its data: the code (renderer, stylesheet) and the settings. */
function configTag(config: SiteConfig): string {
  let tag = configTags.get(config)
  if (tag === undefined) {
    tag = fnv1a(`${RENDER_VERSION}|${SITE_CSS}|${JSON.stringify(config)}`)
    configTags.set(config, tag)
  }
  return tag
}

/**
 * A list page's validator: the snapshot it was made from (every list value it names changes with it)
 * plus what else shapes the page: the code (renderer, stylesheet) and the settings.
 */
export function listEtag(config: SiteConfig, snapshot: SiteSnapshot): string {
  return `W/"${snapshot.generatedAt.toString(36)}-${configTag(config)}"`
}

/**
 * The same for a page made from only part of the snapshot (a feed, the sitemap): `identity` names
 * that part (storage/read-model.ts listPageIdentity), so a change elsewhere in the snapshot (a
 * count) leaves the key, and the page kept under it, as they are.
 */
export async function partEtag(config: SiteConfig, identity: string): Promise<string> {
  return `W/"p${(await sha256Hex(identity)).slice(0, 32)}-${configTag(config)}"`
}

/** Whether an If-None-Match header names this (weak) validator. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  const opaque = etag.replace(/^W\//, '')
  return header.split(',').some((v) => v.trim().replace(/^W\//, '') === opaque)
}
