import type { Context } from 'hono'
import type { AppEnv } from '../app-env'
import { AppError } from '../lib/errors'
import type { ReactionCounts, ReactionKey } from '../model'
import { reactionInputSchema } from '../schemas'
import { readPost } from '../storage/read-model'
import { clickFromThisSite, readerClick } from './comment-likes'

/** A post reaction from another site (the API's and the page's form alike): 403 (clickFromThisSite, as a like's). */
export const reactionFromThisSite = clickFromThisSite((m) => m.reactionCrossSite)

/** A reaction's answer: the reader's reaction now (null: taken back) and every offered reaction's count, 0 included. */
export interface ReactionAnswer {
  reaction: ReactionKey | null
  counts: Record<string, number>
}

/**
 * The reaction a request names (`{ reaction }`, JSON or the form's field), one REACTIONS offers:
 * 404 when REACTIONS is empty (the section is off), 400 `invalid_reaction` with the offered keys
 * (in the site's language) for anything else.
 */
export function reactionOf(c: Context<AppEnv>, input: unknown): ReactionKey {
  const { config } = c.var
  const m = c.var.t.commentErrors
  if (config.reactions.length === 0) throw new AppError(404, 'reactions_off', m.reactionsOff)
  const parsed = reactionInputSchema.safeParse(input)
  const key = parsed.success ? parsed.data.reaction : undefined
  const offered = config.reactions.find((k) => k === key)
  if (offered === undefined) throw new AppError(400, 'invalid_reaction', m.unknownReaction(config.reactions.join(', ')))
  return offered
}

/**
 * A reader's reaction to a post (文章反应): their one reaction becomes `reaction` (an earlier one
 * moves), or is taken back when it already was. Checked as a like is (services/comment-likes.ts
 * readerClick: bots 403, the likes' rate limit, shared; a renamed post's old id follows the post);
 * a draft, deleted or unknown post 404 (410 for a deleted one); a standalone page or a post with
 * `reactions: false` 404 (it has none). Stays open when comments are closed.
 */
export async function react(c: Context<AppEnv>, postId: string, reaction: ReactionKey): Promise<ReactionAnswer> {
  const value = await readerClick(
    c,
    postId,
    { byBot: (m) => m.reactionByBot, tooMany: (m, s) => m.tooManyReactions(s) },
    async (room, reader) => {
      // A standalone page (an about page, a guestbook) and a post with `reactions: false` show no
      // reactions and take none. The KV read that tells comes after the cheaper checks (a bot, a
      // visitor over the limit), just before the object's call.
      const stored = await readPost(c.env.POSTS, postId)
      if (stored.kind === 'post' && stored.record.type === 'page')
        throw new AppError(404, 'reactions_off', c.var.t.commentErrors.reactionsOnPage)
      if (stored.kind === 'post' && stored.record.reactionsOff)
        throw new AppError(404, 'reactions_off', c.var.t.commentErrors.reactionsOffHere)
      return room.react(reader, reaction)
    },
  )
  const counts: ReactionCounts = value.counts
  return {
    reaction: value.reaction as ReactionKey | null,
    counts: Object.fromEntries(c.var.config.reactions.map((k) => [k, counts[k] ?? 0])),
  }
}
