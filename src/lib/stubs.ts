/** The one Site object (registry, index, snapshot). */
export function siteObject(env: Cloudflare.Env) {
  return env.SITE.getByName('site')
}

/** The object of one post (its views and comments), addressed by the post id. */
export function roomObject(env: Cloudflare.Env, postId: string) {
  return env.POST_ROOM.getByName(postId)
}
