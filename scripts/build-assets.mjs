#!/usr/bin/env node
// Copies KaTeX's stylesheet and fonts from node_modules into public/assets/katex-<version>/, where
// the Worker's static assets serve them (the folder is generated, so it is not in git). The
// version in the folder name changes whenever KaTeX does, so the files can be cached forever.
// Runs before `wrangler dev` / `wrangler deploy` (wrangler.toml [build]) and before the tests.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const katexDir = join(root, 'node_modules', 'katex')
const { version } = JSON.parse(readFileSync(join(katexDir, 'package.json'), 'utf8'))
const assets = join(root, 'public', 'assets')
const target = join(assets, `katex-${version}`)

mkdirSync(assets, { recursive: true })
for (const entry of readdirSync(assets)) {
  if (entry.startsWith('katex-') && entry !== `katex-${version}`) rmSync(join(assets, entry), { recursive: true, force: true })
}
if (!existsSync(join(target, 'katex.min.css'))) {
  mkdirSync(join(target, 'fonts'), { recursive: true })
  cpSync(join(katexDir, 'dist', 'katex.min.css'), join(target, 'katex.min.css'))
  for (const font of readdirSync(join(katexDir, 'dist', 'fonts'))) {
    cpSync(join(katexDir, 'dist', 'fonts', font), join(target, 'fonts', font))
  }
  console.log(`KaTeX ${version} assets copied to public/assets/katex-${version}/`)
}
