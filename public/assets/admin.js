// The web admin's script (/admin): asks before deleting or restoring, shows the live preview (the
// server's own renderer, through a dry run) and uploads images into the editor. The admin works
// without it, but for the preview and the upload.
;(function () {
  'use strict'

  document.addEventListener('submit', function (event) {
    var form = event.target
    // (The button's own question first: the bulk form asks only before deleting.)
    var button = event.submitter
    var message =
      (button && button.getAttribute && button.getAttribute('data-confirm')) ||
      (form && form.getAttribute && form.getAttribute('data-confirm'))
    if (message && !window.confirm(message)) event.preventDefault()
  })

  // The moderation list's select-all box (hidden without this script) ticks every row's box.
  var all = document.querySelector('input[data-select-all]')
  if (all) {
    var boxes = document.querySelectorAll('input[name="item"][form="bulk"]')
    all.hidden = false
    all.addEventListener('change', function () {
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked
    })
  }

  // How many comments wait for moderation, next to the nav's 评论审核 (the queue's counts, one small read).
  var queueLink = document.querySelector('a[data-pending-count]')
  if (queueLink && window.fetch) {
    fetch('/admin/api/comments?status=pending&limit=1', { credentials: 'same-origin' })
      .then(function (res) {
        return res.ok ? res.json() : null
      })
      .then(function (body) {
        var n = body && body.counts && body.counts.pending
        if (typeof n !== 'number' || n <= 0) return
        var badge = document.createElement('span')
        badge.className = 'admin-count'
        badge.textContent = String(n)
        // (One held comment has its own words: "1 comment", not "1 comments".)
        badge.title =
          n === 1
            ? queueLink.getAttribute('data-pending-count-one')
            : queueLink.getAttribute('data-pending-count').replace('{n}', String(n))
        queueLink.append(' ', badge)
      })
      .catch(function () {})
  }

  var form = document.querySelector('form[data-preview-url]')
  if (!form) return
  var source = form.querySelector('textarea[name="source"]')
  var csrfField = form.querySelector('input[name="_csrf"]')
  var csrf = csrfField ? csrfField.value : ''
  var pane = document.querySelector('[data-preview]')
  var head = document.querySelector('[data-preview-header]')
  var status = document.querySelector('[data-preview-status]')
  var sent = 0
  var shown = 0
  var timer = null

  function errorMessage(res) {
    return res
      .json()
      .then(function (body) {
        return (body && body.error && body.error.message) || 'HTTP ' + res.status
      })
      .catch(function () {
        return 'HTTP ' + res.status
      })
  }

  // A call to the admin's API with the session's CSRF token: the JSON answer, or an Error with the API's message.
  function call(url, method, type, body) {
    return fetch(url, {
      method: method,
      headers: { 'content-type': type, 'x-csrf-token': csrf },
      body: body,
      credentials: 'same-origin',
    }).then(function (res) {
      if (!res.ok)
        return errorMessage(res).then(function (m) {
          throw new Error(m)
        })
      return res.json()
    })
  }

  // An element with its text (set as text: a title like "<b>" shows as typed, never as markup).
  function el(tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }

  // `2024-05-01T08:30:00+08:00` (the site's own time, as the API gives it) → a <time> with its day.
  function day(iso) {
    var time = el('time', '', iso.slice(0, 10))
    time.setAttribute('datetime', iso)
    return time
  }

  // The post's header as its page shows it: title; By author | date (not for a page); category, tags, updated.
  function showHeader(post) {
    if (!head) return
    if (!post) {
      head.hidden = true
      return
    }
    var meta = head.querySelector('[data-preview-meta]')
    var terms = head.querySelector('[data-preview-terms]')
    head.querySelector('[data-preview-title]').textContent = post.title
    meta.textContent = ''
    terms.textContent = ''
    if (post.type !== 'page') {
      meta.append(head.getAttribute('data-by') + ' ', el('span', 'post-author', post.author))
      if (post.date) meta.append(el('span', 'sep', ' | '), day(post.date))
      if (post.category) terms.append(el('span', 'post-category', head.getAttribute('data-category') + ': ' + post.category))
      if (post.tags && post.tags.length > 0) {
        var tags = el('span', 'post-tags', head.getAttribute('data-tags') + ': ')
        post.tags.forEach(function (tag, i) {
          tags.append(i > 0 ? ' ' : '', el('span', 'tag', tag))
        })
        terms.append(tags)
      }
      if (post.updated) {
        var updated = el('span', 'post-updated', head.getAttribute('data-updated') + ' ')
        updated.append(day(post.updated))
        terms.append(updated)
      }
    }
    meta.hidden = meta.childNodes.length === 0
    terms.hidden = terms.childNodes.length === 0
    head.hidden = false
  }

  function preview() {
    var n = ++sent
    pane.setAttribute('aria-busy', 'true')
    call(
      form.getAttribute('data-preview-url'),
      form.getAttribute('data-preview-method') || 'PUT',
      'text/markdown; charset=utf-8',
      source.value,
    )
      .then(function (result) {
        if (n < shown) return
        shown = n
        // The blog's own renderer output (sanitized, as stored on publish); the page's CSP runs no inline script.
        pane.innerHTML = result.html
        showHeader(result.post)
        status.textContent = result.mathErrors > 0 ? pane.getAttribute('data-math-errors') : ''
      })
      .catch(function (err) {
        if (n < shown) return
        shown = n
        status.textContent = pane.getAttribute('data-failed') + err.message
      })
      .finally(function () {
        if (n === sent) pane.removeAttribute('aria-busy')
      })
  }

  source.addEventListener('input', function () {
    clearTimeout(timer)
    timer = setTimeout(preview, 350)
  })
  // An existing post is shown at once; a new one (an empty template) once the author types.
  if (form.getAttribute('data-preview-method') === 'PUT') preview()

  var upload = form.querySelector('[data-upload]')
  var file = upload && upload.querySelector('input[type="file"]')
  var uploadStatus = upload && upload.querySelector('[data-upload-status]')
  if (!file) return
  upload.hidden = false
  file.addEventListener('change', function () {
    var chosen = file.files && file.files[0]
    if (!chosen) return
    uploadStatus.textContent = upload.getAttribute('data-uploading')
    // The file's name as the API keeps it (a note of at most 150 characters, no control characters or
    // slashes), as the 图片 page's form sends it: a longer name is cut, not a refused upload.
    var name = ''
    Array.from(chosen.name.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim()).every(function (ch) {
      if (name.length + ch.length > 150) return false
      name += ch
      return true
    })
    call('/admin/api/images?name=' + encodeURIComponent(name), 'POST', chosen.type || 'application/octet-stream', chosen)
      .then(function (image) {
        var alt = chosen.name.replace(/\.[A-Za-z0-9]+$/, '').replace(/[[\]\\]/g, '')
        var text = '![' + alt + '](' + image.url + ')'
        var start = source.selectionStart
        var end = source.selectionEnd
        source.setRangeText(text, start, end, 'end')
        source.focus()
        uploadStatus.textContent = ''
        file.value = ''
        source.dispatchEvent(new Event('input'))
      })
      .catch(function (err) {
        uploadStatus.textContent = upload.getAttribute('data-failed') + err.message
      })
  })
})()
