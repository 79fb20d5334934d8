import hljs from 'highlight.js/lib/core'
import bash from 'highlight.js/lib/languages/bash'
import c from 'highlight.js/lib/languages/c'
import cpp from 'highlight.js/lib/languages/cpp'
import css from 'highlight.js/lib/languages/css'
import diff from 'highlight.js/lib/languages/diff'
import go from 'highlight.js/lib/languages/go'
import java from 'highlight.js/lib/languages/java'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import julia from 'highlight.js/lib/languages/julia'
import latex from 'highlight.js/lib/languages/latex'
import markdown from 'highlight.js/lib/languages/markdown'
import matlab from 'highlight.js/lib/languages/matlab'
import plaintext from 'highlight.js/lib/languages/plaintext'
import python from 'highlight.js/lib/languages/python'
import r from 'highlight.js/lib/languages/r'
import rust from 'highlight.js/lib/languages/rust'
import shell from 'highlight.js/lib/languages/shell'
import sql from 'highlight.js/lib/languages/sql'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import yaml from 'highlight.js/lib/languages/yaml'
import type { LanguageFn } from 'highlight.js'
import { escapeHtml } from './escape'

/** highlight.js's version: part of the renderer's identity (a new version can change code markup). */
export { HIGHLIGHTER_VERSION } from './versions'

/**
 * The languages a post's fenced code blocks may name, by the name used in the `language-…` class.
 * Each grammar brings its own aliases (py, js, ts, sh, tex, html, yml, rs, md, …); a few more below.
 */
const LANGUAGES: Record<string, LanguageFn> = {
  bash,
  c,
  cpp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  julia,
  latex,
  markdown,
  matlab,
  plaintext,
  python,
  r,
  rust,
  // hljs's "shell" grammar is a console session ($ prompts and output); ```shell means a script.
  console: shell,
  sql,
  typescript,
  xml,
  yaml,
}

const EXTRA_ALIASES: Record<string, string[]> = {
  bash: ['shell'],
  python: ['python3', 'py3'],
  julia: ['jl'],
  matlab: ['octave'],
  plaintext: ['plain'],
}

/** Longer blocks are shown as plain text: highlighting cost grows with the input. */
const MAX_HIGHLIGHT_CHARS = 100_000
const LANGUAGE_NAME = /^[A-Za-z0-9_+#.-]{1,32}$/

let canonical: Map<object, string> | null = null

/** Registers the grammars on first use, so a Worker that renders nothing never pays for it. */
function languages(): Map<object, string> {
  if (canonical) return canonical
  const map = new Map<object, string>()
  for (const [name, fn] of Object.entries(LANGUAGES)) {
    hljs.registerLanguage(name, fn)
    const lang = hljs.getLanguage(name)
    if (lang) map.set(lang, name)
  }
  for (const [name, aliases] of Object.entries(EXTRA_ALIASES)) hljs.registerAliases(aliases, { languageName: name })
  canonical = map
  return map
}

/** The registered language a fence's info string names (`py`, `Python`, `python {.numbered}`), or null. */
function resolve(lang: string | undefined): string | null {
  const word = lang?.trim().split(/\s+/, 1)[0] ?? ''
  if (!LANGUAGE_NAME.test(word)) return null
  const found = hljs.getLanguage(word.toLowerCase())
  return (found && languages().get(found)) ?? null
}

/**
 * Highlights one code block for a post. Returns escaped HTML with `hljs-*` spans and the
 * language's canonical name, or plain escaped text and null when the language is missing,
 * unknown, the block is too long or the grammar fails. Never throws.
 */
export function highlightCode(code: string, lang: string | undefined): { html: string; language: string | null } {
  try {
    languages()
    const language = resolve(lang)
    if (!language) return { html: escapeHtml(code), language: null }
    if (code.length > MAX_HIGHLIGHT_CHARS || language === 'plaintext') return { html: escapeHtml(code), language }
    return { html: hljs.highlight(code, { language, ignoreIllegals: true }).value, language }
  } catch {
    return { html: escapeHtml(code), language: null }
  }
}
