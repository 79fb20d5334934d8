/** Bytes as lowercase hex, two digits each. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Hex SHA-256 of bytes (Web Crypto: same in workerd and Node). */
export async function sha256HexOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
}

/** Hex SHA-256 of a string, as UTF-8. */
export function sha256Hex(text: string): Promise<string> {
  return sha256HexOf(new TextEncoder().encode(text))
}
