import { requestAliasPath } from '../lib/aliases'
import { siteObject } from '../lib/stubs'
import { postIdFromRef } from './formats'

/**
 * The alias path a comment's page address stands for (a path or a full URL on the old site:
 * `/posts/4a17b156/`, `https://old.example/?p=123`), normalised as aliases are; null for what is
 * no path (a WordPress slug, the WXR importer's reference) or none an alias can be.
 */
export function refAliasPath(ref: string): string | null {
  const text = ref.trim()
  if (!/^(?:https?:\/\/|\/(?!\/))/i.test(text)) return null
  try {
    return requestAliasPath(new URL(text, 'http://import.invalid'))
  } catch {
    return null
  }
}

/**
 * Where the comment import sends each page address (POST /api/import/comments): the post that
 * holds the address as an alias (its old permalink, README: Redirects), else the post the address
 * ends in (postIdFromRef), followed through a rename to its current id; null when it names none.
 * One call to the Site object for the whole file.
 */
export async function importTargets(env: Cloudflare.Env, refs: readonly string[]): Promise<(ref: string) => string | null> {
  const paths = new Map<string, string | null>()
  const ids = new Map<string, string | null>()
  for (const ref of new Set(refs)) {
    paths.set(ref, refAliasPath(ref))
    ids.set(ref, postIdFromRef(ref))
  }
  const wanted = <T>(values: Iterable<T | null>) => [...new Set(values)].filter((v): v is T => v !== null)
  const none: Record<string, string> = {}
  const { aliases, moved } =
    paths.size === 0 ? { aliases: none, moved: none } : await siteObject(env).importTargets(wanted(paths.values()), wanted(ids.values()))
  return (ref) => {
    const path = paths.get(ref) ?? null
    if (path !== null && Object.hasOwn(aliases, path)) return aliases[path]!
    const id = ids.get(ref) ?? null
    if (id === null) return null
    return Object.hasOwn(moved, id) ? moved[id]! : id
  }
}
