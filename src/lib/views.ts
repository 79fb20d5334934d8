/**
 * Which requests count as a reader's view (README: "What counts as a reader"): a full GET by a
 * client that sends a user agent, is not a known bot, crawler or link previewer, and is not a
 * prefetch or prerender.
 */
const BOT_UA =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|embedly|quora link|whatsapp|telegram|discord|slack|vkshare|pinterest|bingpreview|headless|lighthouse|pingdom|uptime|monitor|curl\/|wget\/|python-requests|python-urllib|httpclient|go-http-client|java\/|okhttp|axios\/|node-fetch|libwww|scrapy|feedfetcher|feed|rss|archive\.org|ia_archiver|mediapartners|adsbot|apis-google|yandex|baiduspider|sogou|360spider|bytespider|petalbot|semrush|ahrefs|mj12|dotbot/i

export function isCountableView(req: Request): boolean {
  if (req.method !== 'GET') return false
  const ua = req.headers.get('user-agent')?.trim()
  if (!ua) return false
  if (BOT_UA.test(ua)) return false
  const purpose =
    `${req.headers.get('purpose') ?? ''} ${req.headers.get('sec-purpose') ?? ''} ${req.headers.get('x-purpose') ?? ''} ${req.headers.get('x-moz') ?? ''}`.toLowerCase()
  if (/prefetch|prerender|preview/.test(purpose)) return false
  return true
}
