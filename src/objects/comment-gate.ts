import { DurableObject } from 'cloudflare:workers'

/**
 * Per-visitor rate limits: comments (COMMENT_RATE_LIMIT) and failed admin sign-ins
 * (ADMIN_AUTH_LIMIT). One object per visitor key (a hash of a secret, the day and the IP address,
 * nothing personal, with a prefix per purpose), holding the times of its recent events in memory.
 * A single object per visitor makes the count exact however many requests arrive at once; losing
 * the memory on eviction only forgets a few seconds of history, which a rate limit can afford.
 */
export class CommentGate extends DurableObject<Cloudflare.Env> {
  private times: number[] = []

  /** Takes one slot if fewer than `count` were taken in the last `seconds`; else says when to retry. */
  take(count: number, seconds: number): { ok: true } | { ok: false; retryAfter: number } {
    const now = Date.now()
    const since = now - seconds * 1000
    this.times = this.times.filter((t) => t > since)
    if (this.times.length >= count) {
      return { ok: false, retryAfter: Math.max(1, Math.ceil((this.times[0]! - since) / 1000)) }
    }
    this.times.push(now)
    return { ok: true }
  }

  /** Whether `count` slots were taken in the last `seconds` (and when to retry), taking none. */
  full(count: number, seconds: number): { ok: true } | { ok: false; retryAfter: number } {
    const since = Date.now() - seconds * 1000
    this.times = this.times.filter((t) => t > since)
    if (this.times.length >= count) {
      return { ok: false, retryAfter: Math.max(1, Math.ceil((this.times[0]! - since) / 1000)) }
    }
    return { ok: true }
  }
}
