/** The renderer's errors, apart from the renderer (render/load.ts), so that code which only catches them does not load it. */

/** Thrown when markdown is too deeply nested or otherwise beyond what the renderer accepts. */
export class RenderError extends Error {}

/** Thrown for front matter that is not readable YAML (render/front-matter.ts). */
export class FrontMatterError extends Error {}
