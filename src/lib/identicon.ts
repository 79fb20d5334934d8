/**
 * Commenter avatars drawn on the server, so that a page never asks a third party (Gravatar and the
 * like) for a picture and never hands it a hash of a reader's e-mail address.
 *
 * The avatar key is an HMAC under the site's secret salt, so it cannot be looked up or reversed
 * without the salt; the picture is a GitHub-style identicon drawn from the key alone.
 */

import { hmacHex } from './hmac'

/**
 * The avatar key of a commenter: HMAC-SHA-256 (WebCrypto) of the lower-cased trimmed e-mail, or of
 * 'name:' + the trimmed name when there is no e-mail (null, empty or only spaces), under `salt`;
 * first 16 bytes as 32 hex chars.
 */
export async function avatarKey(salt: string, email: string | null, name: string): Promise<string> {
  const address = email?.trim().toLowerCase() ?? ''
  const message = address ? address : `name:${name.trim()}`
  return hmacHex(salt, message)
}

const KEY = /^[0-9a-f]{32}$/
/** Grid cell size and margin, in viewBox units. */
const CELL = 10
const MARGIN = 5
const EXTENT = 5 * CELL + 2 * MARGIN

/**
 * Which of the 5×5 cells are filled: the left three columns come from the first 15 hex digits
 * (a cell is filled when its digit is even) and the right two mirror the left two.
 */
function cells(key: string): boolean[][] {
  const grid: boolean[][] = []
  for (let row = 0; row < 5; row++) {
    const line: boolean[] = []
    for (let col = 0; col < 3; col++) line.push(parseInt(key[col * 5 + row]!, 16) % 2 === 0)
    grid.push([line[0]!, line[1]!, line[2]!, line[1]!, line[0]!])
  }
  return grid
}

/**
 * The colour from the last seven hex digits: any hue, saturation 50–75 % and lightness 38–53 %, so
 * that the foreground is clearly visible on white and on the light background.
 */
function colours(key: string): { fg: string; bg: string } {
  const hue = Math.round((parseInt(key.slice(25, 28), 16) / 4095) * 359)
  const saturation = 50 + Math.round((parseInt(key.slice(28, 30), 16) / 255) * 25)
  const lightness = 38 + Math.round((parseInt(key.slice(30, 32), 16) / 255) * 15)
  return { fg: `hsl(${hue},${saturation}%,${lightness}%)`, bg: `hsl(${hue},30%,95%)` }
}

/**
 * A GitHub-style identicon as a small standalone SVG string: a 5×5 grid mirrored left-right on a
 * light background, drawn as one <path> whose sub-paths are the runs of adjacent filled cells in
 * each row. Only the key influences the picture; throws on a key that is not 32 lowercase hex
 * chars, or on a size that is not a positive finite number.
 */
export function identiconSvg(key: string, size = 40): string {
  if (typeof key !== 'string' || !KEY.test(key)) throw new Error('identicon: the key must be 32 lowercase hex characters')
  if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) throw new Error('identicon: the size must be a positive number')
  const grid = cells(key)
  const { fg, bg } = colours(key)
  let d = ''
  grid.forEach((line, row) => {
    for (let col = 0; col < 5;) {
      if (!line[col]) {
        col++
        continue
      }
      let end = col
      while (end < 5 && line[end]) end++
      const w = (end - col) * CELL
      d += `M${MARGIN + col * CELL} ${MARGIN + row * CELL}h${w}v${CELL}h-${w}z`
      col = end
    }
  })
  const shape = d ? `<path fill="${fg}" d="${d}"/>` : ''
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${EXTENT} ${EXTENT}" width="${size}" height="${size}" shape-rendering="crispEdges">` +
    `<rect width="${EXTENT}" height="${EXTENT}" fill="${bg}"/>${shape}</svg>`
  )
}
