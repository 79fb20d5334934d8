import { once } from '../lib/once'

/**
 * The renderer (render/renderer.ts), evaluated on first use. An isolate evaluates every module of
 * the bundle it imports statically when it starts; KaTeX, marked, highlight.js, js-yaml and
 * htmlparser2 were about half of that work (docs/PERFORMANCE.md), and a reader's requests never
 * render. The bundler keeps the module in the same script (no extra request), run when first asked.
 */
export const loadRenderer = once(() => import('./renderer'))
