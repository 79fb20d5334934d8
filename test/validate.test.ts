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

  it('says a query parameter given twice must be given once, whatever the field’s own message', async () => {
    const app = new Hono()
    app.onError((err) =>
      err instanceof AppError
        ? Response.json({ code: err.code, message: err.message }, { status: err.status })
        : new Response('500', { status: 500 }),
    )
    const query = z.object({ rank: z.enum(['period', 'all'], 'rank must be period or all').optional(), days: z.string().optional() })
    app.get('/x', validate('query', query, { status: 400, code: 'invalid_query' }), (c) => c.json(c.req.valid('query')))
    for (const [q, message] of [
      ['rank=all&rank=all', 'rank must be given once'],
      ['rank=all&rank=period', 'rank must be given once'],
      ['rank=x', 'rank must be period or all'],
      ['days=1&days=2', 'days must be given once'],
    ]) {
      const res = await app.request(`/x?${q}`)
      expect(res.status, q).toBe(400)
      expect(await res.json(), q).toEqual({ code: 'invalid_query', message })
    }
    expect(await (await app.request('/x?rank=all')).json()).toEqual({ rank: 'all' })
  })
})
