/**
 * A small TOML reader for what Hugo front matter and config files use: `key = value` (bare, quoted
 * and dotted keys), `[table]` and `[a.b]` headers, basic and literal strings (one line or `"""`/`'''`
 * multi-line), integers, floats, booleans, offset/local date-times and dates (returned as the text
 * written, e.g. `2019-05-01T10:00:00+08:00`, so the offset is kept), arrays (over several lines too)
 * and inline tables. Anything else (arrays of tables `[[…]]`, …) throws TomlError naming the line.
 */
export class TomlError extends Error {
  override name = 'TomlError'
}

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable
export interface TomlTable {
  [key: string]: TomlValue
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?/i
const NUMBER = /^[+-]?(?:0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+|(?:\d[\d_]*)(?:\.\d[\d_]*)?(?:e[+-]?\d+)?|inf|nan)/i
const BARE_KEY = /^[A-Za-z0-9_-]+/

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' }

class Reader {
  pos = 0
  constructor(readonly src: string) {}

  line(): number {
    return this.src.slice(0, this.pos).split('\n').length
  }
  fail(message: string): never {
    throw new TomlError(`line ${this.line()}: ${message}`)
  }
  /** Skips spaces and tabs (and, with `newlines`, line ends and comments). */
  space(newlines = false): void {
    for (;;) {
      const c = this.src[this.pos]
      if (c === ' ' || c === '\t') this.pos++
      else if (newlines && (c === '\n' || c === '\r')) this.pos++
      else if (newlines && c === '#') while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++
      else return
    }
  }
  /** After a value or header: only a comment may follow on the line. */
  endOfLine(): void {
    this.space()
    if (this.src[this.pos] === '#') while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++
    if (this.pos < this.src.length && this.src[this.pos] !== '\n' && this.src[this.pos] !== '\r')
      this.fail('unexpected text after the value')
  }

  key(): string[] {
    const parts: string[] = []
    for (;;) {
      this.space()
      const c = this.src[this.pos]
      if (c === '"' || c === "'") parts.push(this.string())
      else {
        const m = BARE_KEY.exec(this.src.slice(this.pos))
        if (!m) this.fail('expected a key')
        parts.push(m[0])
        this.pos += m[0].length
      }
      this.space()
      if (this.src[this.pos] !== '.') return parts
      this.pos++
    }
  }

  string(): string {
    const q = this.src[this.pos]!
    const triple = this.src.startsWith(q.repeat(3), this.pos)
    this.pos += triple ? 3 : 1
    if (triple && this.src[this.pos] === '\n') this.pos++
    let out = ''
    for (;;) {
      if (this.pos >= this.src.length) this.fail('unterminated string')
      const c = this.src[this.pos]!
      if (triple ? this.src.startsWith(q.repeat(3), this.pos) : c === q) {
        this.pos += triple ? 3 : 1
        return out
      }
      if (!triple && c === '\n') this.fail('unterminated string')
      if (c === '\\' && q === '"') {
        const e = this.src[this.pos + 1] ?? ''
        if (e in ESCAPES) {
          out += ESCAPES[e]
          this.pos += 2
        } else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8
          const hex = this.src.slice(this.pos + 2, this.pos + 2 + len)
          if (!/^[0-9a-f]+$/i.test(hex) || hex.length !== len) this.fail('bad \\u escape')
          out += String.fromCodePoint(parseInt(hex, 16))
          this.pos += 2 + len
        } else if (triple && (e === '\n' || e === ' ' || e === '\r')) {
          this.pos++
          this.space(true)
        } else this.fail(`unknown escape \\${e}`)
        continue
      }
      out += c
      this.pos++
    }
  }

  /** `key = value` into `table`; `noEquals` is the error when the `=` is missing. */
  assignment(table: TomlTable, noEquals: string): void {
    const key = this.key()
    if (this.src[this.pos] !== '=') this.fail(noEquals)
    this.pos++
    this.space()
    setPath(table, key, this.value(), this)
  }

  value(): TomlValue {
    const c = this.src[this.pos]
    if (c === '"' || c === "'") return this.string()
    if (c === '[') {
      this.pos++
      const arr: TomlValue[] = []
      for (;;) {
        this.space(true)
        if (this.src[this.pos] === ']') {
          this.pos++
          return arr
        }
        arr.push(this.value())
        this.space(true)
        if (this.src[this.pos] === ',') this.pos++
        else if (this.src[this.pos] !== ']') this.fail('expected , or ] in an array')
      }
    }
    if (c === '{') {
      this.pos++
      const table = newTable()
      this.space()
      if (this.src[this.pos] === '}') {
        this.pos++
        return table
      }
      for (;;) {
        this.assignment(table, 'expected = in an inline table')
        this.space()
        if (this.src[this.pos] === '}') {
          this.pos++
          return table
        }
        if (this.src[this.pos] !== ',') this.fail('expected , or } in an inline table')
        this.pos++
      }
    }
    const rest = this.src.slice(this.pos)
    if (rest.startsWith('true') || rest.startsWith('false')) {
      const b = rest.startsWith('true')
      this.pos += b ? 4 : 5
      return b
    }
    const date = DATE_TIME.exec(rest)
    if (date) {
      this.pos += date[0].length
      return date[0]
    }
    const num = NUMBER.exec(rest)
    if (num) {
      this.pos += num[0].length
      const t = num[0].replace(/_/g, '').toLowerCase()
      if (/^[+-]?0[xob]/.test(t)) return Number(t.replace(/^\+/, ''))
      return t.endsWith('inf') ? (t.startsWith('-') ? -Infinity : Infinity) : t.endsWith('nan') ? NaN : Number(t)
    }
    this.fail('unsupported value')
  }
}

/**
 * A table with no prototype: a key is only ever the file's own (`[constructor]` or `__proto__ = 1`
 * are ordinary names, and cannot reach or change what every object inherits).
 */
function newTable(): TomlTable {
  return Object.create(null) as TomlTable
}

function setPath(root: TomlTable, path: string[], value: TomlValue, r: Reader): void {
  let t = root
  for (const k of path.slice(0, -1)) {
    const next: TomlValue = t[k] ?? (t[k] = newTable())
    if (typeof next !== 'object' || Array.isArray(next)) r.fail(`${path.join('.')}: ${k} is not a table`)
    t = next
  }
  const last = path[path.length - 1]!
  if (last in t) r.fail(`${path.join('.')} is defined twice`)
  t[last] = value
}

/** Parses TOML text (the subset above) into a plain object. */
export function parseToml(text: string): TomlTable {
  const r: Reader = new Reader(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'))
  const root = newTable()
  let table = root
  for (;;) {
    r.space(true)
    if (r.pos >= r.src.length) return root
    if (r.src.startsWith('[[', r.pos)) r.fail('arrays of tables ([[…]]) are not supported')
    if (r.src[r.pos] === '[') {
      r.pos++
      const path = r.key()
      if (r.src[r.pos] !== ']') r.fail('expected ] after the table name')
      r.pos++
      r.endOfLine()
      table = root
      for (const k of path) {
        const next: TomlValue = table[k] ?? (table[k] = newTable())
        if (typeof next !== 'object' || Array.isArray(next)) r.fail(`[${path.join('.')}]: ${k} is not a table`)
        table = next
      }
      continue
    }
    r.assignment(table, 'expected = after the key')
    r.endOfLine()
  }
}
