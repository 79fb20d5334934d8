import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import * as z from 'zod'
import { describeIssues, postIdSchema } from '../schemas'
import { AppError } from './errors'

/**
 * Validates one part of the request with a zod schema; a failure throws an AppError (so the API
 * answers with its JSON error shape and pages with their error page). Handlers read the typed
 * value with `c.req.valid(target)`. A schema given as a function is made on the route's first
 * request (`z.lazy`): the API's and the admin's routes do so, and an isolate that only serves
 * readers never makes their schemas (zod makes a schema's methods when it is made; src/schemas.ts).
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T | (() => T),
  onError: { status: 400 | 404; code: string },
) {
  // A zod schema is an object, never a function.
  const checked = typeof schema === 'function' ? (z.lazy(schema) as unknown as T) : schema
  return zValidator(target, checked, (result) => {
    if (result.success) return
    // A query parameter given twice (`?rank=all&rank=all`) reaches its field as a list: said so, not
    // in the field's own words (which would name the values it takes, the one given among them).
    const input = (target === 'query' ? result.data : {}) as Record<string, unknown>
    const issues = result.error.issues.map((i) => {
      const key = i.path.length === 1 ? i.path[0] : undefined
      return typeof key === 'string' && Array.isArray(input[key]) ? { ...i, message: `${key} must be given once` } : i
    })
    throw new AppError(onError.status, onError.code, describeIssues({ issues }))
  })
}

const idParams = z.object({ id: postIdSchema })

/** `:id` in an API route: a bad id is a 400. */
export const apiPostId = validate('param', idParams, { status: 400, code: 'invalid_id' })

/** `:id` in a page route: a bad id is simply a page that does not exist. */
export const pagePostId = validate('param', idParams, { status: 404, code: 'not_found' })
