/** The one Site object (registry, index, snapshot). */
export function siteObject(env: Cloudflare.Env) {
  return env.SITE.getByName('site')
}

/** The object of one post (its views and comments), addressed by the post id. */
export function roomObject(env: Cloudflare.Env, postId: string) {
  return env.POST_ROOM.getByName(postId)
}

/** A Durable Object error the runtime marks: `overloaded` (too many requests) or `retryable` (transient). */
export interface ObjectError {
  overloaded?: boolean
  retryable?: boolean
}

export function isOverloaded(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as ObjectError).overloaded === true
}

/**
 * Runs an idempotent call to a Durable Object, retrying it (up to 3 attempts, 20 ms then 100 ms
 * apart) when the runtime says the error is retryable. An overloaded object is not retried (more
 * requests make it worse): the error goes up and becomes a 503 with Retry-After. Only for calls
 * that can safely run twice: reads, and writes with an idempotency key.
 */
export async function retrying<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (err) {
      const e = err as ObjectError | null
      if (attempt >= 3 || !e || typeof e !== 'object' || e.retryable !== true || e.overloaded === true) throw err
      await new Promise((resolve) => setTimeout(resolve, attempt === 1 ? 20 : 100))
    }
  }
}
