import hljs from 'highlight.js/lib/core'
import katex from 'katex'
import { describe, expect, it } from 'vitest'
import { FEED_FORM_REVISION } from '../../src/render/feed-html'
import { COMMENT_RENDER_VERSION, HIGHLIGHTER_VERSION, KATEX_VERSION, RENDER_VERSION } from '../../src/render/versions'

// The read path names the renderer by these constants without loading it (render/load.ts): they
// must be the versions of the KaTeX and highlight.js the renderer is built with.
describe('renderer versions', () => {
  it('are the installed KaTeX’s and highlight.js’s (update src/render/versions.ts after an upgrade)', () => {
    expect(KATEX_VERSION).toBe(katex.version)
    expect(HIGHLIGHTER_VERSION).toBe(hljs.versionString)
  })

  it('name the renderer of posts and of comments by them', () => {
    expect(RENDER_VERSION).toBe(`30+katex-${katex.version}+hljs-${hljs.versionString}+feed-${FEED_FORM_REVISION}`)
    expect(COMMENT_RENDER_VERSION).toBe(`28+katex-${katex.version}`)
  })
})
