import { timingSafeEqual } from 'hono/utils/buffer'
import { formatDay, wallClock } from './dates'
import { hmacHex } from './hmac'

/**
 * Which requests count as a reader's view (README: "What counts as a reader"): a full GET by a
 * client that sends a user agent, is not a bot, crawler or link previewer (by user agent, or by
 * Cloudflare's verified-bot signal), is not a prefetch or prerender, and is not the blog's admin.
 */
const BOT_UA =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|embedly|quora link|whatsapp|telegram|discord|slack|vkshare|pinterest|bingpreview|headless|lighthouse|pingdom|uptime|monitor|curl\/|wget\/|python-requests|python-urllib|httpclient|go-http-client|java\/|okhttp|axios\/|node-fetch|libwww|scrapy|feedfetcher|feed|rss|archive\.org|ia_archiver|mediapartners|adsbot|apis-google|yandex|baiduspider|sogou|360spider|bytespider|petalbot|semrush|ahrefs|mj12|dotbot/i

interface BotSignals {
  verifiedBotCategory?: string
  botManagement?: { verifiedBot?: boolean }
}

/** The pattern's answer for recent user agents: it is long and case-insensitive, and readers share a few browsers' strings. */
const botAnswers = new Map<string, boolean>()

function botUserAgent(ua: string): boolean {
  let answer = botAnswers.get(ua)
  if (answer === undefined) {
    answer = BOT_UA.test(ua)
    if (botAnswers.size >= 512) botAnswers.clear()
    botAnswers.set(ua, answer)
  }
  return answer
}

/** True for requests that Cloudflare or the user agent marks as automated. */
export function isBot(req: Request): boolean {
  const ua = req.headers.get('user-agent')?.trim()
  if (!ua || botUserAgent(ua)) return true
  const cf = (req as Request & { cf?: BotSignals }).cf
  return Boolean(cf?.verifiedBotCategory || cf?.botManagement?.verifiedBot)
}

function isPrefetch(req: Request): boolean {
  const purpose = ['purpose', 'sec-purpose', 'x-purpose', 'x-moz'].map((h) => req.headers.get(h) ?? '').join(' ')
  return /prefetch|prerender|preview/i.test(purpose)
}

/** The blog's admin, recognised by the admin token (the admin session of the admin area, once it exists). */
async function isAdmin(req: Request, adminToken: string | undefined): Promise<boolean> {
  const header = req.headers.get('authorization')
  if (!header || !adminToken) return false
  const m = /^Bearer\s+(.+)$/i.exec(header)
  return m ? timingSafeEqual(adminToken, m[1]!.trim()) : false
}

export async function isCountableView(req: Request, adminToken?: string): Promise<boolean> {
  if (req.method !== 'GET' || isBot(req) || isPrefetch(req)) return false
  return !(await isAdmin(req, adminToken))
}

/**
 * Who is reading, for the reload window, without storing anything personal: an HMAC of the day,
 * the IP address and the user agent under a secret key (VIEW_SALT, else the admin token), so the
 * value changes every day and cannot be turned back into an address. Returns today's key, and also
 * yesterday's while the day is younger than the window (`windowMs`, plus an hour), so that a reload just after
 * midnight is still recognised; later in the day no reader counted yesterday can still be inside
 * the window, and the second HMAC is not made.
 */
export async function readerKeys(req: Request, secret: string, timeZone: string, windowMs: number, now = Date.now()): Promise<string[]> {
  const ip = clientIp(req) || 'unknown'
  const ua = req.headers.get('user-agent') ?? ''
  const key = (day: string) => hmacHex(secret, `${day}|${ip}|${ua}`)
  const w = wallClock(now, timeZone)
  const sinceMidnightMs = ((w.hour * 60 + w.minute) * 60 + w.second) * 1000
  const today = key(formatDay(now, timeZone))
  // (An hour more than the window: the wall clock may have jumped at midnight for daylight saving.)
  if (sinceMidnightMs >= windowMs + 3_600_000) return [await today]
  return Promise.all([today, key(formatDay(now - 86_400_000, timeZone))])
}

/** The visitor's address as Cloudflare reports it ('' when unknown); never stored. */
export function clientIp(req: Request): string {
  return req.headers.get('cf-connecting-ip') ?? req.headers.get('x-real-ip') ?? ''
}

/**
 * The part of an address a rate limit counts (comments, previews, likes, sign-in attempts): an IPv4
 * address whole; an IPv6 address by its /64 prefix, the block one home or one device is given and
 * picks new addresses from at will (privacy addresses), so one visitor cannot step round a limit by
 * changing the last 64 bits. An IPv4 address written as IPv6 (`::ffff:192.0.2.1`) is the IPv4 one.
 * Anything else (no address, a malformed one) is taken as it is. Reader counting keeps whole
 * addresses (two people at home are two readers).
 */
export function rateLimitScope(ip: string): string {
  if (!ip.includes(':')) return ip
  const mapped = /^(?:0{0,4}:){0,5}(?:0{0,4}:)?:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)
  if (mapped) return mapped[1]!
  const halves = ip.toLowerCase().split('::')
  if (halves.length > 2) return ip
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const groups = halves.length === 2 ? [...head, ...Array(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail] : head
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return ip
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}
