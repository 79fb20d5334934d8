import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { AppError } from '../src/lib/errors'
import { validate } from '../src/lib/validate'

describe('validate', () => {
  it('makes a schema given as a function on the route’s first request, once, and checks with it', async () => {
    let made = 0
    const app = new Hono()
    app.onError((err) =>
      err instanceof AppError
        ? Response.json({ code: err.code, message: err.message }, { status: err.status })
        : new Response('500', { status: 500 }),
    )
    app.get(
      '/x',
      validate(
        'query',
        () => {
          made++
          return z.object({ n: z.string().regex(/^\d+$/, 'n must be digits') })
        },
        { status: 400, code: 'invalid_query' },
      ),
      (c) => c.json({ n: c.req.valid('query').n }),
    )
    expect(made).toBe(0)
    const ok = await app.request('/x?n=42')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ n: '42' })
    expect(made).toBe(1)
    const bad = await app.request('/x?n=4x')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ code: 'invalid_query', message: 'n must be digits' })
    expect(made).toBe(1)
  })
})
