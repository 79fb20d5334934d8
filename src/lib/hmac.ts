import { toHex } from './hash'

/**
 * HMAC-SHA-256 keys imported once per secret (Web Crypto: the same in workerd and Node). The keys
 * are kept, not the promises: no request awaits a promise another request made.
 */
const keys = new Map<string, CryptoKey>()

export async function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret)
  if (!key) {
    key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    keys.set(secret, key)
  }
  return key
}

/** The HMAC-SHA-256 of `message` under `secret`, all 32 bytes. */
export async function hmac(secret: string, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), new TextEncoder().encode(message)))
}

/** The first 16 bytes of the HMAC as 32 hex digits (reader keys, avatar keys). */
export async function hmacHex(secret: string, message: string): Promise<string> {
  return toHex((await hmac(secret, message)).subarray(0, 16))
}

/** The whole HMAC as 64 hex digits (the webhook's `X-Blog-Signature`). */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  return toHex(await hmac(secret, message))
}
