// The comment section's extras, loaded only on post pages (CSP: script-src 'self'). Everything here
// is optional: without JavaScript the form still posts (and previews) through the server, times
// stay absolute, and a writer edits nothing. Each part fails on its own, silently.
;(() => {
  'use strict'

  /** Reads a JSON response; throws an Error with the server's message (or `fallback`) when it is not OK. */
  const request = async (url, init, fallback) => {
    let res
    try {
      res = await fetch(url, { credentials: 'same-origin', cache: 'no-store', ...init })
    } catch {
      throw new Error(fallback)
    }
    let data = null
    try {
      data = await res.json()
    } catch {
      // Not JSON: handled below.
    }
    if (!res.ok) {
      const message = data && data.error && typeof data.error.message === 'string' ? data.error.message : ''
      throw new Error(message || fallback)
    }
    return data || {}
  }

  const jsonInit = (method, body) => ({
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

  /** This browser's own likes or reactions saved under `key` (an object; {} when none, or storage is off). */
  const savedChoices = (key) => {
    try {
      const saved = JSON.parse(localStorage.getItem(key) || '{}')
      return saved && typeof saved === 'object' && !Array.isArray(saved) ? saved : {}
    } catch {
      return {}
    }
  }

  /** Saves them, the oldest going first once there are many. */
  const saveChoices = (key, mine) => {
    const keys = Object.keys(mine)
    for (const old of keys.slice(0, Math.max(0, keys.length - 2000))) delete mine[old]
    try {
      localStorage.setItem(key, JSON.stringify(mine))
    } catch {
      // Storage off or full: the like or reaction is counted all the same.
    }
  }

  /**
   * A like's or a reaction's form, sent by `send` instead: one click at a time, the button busy
   * (aria-busy) meanwhile; a refusal is shown after the form (a `tag` of class `errorClass`, an
   * alert) until the next click.
   */
  const clickSender = (form, tag, errorClass) => {
    const fallback = form.dataset.error || 'Error'
    let busy = false
    return async (button, send) => {
      if (busy) return
      busy = true
      button.setAttribute('aria-busy', 'true')
      const old = form.parentElement && form.parentElement.querySelector(`.${errorClass}`)
      if (old) old.remove()
      try {
        await send(fallback)
      } catch (err) {
        const p = document.createElement(tag)
        p.className = errorClass
        p.setAttribute('role', 'alert')
        p.textContent = err instanceof Error ? err.message : fallback
        form.after(p)
      } finally {
        busy = false
        button.removeAttribute('aria-busy')
      }
    }
  }

  // 1. Live preview: the preview button (and, after the first preview, typing) asks the server to
  //    render the comment as it would be stored; the server's sanitised HTML is shown as is.
  try {
    const form = document.querySelector('form.comment-form')
    const button = form && form.querySelector('.comment-preview-button')
    const textarea = form && form.querySelector('textarea[name="body"]')
    const box = document.getElementById('comment-preview')
    if (form && button && textarea && box) {
      const title = box.dataset.title || ''
      const failed = box.dataset.error || ''
      let live = false
      let timer = 0
      let seq = 0

      const show = (html, error) => {
        box.replaceChildren()
        if (error !== undefined) {
          const p = document.createElement('p')
          p.className = 'comment-preview-error'
          p.textContent = error
          box.append(p)
          return
        }
        if (html === undefined) return
        const h = document.createElement('h4')
        h.className = 'comment-preview-title'
        h.textContent = title
        const body = document.createElement('div')
        body.className = 'comment-body comment-preview-body'
        body.innerHTML = html // The server's sanitised rendering (the same HTML a stored comment gets).
        box.append(h, body)
      }

      const preview = async () => {
        const text = textarea.value
        const mine = ++seq
        if (text.trim() === '') {
          show()
          return
        }
        box.setAttribute('aria-busy', 'true')
        try {
          const data = await request('/api/comments/preview', jsonInit('POST', { body: text }), failed)
          if (mine !== seq) return
          show(typeof data.html === 'string' ? data.html : '')
        } catch (err) {
          if (mine !== seq) return
          show(undefined, err instanceof Error ? err.message : failed)
        } finally {
          if (mine === seq) box.removeAttribute('aria-busy')
        }
      }

      button.addEventListener('click', (event) => {
        event.preventDefault()
        live = true
        window.clearTimeout(timer)
        preview()
      })
      textarea.addEventListener('input', () => {
        if (!live) return
        window.clearTimeout(timer)
        timer = window.setTimeout(preview, 600)
      })
    }
  } catch {
    // The server-side preview still works.
  }

  // 2. Relative times next to the absolute ones ("3分钟前", "3 minutes ago"), refreshed every minute;
  // their words are the page's (data-ago on #comments, from src/i18n.ts).
  try {
    const words = JSON.parse(document.getElementById('comments')?.dataset.ago || 'null')
    if (!words) throw new Error('no words')
    const UNITS = [
      [60, 'minute'],
      [24, 'hour'],
      [30, 'day'],
      [12, 'month'],
      [Infinity, 'year'],
    ]
    const ago = (ms) => {
      let n = Math.floor((Date.now() - ms) / 60000)
      if (!(n >= 1)) return words.justNow
      for (const [size, unit] of UNITS) {
        if (n < size) return words[unit][n === 1 ? 0 : 1].replace('{n}', String(n))
        n = Math.floor(n / size)
      }
      return ''
    }
    const refresh = () => {
      for (const time of document.querySelectorAll('time.comment-time[datetime]')) {
        const ms = Date.parse(time.getAttribute('datetime') || '')
        if (Number.isNaN(ms)) continue
        let span = time.nextElementSibling
        if (!span || !span.classList.contains('comment-ago')) {
          span = document.createElement('span')
          span.className = 'comment-ago'
          time.after(span)
        }
        const text = ago(ms)
        if (span.textContent !== text) span.textContent = text
      }
    }
    // After the page has settled: a long post's first layout is work enough (and the times sit below it).
    const later = (fn) => (window.requestIdleCallback ? window.requestIdleCallback(fn, { timeout: 2000 }) : window.setTimeout(fn, 200))
    later(() => {
      refresh()
      window.setInterval(refresh, 60000)
    })
  } catch {
    // Absolute times stay.
  }

  // 3. The reader's own comments: edit and delete while the server still allows it.
  try {
    const data = document.getElementById('own-comments')
    const post = data && data.dataset.post
    if (data && post) {
      const d = data.dataset
      const fallback = d.errorLabel || 'Error'
      const pad = (n) => String(n).padStart(2, '0')
      const stamp = (date) =>
        `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`
      const api = (id) => `/api/posts/${encodeURIComponent(post)}/comments/${id}`

      const button = (label, cls) => {
        const b = document.createElement('button')
        b.type = 'button'
        b.className = cls
        b.textContent = label
        return b
      }

      /** Shows an error next to the comment's actions (role=alert: read out at once). */
      const errorBox = (article) => {
        let box = article.querySelector('.comment-own-error')
        if (!box) {
          box = document.createElement('p')
          box.className = 'comment-own-error'
          box.setAttribute('role', 'alert')
          const actions = article.querySelector('.comment-actions')
          if (actions) actions.after(box)
          else article.append(box)
        }
        return box
      }
      const clearError = (article) => {
        const box = article.querySelector('.comment-own-error')
        if (box) box.remove()
      }

      const markEdited = (article, editedAt) => {
        const meta = article.querySelector('.comment-meta')
        if (!meta) return
        let mark = meta.querySelector('.comment-edited')
        if (!mark) {
          mark = document.createElement('span')
          mark.className = 'comment-edited'
          mark.textContent = d.editedLabel || ''
          const after = meta.querySelector('.comment-permalink')
          if (after) after.after(mark)
          else meta.append(mark)
        }
        const date = new Date(editedAt === undefined || editedAt === null ? Date.now() : editedAt)
        if (!Number.isNaN(date.getTime())) mark.title = `${d.editedTitle || ''} ${stamp(date)}`.trim()
      }

      const setup = (id, until) => {
        const li = document.getElementById('comment-' + id)
        const article = li && li.querySelector(':scope > .comment-inner')
        const body = article && article.querySelector('.comment-body')
        const actions = article && article.querySelector('.comment-actions')
        if (!article || !body || !actions) return
        const tools = document.createElement('span')
        tools.className = 'comment-own-actions'
        const edit = button(d.editLabel || 'Edit', 'comment-edit-button')
        const del = button(d.deleteLabel || 'Delete', 'comment-delete-button')
        tools.append(edit, ' ', del)
        actions.append(tools)
        let editor = null

        const closeEditor = () => {
          if (editor) editor.remove()
          editor = null
          body.hidden = false
          edit.disabled = false
        }

        window.setTimeout(
          () => {
            tools.remove()
          },
          Math.min(until - Date.now(), 2147483647),
        )

        edit.addEventListener('click', async () => {
          if (editor) return
          edit.disabled = true
          clearError(article)
          let source
          try {
            const res = await request(api(id), { headers: { accept: 'application/json' } }, fallback)
            source = res.comment && typeof res.comment.body === 'string' ? res.comment.body : ''
          } catch (err) {
            errorBox(article).textContent = err.message
            edit.disabled = false
            return
          }
          editor = document.createElement('div')
          editor.className = 'comment-editor'
          const label = document.createElement('label')
          const area = document.createElement('textarea')
          area.id = `comment-edit-${id}`
          area.rows = 6
          area.maxLength = 10000
          area.value = source
          label.htmlFor = area.id
          label.textContent = d.editorLabel || ''
          const row = document.createElement('p')
          row.className = 'comment-editor-actions'
          const save = button(d.saveLabel || 'Save', 'comment-save-button')
          const cancel = button(d.cancelLabel || 'Cancel', 'comment-cancel-button')
          row.append(save, ' ', cancel)
          editor.append(label, area, row)
          body.hidden = true
          body.after(editor)
          area.focus()

          cancel.addEventListener('click', () => {
            closeEditor()
            clearError(article)
            edit.focus()
          })
          save.addEventListener('click', async () => {
            save.disabled = true
            clearError(article)
            try {
              const res = await request(api(id), jsonInit('PATCH', { body: area.value }), fallback)
              const comment = res.comment || {}
              if (typeof comment.html === 'string') body.innerHTML = comment.html // Sanitised by the server.
              markEdited(article, comment.editedAt)
              closeEditor()
              if (tools.isConnected) edit.focus()
            } catch (err) {
              errorBox(article).textContent = err.message
              save.disabled = false
            }
          })
        })

        del.addEventListener('click', async () => {
          if (!window.confirm(d.confirmDelete || '?')) return
          del.disabled = true
          clearError(article)
          try {
            await request(api(id), jsonInit('DELETE'), fallback)
          } catch (err) {
            errorBox(article).textContent = err.message
            del.disabled = false
            return
          }
          const p = document.createElement('p')
          p.className = 'comment-deleted-text'
          p.textContent = d.deletedLabel || ''
          article.replaceChildren(p)
          li.classList.remove('comment-pending', 'comment-admin')
          li.classList.add('comment-deleted')
        })
      }

      const now = Date.now()
      for (const entry of (d.own || '').split(',')) {
        const [id, until] = entry.split(':').map(Number)
        if (Number.isInteger(id) && id > 0 && until > now) setup(id, until)
      }
    }
  } catch {
    // The comments stay as they are.
  }

  // 4. The writer's name, e-mail and site are kept in this browser when the form is sent, and filled
  //    into an empty form next time (a reply, another post, another day), as Waline and Artalk do.
  //    They stay on this device: the server sees them only in the comments it is sent.
  try {
    const form = document.querySelector('form.comment-form')
    if (form) {
      const KEY = 'comment-writer'
      const fields = ['author', 'email', 'url'].map((name) => form.querySelector(`input[name="${name}"]`)).filter(Boolean)
      let saved = null
      try {
        saved = JSON.parse(localStorage.getItem(KEY) || 'null')
      } catch {
        saved = null
      }
      if (saved && typeof saved === 'object') {
        for (const input of fields) if (!input.value && typeof saved[input.name] === 'string') input.value = saved[input.name]
      }
      form.addEventListener('submit', () => {
        const kept = {}
        for (const input of fields) if (input.value.trim()) kept[input.name] = input.value.trim().slice(0, 300)
        try {
          localStorage.setItem(KEY, JSON.stringify(kept))
        } catch {
          // Storage off or full: the form is sent all the same.
        }
      })
    }
  } catch {
    // The form works as before.
  }

  // 5. Likes (赞): the like button's form goes to the API instead, and the count changes in place.
  //    The server keeps who liked what (by a key of address and browser) and its answer is the truth;
  //    this browser remembers its own likes only to show their buttons pressed.
  try {
    const forms = document.querySelectorAll('form.comment-like-form')
    if (forms.length > 0) {
      const KEY = 'comment-likes'
      const mine = savedChoices(KEY)
      for (const form of forms) {
        const button = form.querySelector('button.comment-like')
        const count = form.querySelector('.comment-like-count')
        const m = /^\/archives\/([^/]+)\/comments\/(\d+)\/like$/.exec(new URL(form.action, window.location.href).pathname)
        if (!button || !count || !m) continue
        const key = `${m[1]}/${m[2]}`
        button.setAttribute('aria-pressed', mine[key] ? 'true' : 'false')
        const click = clickSender(form, 'span', 'comment-like-error')
        form.addEventListener('submit', (event) => {
          event.preventDefault()
          click(button, async (fallback) => {
            const data = await request(
              `/api/posts/${m[1]}/comments/${m[2]}/like`,
              { method: 'POST', headers: { accept: 'application/json' } },
              fallback,
            )
            const liked = data.liked === true
            if (liked) mine[key] = 1
            else delete mine[key]
            saveChoices(KEY, mine)
            button.setAttribute('aria-pressed', liked ? 'true' : 'false')
            if (typeof data.likes === 'number') count.textContent = data.likes > 0 ? String(data.likes) : ''
          })
        })
      }
    }
  } catch {
    // The like buttons post their forms.
  }

  // 6. Post reactions (文章反应): the form's buttons go to the API instead, and the counts change in
  //    place. The server keeps each reader's one reaction and its answer (the reaction now, every
  //    count) is the truth; this browser remembers its own per post only to show that one pressed.
  try {
    const form = document.querySelector('form.reaction-form')
    const m = form && /^\/archives\/([^/]+)\/reactions$/.exec(new URL(form.action, window.location.href).pathname)
    if (form && m) {
      const KEY = 'post-reactions'
      const post = m[1]
      const buttons = Array.from(form.querySelectorAll('button.reaction'))
      const mine = savedChoices(KEY)
      const press = (chosen) => {
        for (const b of buttons) b.setAttribute('aria-pressed', b.value === chosen ? 'true' : 'false')
      }
      press(typeof mine[post] === 'string' ? mine[post] : null)
      // The button pressed (for a browser without SubmitEvent.submitter, the last one clicked).
      let clicked = null
      for (const b of buttons) b.addEventListener('click', () => (clicked = b))
      const click = clickSender(form, 'p', 'reaction-error')
      form.addEventListener('submit', (event) => {
        event.preventDefault()
        const button = event.submitter || clicked
        if (!button || !button.value) return
        click(button, async (fallback) => {
          const data = await request(`/api/posts/${post}/reactions`, jsonInit('POST', { reaction: button.value }), fallback)
          const chosen = typeof data.reaction === 'string' ? data.reaction : null
          // (Delete first: the post goes last, the newest, when saveChoices drops the oldest.)
          delete mine[post]
          if (chosen) mine[post] = chosen
          saveChoices(KEY, mine)
          press(chosen)
          const counts = data.counts && typeof data.counts === 'object' ? data.counts : {}
          for (const b of buttons) {
            const count = b.querySelector('.reaction-count')
            const n = counts[b.value]
            if (count && typeof n === 'number') count.textContent = n > 0 ? String(n) : ''
          }
        })
      })
    }
  } catch {
    // The reaction buttons post their form.
  }

  // 7. The comment being written is kept in this browser as the reader types (per post and per
  //    comment it answers), and put back into the empty form when the reader comes back: a closed
  //    tab, a crash or a link followed by mistake loses nothing. Sending the comment forgets it (a
  //    refusal brings the page back with the text in it), and so does emptying the box; a draft
  //    older than 30 days is dropped. It stays on this device, as the writer's name does.
  try {
    const form = document.querySelector('form.comment-form')
    const textarea = form && form.querySelector('textarea[name="body"]')
    const m = form && /^\/archives\/([^/]+)\/comments$/.exec(new URL(form.action, window.location.href).pathname)
    if (form && textarea && m) {
      const KEY = 'comment-drafts'
      const KEPT = 20
      const MAX_AGE = 30 * 86_400_000
      const parent = form.querySelector('input[name="parent"]')
      const slot = `${m[1]}#${parent ? parent.value : ''}`
      const load = () => {
        const drafts = savedChoices(KEY)
        const now = Date.now()
        for (const [k, d] of Object.entries(drafts)) {
          if (!d || typeof d.body !== 'string' || typeof d.at !== 'number' || now - d.at > MAX_AGE) delete drafts[k]
        }
        return drafts
      }
      const store = (drafts) => {
        // The newest last: keep the KEPT newest.
        const entries = Object.entries(drafts).sort((a, b) => a[1].at - b[1].at)
        saveChoices(KEY, Object.fromEntries(entries.slice(-KEPT)))
      }
      const kept = load()[slot]
      if (kept && textarea.value === '') textarea.value = kept.body
      let timer = 0
      const save = () => {
        const drafts = load()
        delete drafts[slot]
        if (textarea.value.trim() !== '') drafts[slot] = { body: textarea.value.slice(0, 10000), at: Date.now() }
        store(drafts)
      }
      textarea.addEventListener('input', () => {
        window.clearTimeout(timer)
        timer = window.setTimeout(save, 400)
      })
      let sent = false
      // Leaving the page before the last keystroke's save: save it now (not the text just sent).
      window.addEventListener('pagehide', () => {
        window.clearTimeout(timer)
        if (!sent) save()
      })
      form.addEventListener('submit', (event) => {
        const by = event.submitter
        if (by && by.value === 'preview') return
        window.clearTimeout(timer)
        sent = true
        const drafts = load()
        delete drafts[slot]
        store(drafts)
      })
    }
  } catch {
    // The form works without drafts.
  }

  // 8. A toolbar above the comment box: 表情 opens a panel of emoji (Unicode characters: no image,
  //    no request) that go in at the caret; 行内公式 and 行间公式 put $…$ or $$…$$ around the
  //    selection (or, with none, leave the caret between them). Each change is typed text as far
  //    as the page is concerned (an input event): the draft and the live preview follow it.
  try {
    const form = document.querySelector('form.comment-form')
    const textarea = form && form.querySelector('textarea[name="body"][data-tools]')
    if (form && textarea) {
      const labels = JSON.parse(textarea.dataset.tools || '{}')
      const EMOJI = (
        '😀 😄 😂 🤣 😊 😍 🥰 😎 🤔 🧐 😮 🤯 😅 😳 😭 😢 😡 😴 🙃 😉 👍 👎 👏 🙏 🤝 💪 👀 🎉 ❤️ 🔥 ✨ 💯 ' +
        '💡 ✅ ❌ ❓ ❗ 📌 📚 📝 🧮 📐 📈 🧪 🔬 🔭 🌌 🚀'
      ).split(' ')
      /** Replaces the selection with `before + selected + after` and leaves the caret or selection inside. */
      const wrap = (before, after) => {
        const { selectionStart: start, selectionEnd: end, value } = textarea
        const inner = value.slice(start, end)
        textarea.focus()
        textarea.setRangeText(before + inner + after, start, end, 'end')
        textarea.setSelectionRange(start + before.length, start + before.length + inner.length)
        textarea.dispatchEvent(new Event('input', { bubbles: true }))
      }
      // (The focus stays in the panel, so several emoji can be chosen from the keyboard too.)
      const insert = (text) => {
        const { selectionStart: start, selectionEnd: end } = textarea
        textarea.setRangeText(text, start, end, 'end')
        textarea.dispatchEvent(new Event('input', { bubbles: true }))
      }
      const button = (label, title) => {
        const b = document.createElement('button')
        b.type = 'button'
        b.textContent = label
        if (title) b.title = title
        return b
      }
      const bar = document.createElement('div')
      bar.className = 'comment-tools'
      const emojiButton = button(`😀 ${labels.emoji || 'Emoji'}`)
      const panel = document.createElement('div')
      panel.className = 'comment-emoji-panel'
      panel.id = 'comment-emoji-panel'
      panel.setAttribute('role', 'group')
      panel.setAttribute('aria-label', labels.emojiPanel || 'Emoji')
      panel.hidden = true
      emojiButton.setAttribute('aria-expanded', 'false')
      emojiButton.setAttribute('aria-controls', panel.id)
      for (const e of EMOJI) {
        const b = button(e)
        b.className = 'comment-emoji'
        b.addEventListener('click', () => insert(e))
        panel.append(b)
      }
      const toggle = (open) => {
        panel.hidden = !open
        emojiButton.setAttribute('aria-expanded', String(open))
      }
      emojiButton.addEventListener('click', () => {
        toggle(panel.hidden)
        if (!panel.hidden) panel.querySelector('button').focus()
      })
      panel.addEventListener('keydown', (event) => {
        if (event.key !== 'Escape') return
        event.preventDefault()
        toggle(false)
        emojiButton.focus()
      })
      // A click anywhere else closes the panel.
      document.addEventListener('click', (event) => {
        if (!panel.hidden && !bar.contains(event.target)) toggle(false)
      })
      const inline = button(labels.inline || '$…$', labels.inlineTitle)
      inline.addEventListener('click', () => wrap('$', '$'))
      const display = button(labels.display || '$$…$$', labels.displayTitle)
      // A display formula on lines of its own: a line break before and after unless one is there.
      display.addEventListener('click', () => {
        const { selectionStart: start, selectionEnd: end, value } = textarea
        const before = start === 0 || value[start - 1] === '\n' ? '$$\n' : '\n$$\n'
        const after = end === value.length || value[end] === '\n' ? '\n$$' : '\n$$\n'
        wrap(before, after)
      })
      bar.append(emojiButton, inline, display, panel)
      textarea.before(bar)
    }
  } catch {
    // The box takes typed text all the same.
  }
})()
