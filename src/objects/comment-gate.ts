import { DurableObject } from 'cloudflare:workers'

/**
 * Per-visitor comment rate limit (COMMENT_RATE_LIMIT): one object per visitor key (an HMAC of the
 * day and the IP address, nothing personal), holding the times of its recent comments in memory.
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
}
