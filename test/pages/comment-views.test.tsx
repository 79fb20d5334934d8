import { describe, expect, it } from 'vitest'
import type { Element } from 'domhandler'
import { siteConfig } from '../../src/config'
import { strings } from '../../src/i18n'
import type { PublicComment } from '../../src/model'
import { CommentForm, CommentPages, CommentThread, FormFields, OwnComments, type CommentFormValues } from '../../src/views/comments'
import { dangers, parseHtml } from '../html'

const config = siteConfig({})
const t = strings('zh')
const en = strings('en')
const T0 = Date.UTC(2024, 4, 1, 0, 30) // 2024-05-01 08:30 in Asia/Shanghai

function comment(id: number, fields: Partial<PublicComment> = {}): PublicComment {
  return {
    id,
    parent: null,
    replyTo: fields.parent ?? null,
    depth: 0,
    author: `作者${id}`,
    url: null,
    body: `正文 ${id}`,
    html: `<p>正文 ${id}</p>`,
    createdAt: T0 + id * 60_000,
    editedAt: null,
    admin: false,
    avatar: `${'0'.repeat(30)}${String(id).padStart(2, '0')}`,
    status: 'approved',
    ...fields,
  }
}

async function render(node: unknown) {
  const html = String(await (node as { toString(): Promise<string> | string }).toString())
  return { html, page: parseHtml(html) }
}

function thread(comments: PublicComment[], postId = 'p1') {
  return render(<CommentThread comments={comments} postId={postId} config={config} t={t} />)
}

const classes = (page: ReturnType<typeof parseHtml>, e: Element) => (page.attr(e, 'class') ?? '').split(/\s+/)

/** The nearest <li class="comment"> above `e`, or null at the top level. */
function parentComment(e: Element): Element | null {
  for (let p = e.parent as Element | null; p; p = p.parent as Element | null) {
    if (p.name === 'li' && (p.attribs.class ?? '').split(/\s+/).includes('comment')) return p
  }
  return null
}

describe('CommentThread', () => {
  it('builds the tree from parent and lists an orphan at the top level', async () => {
    const { html, page } = await thread([
      comment(1),
      comment(2, { parent: 1, depth: 1 }),
      comment(3, { parent: 2, depth: 2 }),
      comment(4, { parent: 99, depth: 1 }), // parent on another page
      comment(5),
    ])
    const top = page.byClass('comment-list')[0]!
    const roots = top.children.filter((c): c is Element => (c as Element).name === 'li')
    expect(roots.map((li) => page.attr(li, 'id'))).toEqual(['comment-1', 'comment-4', 'comment-5'])
    expect(parentComment(page.byId('comment-2')!)).toBe(page.byId('comment-1'))
    expect(parentComment(page.byId('comment-3')!)).toBe(page.byId('comment-2'))
    expect(parentComment(page.byId('comment-4')!)).toBeNull()
    expect(classes(page, page.byId('comment-1')!)).toEqual(['comment', 'depth-0'])
    expect(classes(page, page.byId('comment-3')!)).toContain('depth-2')
    expect(classes(page, page.byId('comment-4')!)).toContain('depth-0')
    // The only forms are the like buttons (赞), one per approved comment, posting to this site.
    expect(page.tags('form').map((f) => [page.attr(f, 'class'), page.attr(f, 'action')])).toEqual(
      [1, 2, 3, 4, 5].map((id) => ['comment-like-form', `/archives/p1/comments/${id}/like`]),
    )
    expect(dangers(html).filter((d) => d !== '<form>')).toEqual([])
  })

  it('shows the author, avatar, time, body and a reply link', async () => {
    const { page } = await thread([comment(7, { url: 'https://a.example/', html: '<p>x <span class="katex">y</span></p>' })])
    const li = page.byId('comment-7')!
    const img = page.byClass('avatar')[0]!
    expect(page.attr(img, 'src')).toBe(`/avatars/${'0'.repeat(30)}07.svg`)
    expect([page.attr(img, 'width'), page.attr(img, 'height'), page.attr(img, 'alt'), page.attr(img, 'loading')]).toEqual([
      '40',
      '40',
      '',
      'lazy',
    ])
    const author = page.byClass('comment-author')[0]!
    const link = page.tags('a').find((a) => page.attr(a, 'href') === 'https://a.example/')!
    expect(page.text(author)).toBe('作者7')
    expect(page.attr(link, 'rel')).toBe('nofollow ugc noopener')
    const permalink = page.byClass('comment-permalink')[0]!
    expect(page.attr(permalink, 'href')).toBe('#comment-7')
    const time = page.byClass('comment-time')[0]!
    expect(page.attr(time, 'datetime')).toBe('2024-05-01T08:37:00+08:00')
    expect(page.text(time)).toBe('2024-05-01 08:37')
    expect(page.byClass('katex')).toHaveLength(1)
    const reply = page.byClass('comment-reply')[0]!
    expect(page.attr(reply, 'href')).toBe('/archives/p1?replyto=7#respond')
    expect(page.attr(reply, 'aria-label')).toBe('回复 作者7')
    expect(page.text(li)).not.toContain(t.authorBadge)
  })

  it('skips the avatar image when there is no avatar key', async () => {
    const { page } = await thread([comment(1, { avatar: '' })])
    expect(page.byClass('avatar')).toHaveLength(0)
  })

  it('links "in reply to" on this page by anchor and elsewhere through the comment route', async () => {
    const { page } = await thread([
      comment(1),
      comment(2, { parent: 1, replyTo: 1, depth: 1 }),
      comment(3, { parent: 1, replyTo: 42, depth: 1 }), // the thread was too deep: replyTo is elsewhere
    ])
    const parentLink = (id: number) => page.byClass('comment-parent').find((s) => parentComment(s) === page.byId(`comment-${id}`))!
    const same = parentLink(2)
    expect(page.text(same)).toBe('回复 @作者1')
    expect(
      page.attr(
        page.tags('a').find((a) => a.parent === same)!,
        'href',
      ),
    ).toBe('#comment-1')
    const other = parentLink(3)
    expect(
      page.attr(
        page.tags('a').find((a) => a.parent === other)!,
        'href',
      ),
    ).toBe('/archives/p1/comments/42')
    expect(page.text(other)).toContain(t.commentNumber(42))
    expect(page.byId('comment-1')!.children.length).toBeGreaterThan(0)
    expect(page.byClass('comment-parent')).toHaveLength(2)
  })

  it('marks the blog author, edited comments and a pending comment', async () => {
    const { page } = await thread([
      comment(1, { admin: true }),
      comment(2, { editedAt: T0 + 3_600_000 }),
      comment(3, { status: 'pending' }),
    ])
    const badge = page.byClass('comment-badge')
    expect(badge).toHaveLength(1)
    expect(page.text(badge[0]!)).toBe('博主')
    expect(parentComment(badge[0]!)).toBe(page.byId('comment-1'))
    expect(classes(page, page.byId('comment-1')!)).toContain('comment-admin')

    const edited = page.byClass('comment-edited')
    expect(edited).toHaveLength(1)
    expect(parentComment(edited[0]!)).toBe(page.byId('comment-2'))
    expect(page.text(edited[0]!)).toBe('已编辑')
    expect(page.attr(edited[0]!, 'title')).toBe('编辑于 2024-05-01 09:30')

    const pending = page.byId('comment-3')!
    expect(classes(page, pending)).toContain('comment-pending')
    expect(page.text(pending)).toContain(t.awaitingModeration)
    expect(page.byClass('comment-reply').map((a) => page.attr(a, 'href'))).toEqual([
      '/archives/p1?replyto=1#respond',
      '/archives/p1?replyto=2#respond',
    ])
  })

  it('shows a deleted comment as a placeholder and keeps its replies', async () => {
    const { page } = await thread([
      comment(1, { status: 'deleted', author: '', html: '', avatar: 'ab'.repeat(16) }),
      comment(2, { parent: 1, depth: 1 }),
    ])
    const deleted = page.byId('comment-1')!
    expect(classes(page, deleted)).toContain('comment-deleted')
    const placeholder = page.byClass('comment-deleted-text')
    expect(placeholder).toHaveLength(1)
    expect(page.text(placeholder[0]!)).toBe(t.commentDeleted)
    expect(parentComment(page.byId('comment-2')!)).toBe(deleted)
    // Only the reply has an avatar, an author, a body and a reply link.
    expect(page.byClass('avatar')).toHaveLength(1)
    expect(page.byClass('comment-author')).toHaveLength(1)
    expect(page.byClass('comment-body')).toHaveLength(1)
    expect(page.byClass('comment-reply').map((a) => page.attr(a, 'href'))).toEqual(['/archives/p1?replyto=2#respond'])
    // The reply names the deleted comment without its (wiped) author.
    expect(page.text(page.byClass('comment-parent')[0]!)).toBe(`回复 ${t.commentNumber(1)}`)
  })

  it('says so when there are no comments', async () => {
    const { page } = await thread([])
    expect(page.text(page.byClass('no-comments')[0]!)).toBe(t.noComments)
    expect(page.byClass('comment-list')).toHaveLength(0)
  })

  it('escapes the author name and link', async () => {
    const { html } = await thread([comment(1, { author: '<b>x</b>', url: 'https://a.example/?"q"' })])
    expect(html).not.toContain('<b>x</b>')
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;')
  })
})

describe('CommentPages', () => {
  const pages = (page: number, total: number) => render(<CommentPages postId="p1" page={page} pages={total} t={t} />)

  it('renders nothing for a single page', async () => {
    expect((await pages(1, 1)).html).toBe('')
    expect((await pages(1, 0)).html).toBe('')
  })

  it('links every page, marks the current one, and adds previous/next links', async () => {
    const { page } = await pages(2, 3)
    const nav = page.tags('nav')[0]!
    expect(page.attr(nav, 'class')).toBe('comment-pages')
    expect(page.attr(nav, 'aria-label')).toBe(t.commentPages)
    const numbers = page.byClass('comment-pages-list')[0]!
    const links = page.tags('a').filter((a) => parentComment(a) === null && page.text(a).match(/^\d+$/))
    expect(links.map((a) => [page.text(a), page.attr(a, 'href'), page.attr(a, 'aria-current') ?? null])).toEqual([
      ['1', '/archives/p1#comments', null],
      ['2', '/archives/p1/comment-page-2#comments', 'page'],
      ['3', '/archives/p1/comment-page-3#comments', null],
    ])
    expect(numbers).toBeDefined()
    const prev = page.byClass('comment-pages-prev')[0]!
    const next = page.byClass('comment-pages-next')[0]!
    expect([page.attr(prev, 'href'), page.text(prev)]).toEqual(['/archives/p1#comments', t.prevCommentPage])
    expect([page.attr(next, 'href'), page.text(next)]).toEqual(['/archives/p1/comment-page-3#comments', t.nextCommentPage])
  })

  it('has no previous link on the first page nor next link on the last', async () => {
    const first = (await pages(1, 2)).page
    expect(first.byClass('comment-pages-prev')).toHaveLength(0)
    expect(first.byClass('comment-pages-next')).toHaveLength(1)
    const last = (await pages(2, 2)).page
    expect(last.byClass('comment-pages-prev')).toHaveLength(1)
    expect(last.byClass('comment-pages-next')).toHaveLength(0)
  })

  it('elides far pages of a long list', async () => {
    const { page } = await pages(10, 20)
    const items = page.byClass('comment-pages-list')[0]!.children.map((li) => page.text(li as Element))
    expect(items).toEqual(['1', '…', '8', '9', '10', '11', '12', '…', '20'])
  })
})

describe('CommentForm', () => {
  const form = (props: Partial<Parameters<typeof CommentForm>[0]> = {}) =>
    render(
      <>
        <FormFields formKey="k-1" formTime="123.sig" />
        <CommentForm postId="p1" t={t} {...props} />
      </>,
    )
  const input = (page: ReturnType<typeof parseHtml>, name: string) => page.tags('input').find((i) => page.attr(i, 'name') === name)

  it('posts to the comment route with the key, the signed time, a honeypot and the notify box', async () => {
    const { html, page } = await form()
    const f = page.byId('respond')!
    expect([f.name, page.attr(f, 'method'), page.attr(f, 'action'), page.attr(f, 'class')]).toEqual([
      'form',
      'post',
      '/archives/p1/comments#respond',
      'comment-form',
    ])
    expect(page.attr(input(page, 'key')!, 'value')).toBe('k-1')
    expect(page.attr(input(page, 'ts')!, 'type')).toBe('hidden')
    expect(page.attr(input(page, 'ts')!, 'value')).toBe('123.sig')
    // The two per-request fields live outside the form (in the post's header) and belong to it by id.
    expect(page.attr(input(page, 'key')!, 'form')).toBe('respond')
    expect(page.attr(input(page, 'ts')!, 'form')).toBe('respond')
    expect(input(page, 'parent')).toBeUndefined()
    expect(page.attr(input(page, 'author')!, 'maxlength')).toBe('50')
    expect(page.attr(page.tags('textarea')[0]!, 'maxlength')).toBe('10000')

    const hp = input(page, 'website')!
    expect(page.attr(hp, 'type')).toBe('text')
    expect(page.attr(hp, 'tabindex')).toBe('-1')
    expect(page.attr(hp, 'autocomplete')).toBe('off')
    const wrapper = hp.parent as Element
    expect([wrapper.name, page.attr(wrapper, 'class'), page.attr(wrapper, 'aria-hidden')]).toEqual(['p', 'hp', 'true'])
    expect(page.text(wrapper)).toContain(t.honeypotLabel)

    const notify = input(page, 'notify')!
    expect([page.attr(notify, 'type'), page.attr(notify, 'value'), page.attr(notify, 'checked')]).toEqual(['checkbox', '1', undefined])
    expect(page.text(f)).toContain(t.notifyReplies)
    expect(page.text(f)).toContain(t.fieldBodyHint)

    const buttons = page.tags('button')
    expect(buttons.map((b) => [page.attr(b, 'type'), page.attr(b, 'name'), page.attr(b, 'value')])).toEqual([
      ['submit', 'intent', 'post'],
      ['submit', 'intent', 'preview'],
    ])
    expect(page.attr(buttons[1]!, 'class')).toBe('comment-preview-button')
    expect(page.text(buttons[1]!)).toBe(t.preview)

    const preview = page.byId('comment-preview')!
    expect(page.attr(preview, 'aria-live')).toBe('polite')
    expect(preview.children).toHaveLength(0)
    expect(page.byClass('cf-turnstile')).toHaveLength(0)
    expect(page.text(f)).not.toContain(t.moderationHintFirst)
    expect(dangers(html, 'page')).toEqual([])
  })

  it('gives the text back, with the notify box and the server preview', async () => {
    const values: CommentFormValues = { author: 'A', email: 'a@example.com', body: '$x$ <b>', notify: '1', parent: '3' }
    const { page } = await form({ values, previewHtml: '<p><span class="katex">x</span></p>' })
    expect(page.attr(input(page, 'author')!, 'value')).toBe('A')
    expect(page.attr(input(page, 'parent')!, 'value')).toBe('3')
    expect(page.text(page.tags('textarea')[0]!)).toBe('$x$ <b>')
    expect(page.attr(input(page, 'notify')!, 'checked')).toBeDefined()
    const preview = page.byId('comment-preview')!
    expect(page.text(preview)).toContain(t.previewTitle)
    expect(page.byClass('comment-preview-body')).toHaveLength(1)
    expect(page.byClass('katex')).toHaveLength(1)
  })

  it('names the comment replied to and posts its id', async () => {
    const { page } = await form({ replyTo: comment(5) })
    expect(page.attr(input(page, 'parent')!, 'value')).toBe('5')
    expect(page.text(page.byClass('comment-form-title')[0]!)).toContain('回复 作者5')
  })

  it('shows the moderation hint when comments wait for approval', async () => {
    expect((await form({ moderation: 'first' })).html).toContain(t.moderationHintFirst)
    expect((await form({ moderation: 'all' })).html).toContain(t.moderationHintAll)
    const open = (await form({ moderation: 'open' })).html
    expect(open).not.toContain(t.moderationHintFirst)
    expect(open).not.toContain(t.moderationHintAll)
  })

  it('adds the Turnstile widget and script when a site key is set', async () => {
    const { page } = await form({ turnstileSiteKey: '0x4AAAA' })
    const widget = page.byClass('cf-turnstile')[0]!
    expect(page.attr(widget, 'data-sitekey')).toBe('0x4AAAA')
    const script = page.tags('script')[0]!
    expect(page.attr(script, 'src')).toBe('https://challenges.cloudflare.com/turnstile/v0/api.js')
    expect(page.attr(script, 'async')).toBeDefined()
    expect(page.attr(script, 'defer')).toBeDefined()
    expect(script.children).toHaveLength(0)
    expect(page.text(page.byClass('comment-turnstile-note')[0]!)).toBe(t.turnstileNeedsJs)
  })

  it('shows a notice instead of the form when comments are closed', async () => {
    const { page } = await form({ closed: true })
    expect(page.tags('form')).toHaveLength(0)
    expect(page.text(page.byClass('comments-closed')[0]!)).toBe(t.commentsClosed)
  })

  it('speaks English on an English site', async () => {
    const { page } = await render(<CommentForm postId="p1" t={en} />)
    expect(page.text(page.byClass('comment-preview-button')[0]!)).toBe('Preview')
    expect(page.text(page.byId('respond')!)).toContain(en.notifyReplies)
  })
})

describe('OwnComments', () => {
  it('lists the reader’s editable comments and the labels for comments.js', async () => {
    const { page } = await render(
      <OwnComments
        postId="p1"
        own={[
          { id: 12, until: 1732550000000 },
          { id: 13, until: 1732550060000 },
        ]}
        t={t}
      />,
    )
    const div = page.byId('own-comments')!
    expect(page.attr(div, 'hidden')).toBeDefined()
    expect(page.attr(div, 'data-post')).toBe('p1')
    expect(page.attr(div, 'data-own')).toBe('12:1732550000000,13:1732550060000')
    expect(page.attr(div, 'data-edit-label')).toBe(t.editComment)
    expect(page.attr(div, 'data-delete-label')).toBe(t.deleteComment)
    expect(page.attr(div, 'data-save-label')).toBe(t.saveComment)
    expect(page.attr(div, 'data-cancel-label')).toBe(t.cancelEdit)
    expect(page.attr(div, 'data-confirm-delete')).toBe(t.confirmDeleteComment)
    expect(page.attr(div, 'data-deleted-label')).toBe(t.commentDeleted)
  })
})
